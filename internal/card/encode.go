package card

import (
	"fmt"
	"image"
	"image/draw"
	"io"
	"strconv"
)

// DefaultJPEGQuality is the JPEG quality used when none is given. Measured
// on the demo og card against the lossless render (docs/performance.md):
// q80 gives 34.7 dB PSNR at 81 KB, q88 36.2 dB at 102 KB, q95 37.9 dB at
// 150 KB. Past 88 each decibel costs about 40 KB more; below it the haze
// around the small sans text and hairline rules starts to show. Every
// variant stays far under WhatsApp's 300 KB limit for og images.
const DefaultJPEGQuality = 88

// EncodeOptions are the encoder settings; their String is part of every
// cache key.
type EncodeOptions struct {
	// JPEGQuality is 1–100; 0 means DefaultJPEGQuality.
	JPEGQuality int
}

// Quality is the JPEG quality actually used.
func (o EncodeOptions) Quality() int {
	switch q := o.JPEGQuality; {
	case q == 0:
		return DefaultJPEGQuality
	case q < 1:
		return 1
	case q > 100:
		return 100
	default:
		return q
	}
}

// String describes every setting that changes the encoded bytes, including
// which JPEG encoder the binary was built with (their output differs), so
// two settings with equal strings give equal bytes for equal images.
func (o EncodeOptions) String() string {
	return "jpeg=" + jpegEncoderName + "-q" + strconv.Itoa(o.Quality()) + "-420;png=" + pngEncoderName
}

// Encode writes img in format f. For a card, prefer RenderBytes: it reuses
// the parts of the file that the template's base image determines. Its JPEG
// equals Encode's byte for byte; its PNG decodes to the same pixels but is
// compressed in bands, so the bytes differ.
func Encode(w io.Writer, img image.Image, f Format, o EncodeOptions) error {
	switch f {
	case PNG:
		return encodePNG(w, img)
	case JPEG:
		return encodeJPEG(w, img, o.Quality())
	}
	return fmt.Errorf("card: encode: unknown format %q", f)
}

// appender is an io.Writer that appends to a slice, so the encoders that
// write can fill a pooled buffer.
type appender []byte

func (a *appender) Write(p []byte) (int, error) {
	*a = append(*a, p...)
	return len(p), nil
}

// asRGBA returns img as an *image.RGBA starting at (0, 0), converting only
// when it is not one already.
func asRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	r := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(r, r.Rect, img, b.Min, draw.Src)
	return r
}
