package qrcode

import (
	"bytes"
	"encoding/xml"
	"image"
	"image/color"
	"image/png"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/testqr"
)

// link is as long as a real invitation link.
const link = "https://invitation.example.dk/i/AdAADGxpZ2VzdGlsbGluZwtMYXJzIEhhbnNlbg1BZG0uIGRpcmVrdMO4cgxOb3ZvIE5vcmRpc2tf3y9kQWx0ZXI"

func TestPNGDecodesToTheText(t *testing.T) {
	code, err := Encode(link)
	if err != nil {
		t.Fatal(err)
	}
	body, err := code.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	total := code.Size + 2*QuietZone
	if w := img.Bounds().Dx(); w < 600 || w%total != 0 || img.Bounds().Dy() != w {
		t.Errorf("PNG is %v, want a square of at least 600 px, whole pixels per module (%d modules)", img.Bounds(), total)
	}
	// The quiet zone is white all round.
	scale := img.Bounds().Dx() / total
	for i := 0; i < img.Bounds().Dx(); i++ {
		for _, p := range []image.Point{{i, 0}, {0, i}, {i, QuietZone*scale - 1}, {img.Bounds().Dx() - 1, i}} {
			if g := color.GrayModel.Convert(img.At(p.X, p.Y)).(color.Gray); g.Y != 255 {
				t.Fatalf("quiet zone is dark at %v", p)
			}
		}
	}
	if got := testqr.DecodePNG(t, body); got != link {
		t.Errorf("gozxing reads %q, want %q", got, link)
	}
	if got := testqr.ZBar(t, body); got != link {
		t.Errorf("zbarimg reads %q, want %q", got, link)
	}
}

// TestSVGDrawsTheModules: the SVG is well-formed XML, and its path, drawn
// as the SVG says, is a code that reads back to the text.
func TestSVGDrawsTheModules(t *testing.T) {
	code, err := Encode(link)
	if err != nil {
		t.Fatal(err)
	}
	svg := code.SVG(`QR <&"'> ` + link)
	var root struct {
		XMLName xml.Name `xml:"svg"`
		ViewBox string   `xml:"viewBox,attr"`
		Title   string   `xml:"title"`
		Rect    struct {
			Fill string `xml:"fill,attr"`
		} `xml:"rect"`
		Path struct {
			Fill string `xml:"fill,attr"`
			D    string `xml:"d,attr"`
		} `xml:"path"`
	}
	dec := xml.NewDecoder(bytes.NewReader(svg))
	dec.Strict = true
	for {
		_, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
	}
	if err := xml.Unmarshal(svg, &root); err != nil {
		t.Fatal(err)
	}
	if root.XMLName.Space != "http://www.w3.org/2000/svg" || root.Title != `QR <&"'> `+link || root.Rect.Fill != "#fff" || root.Path.Fill != "#000" {
		t.Errorf("SVG root %+v", root)
	}
	total := code.Size + 2*QuietZone
	if root.ViewBox != "0 0 "+strconv.Itoa(total)+" "+strconv.Itoa(total) {
		t.Errorf("viewBox %q, want %d modules square", root.ViewBox, total)
	}
	// Draw the path at 8 px a module and read it.
	const scale = 8
	img := image.NewGray(image.Rect(0, 0, total*scale, total*scale))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	run := regexp.MustCompile(`^M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
	d, dark := root.Path.D, 0
	for d != "" {
		m := run.FindStringSubmatch(d)
		if m == nil || m[3] != m[4] {
			t.Fatalf("path command %.40q is not a one-module-high run", d)
		}
		x, _ := strconv.Atoi(m[1])
		y, _ := strconv.Atoi(m[2])
		n, _ := strconv.Atoi(m[3])
		for px := x * scale; px < (x+n)*scale; px++ {
			for py := y * scale; py < (y+1)*scale; py++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
		dark += n
		d = d[len(m[0]):]
	}
	want := 0
	for y := 0; y < code.Size; y++ {
		for x := 0; x < code.Size; x++ {
			if code.Dark(x, y) {
				want++
			}
		}
	}
	if dark != want {
		t.Errorf("the path draws %d modules, the code has %d dark", dark, want)
	}
	if got := testqr.Decode(t, img); got != link {
		t.Errorf("the drawn SVG reads %q, want %q", got, link)
	}
	if strings.Contains(string(svg), "<script") {
		t.Error("script in the SVG")
	}
}

func BenchmarkPNG(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		code, _ := Encode(link)
		if _, err := code.PNG(); err != nil {
			b.Fatal(err)
		}
	}
}
