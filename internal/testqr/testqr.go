// Package testqr reads QR codes back in tests, with two decoders that
// share no code with the encoder: gozxing (a Go port of ZXing) in the
// process, and zbarimg (Debian's zbar-tools) where it is installed.
package testqr

import (
	"bytes"
	"image"
	_ "image/png" // the codes under test are PNGs
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"
)

// Decode reads the one QR code in img with gozxing.
func Decode(t testing.TB, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatalf("gozxing bitmap: %v", err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("gozxing cannot read the code: %v", err)
	}
	return res.GetText()
}

// DecodePNG decodes a PNG and reads its code with gozxing.
func DecodePNG(t testing.TB, body []byte) string {
	t.Helper()
	img, _, err := image.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("not an image: %v", err)
	}
	return Decode(t, img)
}

// ZBar reads the QR code in a PNG with zbarimg. Without zbarimg the test
// is skipped, except under CI (CI=true), which must have it.
func ZBar(t testing.TB, png []byte) string {
	t.Helper()
	bin, err := exec.LookPath("zbarimg")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("zbarimg is missing: install zbar-tools")
		}
		t.Skip("zbarimg is not installed (apt-get install zbar-tools)")
	}
	file := filepath.Join(t.TempDir(), "code.png")
	if err := os.WriteFile(file, png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", file).Output()
	if err != nil {
		t.Fatalf("zbarimg cannot read the code: %v", err)
	}
	return strings.TrimRight(string(out), "\n")
}
