package card

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"math"
	"sync"
	"sync/atomic"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Font is one parsed font file (TrueType or OpenType/CFF). It is parsed once
// and safe for concurrent use: glyph metrics are cached per rune, faces per
// pixel size, and rasterized glyphs per face, so a render after the first
// one for a given size only copies cached masks.
type Font struct {
	name string
	hash string
	sf   *sfnt.Font
	upem float64
	// ascent and descent in em, from the font's metrics.
	ascent, descent float64

	mu    sync.Mutex // guards buf and faces
	buf   sfnt.Buffer
	faces map[int]*face

	runes  sync.Map // rune → runeInfo
	kerns  sync.Map // [2]rune → float64 em
	nRunes atomic.Int64
	nKerns atomic.Int64
	// glyphBytes is what the glyph masks of all the font's faces weigh.
	glyphBytes atomic.Int64
}

// Cache bounds. Names come from the public, so without a bound a stream of
// exotic letters at many sizes could grow the caches without end; past the
// bound, lookups are computed each time instead (correct, just slower).
const (
	maxCachedRunes  = 1 << 15 // per font
	maxCachedKerns  = 1 << 16 // per font
	maxCachedGlyphs = 1 << 13 // per face (font and size)
	// maxGlyphBytes bounds the masks of all of a font's faces together: a
	// face is made for every pixel size a name is fitted at, so a bound per
	// face alone let 12,000 renders of names in Latin, Greek and Cyrillic
	// letters keep 250 MiB of masks. Names in one script at the sizes a
	// design uses need a few MiB.
	maxGlyphBytes = 8 << 20 // per font
	// glyphOverhead is what a cached mask costs beside its pixels.
	glyphOverhead = 160
)

// runeInfo is what layout needs to know about one rune in one font, in em.
type runeInfo struct {
	has      bool
	advance  float64
	inkLeft  float64 // left edge of the ink relative to the origin
	inkRight float64 // right edge of the ink relative to the origin
}

// ParseFont parses a TrueType or OpenType font. The name is used in logs and
// error messages; the content hash becomes part of every template version
// that uses the font.
func ParseFont(name string, data []byte) (*Font, error) {
	sf, err := sfnt.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse font %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	f := &Font{name: name, hash: hex.EncodeToString(sum[:8]), sf: sf, faces: map[int]*face{}}
	f.upem = float64(sf.UnitsPerEm())
	m, err := sf.Metrics(&f.buf, fixed.Int26_6(sf.UnitsPerEm())<<6, font.HintingNone)
	if err != nil {
		return nil, fmt.Errorf("parse font %s: metrics: %w", name, err)
	}
	f.ascent = float64(m.Ascent) / 64 / f.upem
	f.descent = float64(m.Descent) / 64 / f.upem
	if f.ascent <= 0 || f.ascent+f.descent <= 0 {
		return nil, fmt.Errorf("parse font %s: unusable vertical metrics", name)
	}
	return f, nil
}

// Name is the name the font was parsed under (usually its path).
func (f *Font) Name() string { return f.name }

// String identifies the font by name and content, so a template version
// changes when the font file does.
func (f *Font) String() string { return f.name + "@" + f.hash }

// Has reports whether the font has a glyph for r.
func (f *Font) Has(r rune) bool { return f.info(r).has }

// info returns the cached metrics of r, loading them on first use.
func (f *Font) info(r rune) runeInfo {
	if v, ok := f.runes.Load(r); ok {
		return v.(runeInfo)
	}
	f.mu.Lock()
	ri := f.loadInfo(r)
	f.mu.Unlock()
	if f.nRunes.Add(1) <= maxCachedRunes {
		f.runes.Store(r, ri)
	}
	return ri
}

// loadInfo reads the metrics of r at one em per upem unit; f.mu is held.
func (f *Font) loadInfo(r rune) runeInfo {
	x, err := f.sf.GlyphIndex(&f.buf, r)
	if err != nil || x == 0 {
		return runeInfo{}
	}
	ppem := fixed.Int26_6(f.sf.UnitsPerEm()) << 6
	b, adv, err := f.sf.GlyphBounds(&f.buf, x, ppem, font.HintingNone)
	if err != nil {
		return runeInfo{}
	}
	k := 64 * f.upem
	ri := runeInfo{has: true, advance: float64(adv) / k}
	if b.Max.X > b.Min.X {
		ri.inkLeft, ri.inkRight = float64(b.Min.X)/k, float64(b.Max.X)/k
	} else {
		ri.inkRight = ri.advance // a space: no ink
	}
	return ri
}

// kern is the kerning between a and b in em (negative pulls them together),
// from the font's kern or GPOS pair table.
func (f *Font) kern(a, b rune) float64 {
	k := [2]rune{a, b}
	if v, ok := f.kerns.Load(k); ok {
		return v.(float64)
	}
	f.mu.Lock()
	var em float64
	ia, errA := f.sf.GlyphIndex(&f.buf, a)
	ib, errB := f.sf.GlyphIndex(&f.buf, b)
	if errA == nil && errB == nil && ia != 0 && ib != 0 {
		ppem := fixed.Int26_6(f.sf.UnitsPerEm()) << 6
		if d, err := f.sf.Kern(&f.buf, ia, ib, ppem, font.HintingNone); err == nil {
			em = float64(d) / 64 / f.upem
		}
	}
	f.mu.Unlock()
	if f.nKerns.Add(1) <= maxCachedKerns {
		f.kerns.Store(k, em)
	}
	return em
}

// face is a font at one pixel size. The opentype face rasterizes with shared
// scratch buffers, so it is used under mu; finished glyph masks are cached
// and read without locking.
type face struct {
	mu      sync.Mutex
	of      font.Face
	glyphs  sync.Map // glyphKey → *glyph
	nGlyphs atomic.Int64
	bytes   *atomic.Int64 // the font's glyphBytes
}

// subpixels is how many horizontal glyph positions per pixel are cached:
// four keeps spacing even without caching a mask for every fraction.
const subpixels = 4

type glyphKey struct {
	r   rune
	sub uint8
}

// glyph is a rasterized glyph: its mask and where it goes relative to the
// integer pen position on the baseline.
type glyph struct {
	mask *image.Alpha
	dr   image.Rectangle
}

// faceAt returns the cached face for an integer pixel size.
func (f *Font) faceAt(size int) (*face, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if fc, ok := f.faces[size]; ok {
		return fc, nil
	}
	of, err := opentype.NewFace(f.sf, &opentype.FaceOptions{Size: float64(size), DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		return nil, fmt.Errorf("font %s at %dpx: %w", f.name, size, err)
	}
	fc := &face{of: of, bytes: &f.glyphBytes}
	f.faces[size] = fc
	return fc, nil
}

// glyph returns the mask of r with the pen at sub/subpixels of a pixel.
func (fc *face) glyph(r rune, sub uint8) *glyph {
	k := glyphKey{r, sub}
	if v, ok := fc.glyphs.Load(k); ok {
		return v.(*glyph)
	}
	fc.mu.Lock()
	dot := fixed.Point26_6{X: fixed.Int26_6(int(sub) * 64 / subpixels)}
	dr, mask, maskp, _, ok := fc.of.Glyph(dot, r)
	g := &glyph{}
	if ok && !dr.Empty() {
		// The face reuses its mask buffer on the next call: keep a copy.
		a := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
		src, _ := mask.(*image.Alpha)
		if src != nil {
			for y := 0; y < dr.Dy(); y++ {
				o := src.PixOffset(maskp.X, maskp.Y+y)
				copy(a.Pix[y*a.Stride:], src.Pix[o:o+dr.Dx()])
			}
		}
		g.mask, g.dr = a, dr
	}
	fc.mu.Unlock()
	weight := int64(glyphOverhead)
	if g.mask != nil {
		weight += int64(len(g.mask.Pix))
	}
	if fc.nGlyphs.Add(1) <= maxCachedGlyphs && fc.bytes.Add(weight) <= maxGlyphBytes {
		fc.glyphs.Store(k, g)
	}
	return g
}

// splitX splits a pen position in pixels into the integer pixel and the
// cached sub-pixel step.
func splitX(x float64) (int, uint8) {
	ix := math.Floor(x)
	sub := int(math.Floor((x - ix) * subpixels))
	if sub >= subpixels {
		sub = subpixels - 1
	}
	return int(ix), uint8(sub)
}
