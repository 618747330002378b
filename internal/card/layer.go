package card

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	_ "image/jpeg" // campaign images may be JPEG
	_ "image/png"  // or PNG
	"math"

	"github.com/fogleman/gg"
	xdraw "golang.org/x/image/draw"
)

// Point is a position on the canvas in pixels.
type Point struct{ X, Y float64 }

// Rect is a box on the canvas in pixels: top-left corner and size.
type Rect struct{ X, Y, W, H float64 }

func (r Rect) rect() image.Rectangle {
	return image.Rect(int(math.Floor(r.X)), int(math.Floor(r.Y)), int(math.Ceil(r.X+r.W)), int(math.Ceil(r.Y+r.H)))
}

// within reports whether r lies inside a w×h canvas.
func (r Rect) within(w, h int) bool {
	const eps = 0.5
	return r.W >= 0 && r.H >= 0 && r.X >= -eps && r.Y >= -eps && r.X+r.W <= float64(w)+eps && r.Y+r.H <= float64(h)+eps
}

// String writes the box as in campaign files: [x y width height].
func (r Rect) String() string {
	return fmt.Sprintf("[%g %g %g %g]", r.X, r.Y, r.W, r.H)
}

// Stop is one colour stop of a gradient; Offset runs from 0 to 1.
type Stop struct {
	Offset float64
	Color  color.NRGBA
}

// Layer is one element of a template, drawn in order.
type Layer interface {
	// Bounds is the area the layer may draw into.
	Bounds() Rect
	paint(p *painter) error
}

// painter draws the static layers of a template into its base image.
type painter struct {
	img      *image.RGBA
	dc       *gg.Context
	sh       *shaper
	fallback []*Font
	missing  missingFunc
}

// Fill covers the canvas with one colour.
type Fill struct{ Color color.NRGBA }

// Bounds implements Layer.
func (Fill) Bounds() Rect { return Rect{} }

func (l Fill) paint(p *painter) error {
	if l.Color.A == 255 {
		// The usual first layer: set the pixels, nothing to blend.
		px := [4]uint8{l.Color.R, l.Color.G, l.Color.B, 255}
		for i := 0; i < len(p.img.Pix); i += 4 {
			copy(p.img.Pix[i:i+4], px[:])
		}
		return nil
	}
	fillFunc(p.img, p.img.Rect, func(x, y int) color.NRGBA { return l.Color })
	return nil
}

// LinearGradient shades the canvas along the line From → To.
type LinearGradient struct {
	From, To Point
	Stops    []Stop
}

// Bounds implements Layer.
func (LinearGradient) Bounds() Rect { return Rect{} }

func (l LinearGradient) paint(p *painter) error {
	dx, dy := l.To.X-l.From.X, l.To.Y-l.From.Y
	d2 := dx*dx + dy*dy
	if d2 == 0 {
		d2 = 1
	}
	lut := newGradientLUT(l.Stops)
	fillFunc(p.img, p.img.Rect, func(x, y int) color.NRGBA {
		t := ((float64(x)+0.5-l.From.X)*dx + (float64(y)+0.5-l.From.Y)*dy) / d2
		return lut.at(t)
	})
	return nil
}

// RadialGradient shades outward from Center; offset 1 is at Radius.
type RadialGradient struct {
	Center Point
	Radius float64
	Stops  []Stop
}

// Bounds implements Layer.
func (RadialGradient) Bounds() Rect { return Rect{} }

func (l RadialGradient) paint(p *painter) error {
	r := l.Radius
	if r <= 0 {
		r = 1
	}
	lut := newGradientLUT(l.Stops)
	fillFunc(p.img, p.img.Rect, func(x, y int) color.NRGBA {
		dx, dy := float64(x)+0.5-l.Center.X, float64(y)+0.5-l.Center.Y
		return lut.at(math.Sqrt(dx*dx+dy*dy) / r)
	})
	return nil
}

// ShapeKind names the shapes a Shape layer can draw inside its box.
type ShapeKind int

// Shapes.
const (
	ShapeRect    ShapeKind = iota // a rectangle, rounded by Radius
	ShapeEllipse                  // an ellipse touching the box
	ShapeDiamond                  // a rhombus touching the middle of each side
	ShapeSparkle                  // a four-pointed star with concave sides
)

// Shape is a filled and/or stroked shape. A zero Fill or Stroke colour (alpha
// 0) is not drawn. The stroke is centred on the outline, so it stays inside
// Box only when the box leaves half the stroke width free.
type Shape struct {
	Kind        ShapeKind
	Box         Rect
	Radius      float64
	Fill        color.NRGBA
	Stroke      color.NRGBA
	StrokeWidth float64
}

// Bounds implements Layer.
func (l Shape) Bounds() Rect { return l.Box }

func (l Shape) paint(p *painter) error {
	dc := p.dc
	b := l.Box
	cx, cy := b.X+b.W/2, b.Y+b.H/2
	path := func() {
		dc.NewSubPath()
		switch l.Kind {
		case ShapeRect:
			if l.Radius > 0 {
				dc.DrawRoundedRectangle(b.X, b.Y, b.W, b.H, l.Radius)
			} else {
				dc.DrawRectangle(b.X, b.Y, b.W, b.H)
			}
		case ShapeEllipse:
			dc.DrawEllipse(cx, cy, b.W/2, b.H/2)
		case ShapeDiamond:
			dc.MoveTo(cx, b.Y)
			dc.LineTo(b.X+b.W, cy)
			dc.LineTo(cx, b.Y+b.H)
			dc.LineTo(b.X, cy)
			dc.ClosePath()
		case ShapeSparkle:
			dc.MoveTo(cx, b.Y)
			dc.QuadraticTo(cx, cy, b.X+b.W, cy)
			dc.QuadraticTo(cx, cy, cx, b.Y+b.H)
			dc.QuadraticTo(cx, cy, b.X, cy)
			dc.QuadraticTo(cx, cy, cx, b.Y)
			dc.ClosePath()
		}
	}
	if l.Fill.A > 0 {
		path()
		dc.SetColor(l.Fill)
		dc.Fill()
	}
	if l.Stroke.A > 0 && l.StrokeWidth > 0 {
		path()
		dc.SetColor(l.Stroke)
		dc.SetLineWidth(l.StrokeWidth)
		dc.SetDash()
		dc.Stroke()
	}
	return nil
}

// Line is a straight stroke, optionally dashed (on, off, … in pixels).
type Line struct {
	From, To Point
	Color    color.NRGBA
	Width    float64
	Dash     []float64
}

// Bounds implements Layer.
func (l Line) Bounds() Rect {
	x0, x1 := math.Min(l.From.X, l.To.X), math.Max(l.From.X, l.To.X)
	y0, y1 := math.Min(l.From.Y, l.To.Y), math.Max(l.From.Y, l.To.Y)
	return Rect{x0, y0, x1 - x0, y1 - y0}
}

func (l Line) paint(p *painter) error {
	dc := p.dc
	dc.NewSubPath()
	dc.MoveTo(l.From.X, l.From.Y)
	dc.LineTo(l.To.X, l.To.Y)
	dc.SetColor(l.Color)
	dc.SetLineWidth(l.Width)
	dc.SetLineCapButt()
	dc.SetDash(l.Dash...)
	dc.Stroke()
	dc.SetDash()
	return nil
}

// Corners draws L-shaped brackets of arm length Length at the four corners
// of Box, the classic frame of an engraved invitation.
type Corners struct {
	Box    Rect
	Length float64
	Color  color.NRGBA
	Width  float64
}

// Bounds implements Layer.
func (l Corners) Bounds() Rect { return l.Box }

func (l Corners) paint(p *painter) error {
	dc := p.dc
	b, n := l.Box, l.Length
	h := l.Width / 2 // keep the stroke inside the box
	x0, y0, x1, y1 := b.X+h, b.Y+h, b.X+b.W-h, b.Y+b.H-h
	for _, c := range [][3]Point{
		{{x0, y0 + n}, {x0, y0}, {x0 + n, y0}},
		{{x1 - n, y0}, {x1, y0}, {x1, y0 + n}},
		{{x1, y1 - n}, {x1, y1}, {x1 - n, y1}},
		{{x0 + n, y1}, {x0, y1}, {x0, y1 - n}},
	} {
		dc.NewSubPath()
		dc.MoveTo(c[0].X, c[0].Y)
		dc.LineTo(c[1].X, c[1].Y)
		dc.LineTo(c[2].X, c[2].Y)
	}
	dc.SetColor(l.Color)
	dc.SetLineWidth(l.Width)
	dc.SetLineCapSquare()
	dc.SetLineJoinRound()
	dc.SetDash()
	dc.Stroke()
	return nil
}

// Image is a decoded picture from a campaign's assets.
type Image struct {
	name string
	hash string
	img  image.Image
}

// DecodeImage decodes a PNG or JPEG file. The name is used in messages; the
// content hash becomes part of the versions of templates that use it.
func DecodeImage(name string, data []byte) (*Image, error) {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("decode image %s: %w", name, err)
	}
	sum := sha256.Sum256(data)
	return &Image{name: name, hash: hex.EncodeToString(sum[:8]), img: img}, nil
}

// String identifies the image by name and content.
func (i *Image) String() string { return i.name + "@" + i.hash }

// ImageFit says how a picture fills its box.
type ImageFit int

// Fits.
const (
	FitCover   ImageFit = iota // fill the box, cropping the overflow
	FitContain                 // show all of it, centred in the box
	FitStretch                 // fill the box, ignoring the aspect ratio
)

// Picture draws an Image scaled into Box with the given opacity (0–1).
type Picture struct {
	Image   *Image
	Box     Rect
	Fit     ImageFit
	Opacity float64
}

// Bounds implements Layer.
func (l Picture) Bounds() Rect { return l.Box }

func (l Picture) paint(p *painter) error {
	src := l.Image.img
	sb := src.Bounds()
	box := l.Box.rect()
	sw, sh := float64(sb.Dx()), float64(sb.Dy())
	if sw == 0 || sh == 0 || box.Empty() {
		return nil
	}
	dstRect := box
	srcRect := sb
	switch l.Fit {
	case FitContain:
		s := math.Min(float64(box.Dx())/sw, float64(box.Dy())/sh)
		w, h := int(math.Round(sw*s)), int(math.Round(sh*s))
		x := box.Min.X + (box.Dx()-w)/2
		y := box.Min.Y + (box.Dy()-h)/2
		dstRect = image.Rect(x, y, x+w, y+h)
	case FitCover:
		s := math.Max(float64(box.Dx())/sw, float64(box.Dy())/sh)
		w, h := int(math.Round(float64(box.Dx())/s)), int(math.Round(float64(box.Dy())/s))
		x := sb.Min.X + (sb.Dx()-w)/2
		y := sb.Min.Y + (sb.Dy()-h)/2
		srcRect = image.Rect(x, y, x+w, y+h)
	}
	scaled := image.NewRGBA(image.Rect(0, 0, dstRect.Dx(), dstRect.Dy()))
	xdraw.CatmullRom.Scale(scaled, scaled.Rect, src, srcRect, draw.Src, nil)
	op := l.Opacity
	if op <= 0 || op > 1 {
		op = 1
	}
	mask := image.NewUniform(color.Alpha{A: uint8(math.Round(op * 255))})
	draw.DrawMask(p.img, dstRect, scaled, image.Point{}, mask, image.Point{}, draw.Over)
	return nil
}

// Bounds implements Layer.
func (t TextBox) Bounds() Rect { return t.Box }

func (t TextBox) paint(p *painter) error {
	return t.draw(p.img, p.sh, t.Text, p.fallback, p.missing)
}

// fillFunc composites the colour fn returns for each pixel of r over img.
// A plain loop: gg's pattern fill costs ~95 ms for a 1200×630 gradient,
// this ~2 ms, and it runs once per template anyway.
func fillFunc(img *image.RGBA, r image.Rectangle, fn func(x, y int) color.NRGBA) {
	r = r.Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		i := img.PixOffset(r.Min.X, y)
		for x := r.Min.X; x < r.Max.X; x++ {
			c := fn(x, y)
			a := uint32(c.A)
			if a == 0 {
				i += 4
				continue
			}
			px := img.Pix[i : i+4 : i+4]
			// Premultiplied "over": dst = src·a + dst·(1−a).
			px[0] = uint8((uint32(c.R)*a + uint32(px[0])*(255-a) + 127) / 255)
			px[1] = uint8((uint32(c.G)*a + uint32(px[1])*(255-a) + 127) / 255)
			px[2] = uint8((uint32(c.B)*a + uint32(px[2])*(255-a) + 127) / 255)
			px[3] = uint8((255*a + uint32(px[3])*(255-a) + 127) / 255)
			i += 4
		}
	}
}

// gradientSteps is the resolution of a gradient's look-up table: finer than
// the 256 levels a channel can show, so the table adds no visible banding.
const gradientSteps = 2048

// gradientLUT is a gradient sampled at gradientSteps+1 points of t in [0, 1]:
// interpolating the stops once per pixel was most of the cost of loading a
// campaign.
type gradientLUT struct {
	c [gradientSteps + 1]color.NRGBA
}

func newGradientLUT(stops []Stop) *gradientLUT {
	l := &gradientLUT{}
	for i := range l.c {
		l.c[i] = gradientAt(stops, float64(i)/gradientSteps)
	}
	return l
}

func (l *gradientLUT) at(t float64) color.NRGBA {
	switch {
	case !(t > 0): // also NaN
		return l.c[0]
	case t >= 1:
		return l.c[gradientSteps]
	}
	return l.c[int(t*gradientSteps+0.5)]
}

// gradientAt interpolates the stops at t (clamped to the first and last).
func gradientAt(stops []Stop, t float64) color.NRGBA {
	if len(stops) == 0 {
		return color.NRGBA{}
	}
	if t <= stops[0].Offset {
		return stops[0].Color
	}
	for i := 1; i < len(stops); i++ {
		a, b := stops[i-1], stops[i]
		if t <= b.Offset {
			span := b.Offset - a.Offset
			f := 0.0
			if span > 0 {
				f = (t - a.Offset) / span
			}
			mix := func(x, y uint8) uint8 {
				return uint8(math.Round(float64(x) + (float64(y)-float64(x))*f))
			}
			return color.NRGBA{mix(a.Color.R, b.Color.R), mix(a.Color.G, b.Color.G), mix(a.Color.B, b.Color.B), mix(a.Color.A, b.Color.A)}
		}
	}
	return stops[len(stops)-1].Color
}
