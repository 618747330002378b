package card

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"io"
	"sync"

	"github.com/klauspost/compress/zlib"
)

// pngEncoderName names the PNG settings in cache keys.
const pngEncoderName = "up-zlib1-band16"

// The PNG writer is small on purpose. On a 1200×630 card, image/png at
// BestSpeed took ~42 ms, almost all of it in compress/flate and its filter
// search; one fixed filter (Up: flat areas and gradients become runs of
// zeros) with klauspost's level-1 deflate takes ~13 ms for files about the
// same size, pixel-identical. Opaque images are written as RGB, a quarter
// fewer bytes to compress.

var pngZlib = sync.Pool{New: func() any {
	w, _ := zlib.NewWriterLevel(io.Discard, 1)
	return w
}}

var pngBufs = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// encodePNG writes img as an 8-bit RGB (opaque) or RGBA PNG.
func encodePNG(w io.Writer, img image.Image) error {
	m := asRGBA(img)
	width, height := m.Rect.Dx(), m.Rect.Dy()
	opaque := m.Opaque()
	bpp := 4
	colorType := byte(6)
	if opaque {
		bpp, colorType = 3, 2
	}

	out := pngBufs.Get().(*bytes.Buffer)
	out.Reset()
	defer pngBufs.Put(out)
	zw := pngZlib.Get().(*zlib.Writer)
	defer pngZlib.Put(zw)
	zw.Reset(out)

	rowLen := width * bpp
	prev := make([]byte, rowLen)
	cur := make([]byte, rowLen)
	filtered := make([]byte, 1+rowLen)
	filtered[0] = 2 // Up
	for y := 0; y < height; y++ {
		src := m.Pix[y*m.Stride : y*m.Stride+width*4]
		if opaque {
			for x, j := 0, 0; x < len(src); x, j = x+4, j+3 {
				cur[j], cur[j+1], cur[j+2] = src[x], src[x+1], src[x+2]
			}
		} else {
			// PNG stores straight alpha; image.RGBA is premultiplied.
			for x := 0; x < len(src); x += 4 {
				a := uint32(src[x+3])
				switch a {
				case 0:
					cur[x], cur[x+1], cur[x+2] = 0, 0, 0
				case 255:
					cur[x], cur[x+1], cur[x+2] = src[x], src[x+1], src[x+2]
				default:
					cur[x] = uint8((uint32(src[x])*255 + a/2) / a)
					cur[x+1] = uint8((uint32(src[x+1])*255 + a/2) / a)
					cur[x+2] = uint8((uint32(src[x+2])*255 + a/2) / a)
				}
				cur[x+3] = uint8(a)
			}
		}
		for i := range cur {
			filtered[1+i] = cur[i] - prev[i]
		}
		if _, err := zw.Write(filtered); err != nil {
			return err
		}
		prev, cur = cur, prev
	}
	if err := zw.Close(); err != nil {
		return err
	}

	return writePNG(w, width, height, colorType, out.Bytes())
}

// writePNG writes the PNG container around one zlib stream of filtered
// 8-bit rows: signature, IHDR, IDAT, IEND.
func writePNG(w io.Writer, width, height int, colorType byte, idat []byte) error {
	var ihdr [13]byte
	binary.BigEndian.PutUint32(ihdr[0:], uint32(width))
	binary.BigEndian.PutUint32(ihdr[4:], uint32(height))
	ihdr[8], ihdr[9] = 8, colorType // bit depth, colour type; the rest 0
	if _, err := io.WriteString(w, "\x89PNG\r\n\x1a\n"); err != nil {
		return err
	}
	if err := writeChunk(w, "IHDR", ihdr[:]); err != nil {
		return err
	}
	if err := writeChunk(w, "IDAT", idat); err != nil {
		return err
	}
	return writeChunk(w, "IEND", nil)
}

func writeChunk(w io.Writer, typ string, data []byte) error {
	var hdr [8]byte
	binary.BigEndian.PutUint32(hdr[:4], uint32(len(data)))
	copy(hdr[4:], typ)
	crc := crc32.NewIEEE()
	crc.Write(hdr[4:])
	crc.Write(data)
	var tail [4]byte
	binary.BigEndian.PutUint32(tail[:], crc.Sum32())
	for _, b := range [][]byte{hdr[:], data, tail[:]} {
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}
