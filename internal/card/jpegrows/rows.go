// Package jpegrows is image/jpeg's baseline encoder (the same quantization
// and Huffman tables, DCT and 4:2:0 subsampling; dct.go and writer.go are
// copied from the Go standard library under its BSD licence, which is in
// LICENSE here) cut so that an image is encoded one row of 16×16 macroblocks
// at a time.
//
// Each macroblock row is its own restart interval: DC prediction restarts
// and the row ends byte-aligned with an RSTn marker, so the bytes of a row
// depend only on that row's pixels, the quality and the row's position.
// A caller that knows which rows of an image never change can encode those
// once and re-encode only the rest; concatenated, the rows form one ordinary
// baseline JPEG that any decoder reads.
package jpegrows

import (
	"errors"
	"image"
	"io"
)

const (
	sof0Marker = 0xc0 // Start Of Frame (Baseline Sequential).
	dhtMarker  = 0xc4 // Define Huffman Table.
	rst0Marker = 0xd0 // ReSTart (0).
	dqtMarker  = 0xdb // Define Quantization Table.
	driMarker  = 0xdd // Define Restart Interval.
)

// unzig maps from the zig-zag ordering to the natural ordering.
var unzig = [blockSize]int{
	0, 1, 8, 16, 9, 2, 3, 10,
	17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34,
	27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36,
	29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46,
	53, 60, 61, 54, 47, 55, 62, 63,
}

// sliceWriter appends to a byte slice; the encoder writes through it.
type sliceWriter struct{ b []byte }

func (s *sliceWriter) Write(p []byte) (int, error) { s.b = append(s.b, p...); return len(p), nil }
func (s *sliceWriter) WriteByte(c byte) error      { s.b = append(s.b, c); return nil }

// Encoder encodes images of one size at one quality.
type Encoder struct {
	width, height int
	quant         [nQuantIndex][blockSize]byte
	header        []byte
}

// New returns an encoder for width×height images at quality 1–100
// (clamped, as image/jpeg clamps it).
func New(width, height, quality int) (*Encoder, error) {
	if width <= 0 || height <= 0 || width >= 1<<16 || height >= 1<<16 {
		return nil, errors.New("jpegrows: image size out of range")
	}
	quality = max(1, min(quality, 100))
	var scale int
	if quality < 50 {
		scale = 5000 / quality
	} else {
		scale = 200 - quality*2
	}
	e := &Encoder{width: width, height: height}
	for i := range e.quant {
		for j := range e.quant[i] {
			x := (int(unscaledQuant[i][j])*scale + 50) / 100
			e.quant[i][j] = uint8(max(1, min(x, 255)))
		}
	}
	sw := &sliceWriter{}
	enc := encoder{w: sw, quant: e.quant}
	enc.write([]byte{0xff, 0xd8}) // Start Of Image
	enc.writeDQT()
	enc.writeSOF0(image.Pt(width, height), 3)
	enc.writeDHT(3)
	interval := (width + 15) / 16
	enc.writeMarkerHeader(driMarker, 4)
	enc.write([]byte{uint8(interval >> 8), uint8(interval)})
	enc.write(sosHeaderYCbCr)
	e.header = sw.b
	return e, nil
}

// Rows is the number of macroblock rows: one per 16 pixel rows.
func (e *Encoder) Rows() int { return (e.height + 15) / 16 }

// AppendHeader appends everything before the first row.
func (e *Encoder) AppendHeader(dst []byte) []byte { return append(dst, e.header...) }

// AppendTrailer appends the End Of Image marker.
func (e *Encoder) AppendTrailer(dst []byte) []byte { return append(dst, 0xff, 0xd9) }

// AppendRow appends the entropy-coded macroblock row of m (which must have
// the encoder's size) and, unless it is the last row, its restart marker.
func (e *Encoder) AppendRow(dst []byte, m *image.RGBA, row int) []byte {
	sw := &sliceWriter{b: dst}
	enc := encoder{w: sw, quant: e.quant}
	var (
		b                           block
		cb, cr                      [4]block
		prevDCY, prevDCCb, prevDCCr int32
	)
	bounds := m.Bounds()
	y := bounds.Min.Y + row*16
	for x := bounds.Min.X; x < bounds.Max.X; x += 16 {
		for i := 0; i < 4; i++ {
			p := image.Pt(x+(i&1)*8, y+(i&2)*4)
			rgbaToYCbCr(m, p, &b, &cb[i], &cr[i])
			prevDCY = enc.writeBlock(&b, 0, prevDCY)
		}
		scale(&b, &cb)
		prevDCCb = enc.writeBlock(&b, 1, prevDCCb)
		scale(&b, &cr)
		prevDCCr = enc.writeBlock(&b, 1, prevDCCr)
	}
	// Pad the last byte with 1's, as image/jpeg does.
	enc.emit(0x7f, 7)
	if row < e.Rows()-1 {
		sw.b = append(sw.b, 0xff, rst0Marker+uint8(row%8))
	}
	return sw.b
}

// Encode writes all of m.
func (e *Encoder) Encode(w io.Writer, m *image.RGBA) error {
	if m.Bounds().Dx() != e.width || m.Bounds().Dy() != e.height {
		return errors.New("jpegrows: image size differs from the encoder's")
	}
	out := e.AppendHeader(make([]byte, 0, e.width*e.height/8))
	for r := 0; r < e.Rows(); r++ {
		out = e.AppendRow(out, m, r)
	}
	_, err := w.Write(e.AppendTrailer(out))
	return err
}
