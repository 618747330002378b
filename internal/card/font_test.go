package card

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// freshFont parses a font of its own, so filling its caches leaves the
// other tests' fonts alone.
func freshFont(t *testing.T, file string) *Font {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "fonts", file))
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseFont(file, data)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// cachedGlyphBytes adds up the masks the font's faces keep.
func cachedGlyphBytes(f *Font) int64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	var n int64
	for _, fc := range f.faces {
		fc.glyphs.Range(func(_, v any) bool {
			if g := v.(*glyph); g.mask != nil {
				n += int64(len(g.mask.Pix))
			}
			return true
		})
	}
	return n
}

// Names come from the public: a stream of letters from many scripts,
// fitted at many sizes, must not grow the glyph masks a font keeps past
// its bound, and a glyph asked for past the bound is still drawn right.
func TestGlyphMasksStayWithinTheFontsBound(t *testing.T) {
	f := freshFont(t, "DejaVuSans.ttf")
	var runes []rune
	for _, block := range [][2]rune{{0xC0, 0x17F}, {0x391, 0x3C9}, {0x410, 0x44F}} {
		for r := block[0]; r <= block[1]; r++ {
			if f.Has(r) {
				runes = append(runes, r)
			}
		}
	}
	var asked int64
	for size := 60; size <= 120; size += 10 {
		fc, err := f.faceAt(size)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range runes {
			for sub := range uint8(subpixels) {
				if g := fc.glyph(r, sub); g.mask != nil {
					asked += int64(len(g.mask.Pix))
				}
			}
		}
	}
	if asked <= maxGlyphBytes {
		t.Fatalf("the masks asked for weigh %d bytes, not more than the bound %d: the test proves nothing", asked, maxGlyphBytes)
	}
	if kept := cachedGlyphBytes(f); kept > maxGlyphBytes {
		t.Errorf("the font keeps %d bytes of masks (of %d asked for), want at most %d", kept, asked, maxGlyphBytes)
	}

	// Past the bound a mask is rasterized each time, the same as a fresh
	// font's.
	late, err := f.faceAt(130)
	if err != nil {
		t.Fatal(err)
	}
	want, err := freshFont(t, "DejaVuSans.ttf").faceAt(130)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []rune{'Ж', 'ß', 'Ω'} {
		a, b := late.glyph(r, 1), want.glyph(r, 1)
		if a.dr != b.dr || !bytes.Equal(a.mask.Pix, b.mask.Pix) {
			t.Errorf("%q past the bound is drawn differently from a fresh font's", r)
		}
	}
}
