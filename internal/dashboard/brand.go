package dashboard

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"
)

// palette is a campaign's colours as the dashboard and the report use
// them: the campaign's own where they are legible, else a darker or
// lighter shade of them that is. Text needs 4.5:1 against what it sits
// on, chart marks 3:1 (WCAG 2.1 AA, 1.4.3 and 1.4.11).
type palette struct {
	// Band is the header band (the campaign's background), BandText its
	// text (the campaign's foreground) and BandSoft its second text (the
	// campaign's accent), each at least 4.5:1 on Band.
	Band, BandText, BandSoft color.NRGBA
	// Accent is the campaign's accent as text or links on the page's
	// light grounds, at least 4.5:1 on both.
	Accent color.NRGBA
	// Views and Goal are the charts' two series (page views; declines and
	// learning clicks), at least 3:1 on the chart's grounds and told apart
	// from each other.
	Views, Goal color.NRGBA
}

// The grounds the page draws on: the body, the panels and the bar track.
var (
	groundPage  = rgb(0xf3f4f6)
	groundPanel = rgb(0xffffff)
	lightGround = []color.NRGBA{groundPage, groundPanel}
)

// defaultPalette is the dashboard's own look, for a campaign without
// colours (or an id no campaign has).
var defaultColors = [3]color.NRGBA{rgb(0x0f172a), rgb(0xf8fafc), rgb(0x1d4ed8)}

// newPalette derives the palette from a campaign's background,
// foreground and accent.
func newPalette(bg, fg, accent color.NRGBA) palette {
	p := palette{Band: bg}
	p.BandText = legible(fg, []color.NRGBA{bg}, 4.5)
	p.BandSoft = legible(accent, []color.NRGBA{bg}, 4.5)
	p.Accent = legible(accent, lightGround, 4.5)
	p.Views = legible(bg, lightGround, 3)
	p.Goal = legible(accent, lightGround, 3)
	if contrast(p.Views, p.Goal) < 1.5 {
		// One colour for both series (a campaign whose accent is its
		// background): the goal takes a red of its own.
		p.Goal = rgb(0xb91c1c)
	}
	return p
}

// css is the palette as the stylesheet's custom properties.
func (p palette) css() string {
	return fmt.Sprintf(":root{--band:%s;--band-text:%s;--band-soft:%s;--accent:%s}",
		hexOf(p.Band), hexOf(p.BandText), hexOf(p.BandSoft), hexOf(p.Accent))
}

func rgb(v uint32) color.NRGBA {
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 255}
}

func hexOf(c color.NRGBA) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// parseHex reads "#rrggbb" (or "#rgb"); ok is false for anything else.
func parseHex(s string) (color.NRGBA, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "#")
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	if len(s) != 6 {
		return color.NRGBA{}, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	if err != nil {
		return color.NRGBA{}, false
	}
	return rgb(uint32(v)), true
}

// luminance is the relative luminance of WCAG 2.1.
func luminance(c color.NRGBA) float64 {
	ch := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(c.R) + 0.7152*ch(c.G) + 0.0722*ch(c.B)
}

// contrast is the WCAG contrast ratio of two colours, 1 to 21.
func contrast(a, b color.NRGBA) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

// legible is c if it has at least min contrast with every ground, else
// the shade of c nearest to it that has: mixed with black or with white,
// whichever needs less.
func legible(c color.NRGBA, grounds []color.NRGBA, min float64) color.NRGBA {
	ok := func(x color.NRGBA) bool {
		for _, g := range grounds {
			if contrast(x, g) < min {
				return false
			}
		}
		return true
	}
	if ok(c) {
		return c
	}
	mix := func(to uint8, t float64) color.NRGBA {
		m := func(v uint8) uint8 { return uint8(math.Round(float64(v)*(1-t) + float64(to)*t)) }
		return color.NRGBA{R: m(c.R), G: m(c.G), B: m(c.B), A: 255}
	}
	for step := 1; step <= 100; step++ {
		t := float64(step) / 100
		if d := mix(0, t); ok(d) {
			return d
		}
		if l := mix(255, t); ok(l) {
			return l
		}
	}
	return color.NRGBA{A: 255} // black holds 4.5:1 on any ground lighter than #767676
}
