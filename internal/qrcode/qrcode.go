// Package qrcode draws QR codes as SVG and PNG. The encoding (error
// correction, masking, versions) is github.com/boombuler/barcode's; this
// package owns only how a code looks: dark modules on white, a quiet zone
// of four modules (ISO/IEC 18004), whole pixels per module.
package qrcode

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strconv"

	"github.com/boombuler/barcode/qr"
)

// QuietZone is the white margin around the code, in modules: the four
// the standard asks for, which phone cameras need to find the code on a
// busy background.
const QuietZone = 4

// Style names everything that decides how a code is drawn; it is part of
// the codes' cache version, so a change to it gives new URLs.
const Style = "ecl=M quiet=4 png-min=600 colours=#000/#fff"

// Code is an encoded QR code: Size × Size modules, quiet zone excluded.
type Code struct {
	Size int
	dark []bool
}

// Encode makes text into a QR code at error correction level M (15 % of
// the code may be lost: a smudge, a crease, a logo over a corner).
func Encode(text string) (*Code, error) {
	bc, err := qr.Encode(text, qr.M, qr.Auto)
	if err != nil {
		return nil, fmt.Errorf("qrcode: %w", err)
	}
	b := bc.Bounds()
	c := &Code{Size: b.Dx(), dark: make([]bool, b.Dx()*b.Dy())}
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			g := color.GrayModel.Convert(bc.At(b.Min.X+x, b.Min.Y+y)).(color.Gray)
			c.dark[y*c.Size+x] = g.Y < 128
		}
	}
	return c, nil
}

// Dark reports whether the module at x, y (0-based, quiet zone excluded)
// is dark.
func (c *Code) Dark(x, y int) bool { return c.dark[y*c.Size+x] }

// minPNG is the least width of a PNG: sharp when printed on A5 or shown
// full-width on a phone.
const minPNG = 600

// PNG draws the code as a two-colour PNG at least 600 pixels wide, every
// module the same whole number of pixels.
func (c *Code) PNG() ([]byte, error) {
	total := c.Size + 2*QuietZone
	scale := (minPNG + total - 1) / total
	w := total * scale
	img := image.NewPaletted(image.Rect(0, 0, w, w), color.Palette{color.White, color.Black})
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; x++ {
			if !c.Dark(x, y) {
				continue
			}
			x0, y0 := (x+QuietZone)*scale, (y+QuietZone)*scale
			for py := y0; py < y0+scale; py++ {
				row := img.Pix[py*img.Stride+x0 : py*img.Stride+x0+scale]
				for i := range row {
					row[i] = 1
				}
			}
		}
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("qrcode: %w", err)
	}
	return buf.Bytes(), nil
}

// SVG draws the code as an SVG document in module units (it scales to any
// size without blur): one white square and one path of the dark modules,
// each row's runs as rectangles. title is the accessible name.
func (c *Code) SVG(title string) []byte {
	total := c.Size + 2*QuietZone
	var b bytes.Buffer
	n := strconv.Itoa(total)
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" version="1.1" viewBox="0 0 ` + n + ` ` + n +
		`" width="` + strconv.Itoa(total*8) + `" height="` + strconv.Itoa(total*8) + `" shape-rendering="crispEdges" role="img">`)
	b.WriteString("<title>")
	xml.EscapeText(&b, []byte(title))
	b.WriteString("</title>")
	b.WriteString(`<rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for y := 0; y < c.Size; y++ {
		for x := 0; x < c.Size; {
			if !c.Dark(x, y) {
				x++
				continue
			}
			run := 1
			for x+run < c.Size && c.Dark(x+run, y) {
				run++
			}
			fmt.Fprintf(&b, "M%d %dh%dv1h-%dz", x+QuietZone, y+QuietZone, run, run)
			x += run
		}
	}
	b.WriteString(`"/></svg>` + "\n")
	return b.Bytes()
}
