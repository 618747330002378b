package card

import (
	"bytes"
	"image"
	"image/draw"
	"image/png"
	"math"
	"sync"

	gofont "github.com/go-text/typesetting/font"
	ot "github.com/go-text/typesetting/font/opentype"
	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/vector"
)

// subpixels is how many horizontal glyph positions per pixel are cached:
// four keeps spacing even without caching a mask for every fraction.
const subpixels = 4

// maxGlyphCacheBytes bounds the rasterized glyphs kept per font. Names come
// from the public: without a bound, a stream of Chinese names at many sizes
// would grow the cache without end. A full cache is emptied and refills
// with what is drawn next (a mask costs 10–100 µs to rasterize again).
const maxGlyphCacheBytes = 4 << 20

// glyphKey identifies a rasterized glyph: which glyph, at what pixel size,
// with the pen at which quarter of a pixel.
type glyphKey struct {
	gid  gofont.GID
	size uint16
	sub  uint8
}

// glyph is a rasterized glyph and where it goes relative to the integer pen
// position on the baseline: an alpha mask for outline glyphs, or a colour
// image for bitmap glyphs (colour emoji).
type glyph struct {
	mask  *image.Alpha
	color *image.RGBA
	dr    image.Rectangle
}

func (g *glyph) bytes() int {
	n := 64
	if g.mask != nil {
		n += len(g.mask.Pix)
	}
	if g.color != nil {
		n += len(g.color.Pix)
	}
	return n
}

// glyphCache holds a font's rasterized glyphs. The go-text Face it reads
// glyph data through is not safe for concurrent use, so rasterizing happens
// under mu; lookups take mu only briefly.
type glyphCache struct {
	mu    sync.Mutex
	m     map[glyphKey]*glyph
	bytes int
	face  *gofont.Face
	rast  vector.Rasterizer
}

// glyph returns glyph gid of f at size px with the pen at sub/subpixels of
// a pixel, rasterizing it on first use.
func (f *Font) glyph(gid gofont.GID, size int, sub uint8) *glyph {
	c := &f.glyphs
	if f.emoji {
		sub = 0 // bitmaps are placed on whole pixels
	}
	k := glyphKey{gid, uint16(size), sub}
	c.mu.Lock()
	defer c.mu.Unlock()
	if g, ok := c.m[k]; ok {
		return g
	}
	if c.face == nil {
		c.face = gofont.NewFace(f.ft)
	}
	g := f.rasterize(c, gid, float64(size), float64(sub)/subpixels)
	if c.m == nil || c.bytes+g.bytes() > maxGlyphCacheBytes {
		c.m, c.bytes = map[glyphKey]*glyph{}, 0
	}
	c.m[k] = g
	c.bytes += g.bytes()
	return g
}

// maxGlyphPixels bounds one glyph's mask: a font may claim any outline
// bounds, and text is at most 1000 px.
const maxGlyphPixels = 4 << 20

// rasterize draws one glyph; c.mu is held.
func (f *Font) rasterize(c *glyphCache, gid gofont.GID, size, dx float64) *glyph {
	scale := size / f.upem
	if bm, ok := c.face.GlyphDataBitmap(gid); ok && bm.Format == gofont.PNG {
		if g := f.rasterizeBitmap(c, gid, bm, scale); g != nil {
			return g
		}
	}
	ol, ok := c.face.GlyphDataOutline(gid)
	if !ok || len(ol.Segments) == 0 {
		return &glyph{}
	}
	minX, minY := math.Inf(1), math.Inf(1)
	maxX, maxY := math.Inf(-1), math.Inf(-1)
	for _, s := range ol.Segments {
		for _, p := range s.ArgsSlice() {
			minX, maxX = math.Min(minX, float64(p.X)), math.Max(maxX, float64(p.X))
			minY, maxY = math.Min(minY, float64(p.Y)), math.Max(maxY, float64(p.Y))
		}
	}
	x0 := int(math.Floor(minX*scale + dx))
	x1 := int(math.Ceil(maxX*scale + dx))
	y0 := int(math.Floor(-maxY * scale))
	y1 := int(math.Ceil(-minY * scale))
	w, h := x1-x0, y1-y0
	if w <= 0 || h <= 0 || w*h > maxGlyphPixels {
		return &glyph{}
	}
	ox, oy := dx-float64(x0), -float64(y0)
	px := func(p ot.SegmentPoint) (float32, float32) {
		return float32(float64(p.X)*scale + ox), float32(oy - float64(p.Y)*scale)
	}
	z := &c.rast
	z.Reset(w, h)
	for _, s := range ol.Segments {
		switch s.Op {
		case ot.SegmentOpMoveTo:
			z.MoveTo(px(s.Args[0]))
		case ot.SegmentOpLineTo:
			z.LineTo(px(s.Args[0]))
		case ot.SegmentOpQuadTo:
			ax, ay := px(s.Args[0])
			bx, by := px(s.Args[1])
			z.QuadTo(ax, ay, bx, by)
		case ot.SegmentOpCubeTo:
			ax, ay := px(s.Args[0])
			bx, by := px(s.Args[1])
			cx, cy := px(s.Args[2])
			z.CubeTo(ax, ay, bx, by, cx, cy)
		}
	}
	z.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
	return &glyph{mask: mask, dr: image.Rect(x0, y0, x1, y1)}
}

// rasterizeBitmap scales a colour bitmap glyph (a PNG in the font's CBDT or
// sbix table) to the text size; c.mu is held. It returns nil when the
// bitmap cannot be used, so the outline is tried instead.
func (f *Font) rasterizeBitmap(c *glyphCache, gid gofont.GID, bm gofont.GlyphBitmap, scale float64) *glyph {
	ext, ok := c.face.GlyphExtents(gid)
	if !ok || ext.Width <= 0 || ext.Height >= 0 {
		return nil
	}
	src, err := png.Decode(bytes.NewReader(bm.Data))
	if err != nil {
		return nil
	}
	x0 := int(math.Round(float64(ext.XBearing) * scale))
	y0 := int(math.Round(-float64(ext.YBearing) * scale))
	w := int(math.Round(float64(ext.Width) * scale))
	h := int(math.Round(-float64(ext.Height) * scale))
	if w <= 0 || h <= 0 || w*h > maxGlyphPixels {
		return &glyph{}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.CatmullRom.Scale(dst, dst.Rect, src, src.Bounds(), draw.Src, nil)
	return &glyph{color: dst, dr: image.Rect(x0, y0, x0+w, y0+h)}
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
