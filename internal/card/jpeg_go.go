//go:build !turbojpeg || !cgo

package card

import (
	"image"
	"image/jpeg"
	"io"
)

// jpegEncoderName names the JPEG encoder in cache keys.
const jpegEncoderName = "go"

// encodeJPEG uses the standard library: pure Go, so the default build needs
// no C toolchain (CGO_ENABLED=0). Build with -tags turbojpeg for the
// libjpeg-turbo encoder, about 7× faster.
func encodeJPEG(w io.Writer, img image.Image, quality int) error {
	return jpeg.Encode(w, asRGBA(img), &jpeg.Options{Quality: quality})
}
