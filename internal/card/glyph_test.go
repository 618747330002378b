package card

import (
	"testing"
)

// TestGlyphCacheStaysBounded draws thousands of distinct Chinese
// characters at a large size, as a stream of Chinese names would: the
// font's cache of rasterized glyphs never holds more than its bound.
func TestGlyphCacheStaysBounded(t *testing.T) {
	var cjk *Font
	for _, f := range testFallback(t) {
		if f.Has('王') {
			cjk = f
			break
		}
	}
	if cjk == nil {
		t.Fatal("no font has 王")
	}
	peak := 0
	for r := rune(0x4E00); r < 0x4E00+1500; r++ {
		gid, ok := cjk.ft.NominalGlyph(r)
		if !ok {
			continue
		}
		for _, size := range []int{64, 120} {
			g := cjk.glyph(gid, size, 0)
			if g.mask == nil {
				t.Fatalf("%c at %d px drew nothing", r, size)
			}
			cjk.glyphs.mu.Lock()
			peak = max(peak, cjk.glyphs.bytes)
			cjk.glyphs.mu.Unlock()
		}
	}
	if peak > maxGlyphCacheBytes {
		t.Errorf("the cache held %d bytes, bound %d", peak, maxGlyphCacheBytes)
	}
	if peak < maxGlyphCacheBytes/2 {
		t.Errorf("the cache peaked at %d bytes: the test did not fill it", peak)
	}
}
