package jpegrows

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// testImage has edges, gradients and a size that is not a multiple of 16,
// so partial macroblocks at the right and bottom are exercised.
func testImage() *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, 203, 77))
	for y := 0; y < 77; y++ {
		for x := 0; x < 203; x++ {
			c := color.RGBA{uint8(x), uint8(y * 3), uint8((x ^ y) * 7), 255}
			if (x/9+y/7)%5 == 0 {
				c = color.RGBA{250, 240, 20, 255}
			}
			m.SetRGBA(x, y, c)
		}
	}
	return m
}

func TestRowsDecodeLikeImageJPEG(t *testing.T) {
	m := testImage()
	for _, q := range []int{1, 50, 88, 100} {
		e, err := New(m.Rect.Dx(), m.Rect.Dy(), q)
		if err != nil {
			t.Fatal(err)
		}
		var ours, std bytes.Buffer
		if err := e.Encode(&ours, m); err != nil {
			t.Fatal(err)
		}
		if err := jpeg.Encode(&std, m, &jpeg.Options{Quality: q}); err != nil {
			t.Fatal(err)
		}
		a, err := jpeg.Decode(&ours)
		if err != nil {
			t.Fatalf("q%d: our JPEG does not decode: %v", q, err)
		}
		b, _ := jpeg.Decode(&std)
		ay, by := a.(*image.YCbCr), b.(*image.YCbCr)
		if !bytes.Equal(ay.Y, by.Y) || !bytes.Equal(ay.Cb, by.Cb) || !bytes.Equal(ay.Cr, by.Cr) {
			t.Errorf("q%d: decoded pixels differ from image/jpeg's", q)
		}
	}
}

func TestRowsAreIndependent(t *testing.T) {
	m := testImage()
	e, _ := New(m.Rect.Dx(), m.Rect.Dy(), 88)
	before := e.AppendRow(nil, m, 0)
	// Changing row 2 leaves the bytes of row 0 and row 4 alone.
	last := e.AppendRow(nil, m, 4)
	for y := 32; y < 48; y++ {
		for x := 0; x < 203; x++ {
			m.SetRGBA(x, y, color.RGBA{0, 0, 0, 255})
		}
	}
	if !bytes.Equal(before, e.AppendRow(nil, m, 0)) || !bytes.Equal(last, e.AppendRow(nil, m, 4)) {
		t.Error("a row's bytes changed with another row's pixels")
	}
}

// BenchmarkEncode encodes a busy 1200×630 image row by row.
func BenchmarkEncode(b *testing.B) {
	m := image.NewRGBA(image.Rect(0, 0, 1200, 630))
	src := testImage()
	for y := 0; y < 630; y++ {
		for x := 0; x < 1200; x++ {
			m.SetRGBA(x, y, src.RGBAAt(x%203, y%77))
		}
	}
	e, _ := New(1200, 630, 88)
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf = e.AppendHeader(buf[:0])
		for r := 0; r < e.Rows(); r++ {
			buf = e.AppendRow(buf, m, r)
		}
	}
	b.ReportMetric(float64(len(buf)), "bytes/op")
}
