package campaign

import (
	"fmt"
	"image/color"
	"sort"
	"strings"

	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/variant"
	"go.yaml.in/yaml/v3"
)

// layerTypes maps each layer type to its reader.
var layerTypes = map[string]func(st *fileState, o *object) card.Layer{
	"fill":    readFill,
	"linear":  readLinear,
	"radial":  readRadial,
	"rect":    readRect,
	"ellipse": readOrnament(card.ShapeEllipse),
	"diamond": readOrnament(card.ShapeDiamond),
	"sparkle": readOrnament(card.ShapeSparkle),
	"line":    readLine,
	"corners": readCorners,
	"image":   readImage,
	"text":    readText,
}

func layerTypeList() string {
	names := make([]string, 0, len(layerTypes))
	for n := range layerTypes {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

// readLayer parses one layer and checks that it lies on the canvas; it
// returns nil after reporting a problem.
func (st *fileState) readLayer(label, name string, i int, n *yaml.Node, w, h int) card.Layer {
	what := fmt.Sprintf("%s %s, layer %d", label, name, i+1)
	o := newObject(st.p, n, what)
	if o == nil {
		return nil
	}
	typ, tn := o.str("type", true)
	if tn == nil {
		o.finish()
		return nil
	}
	read, ok := layerTypes[typ]
	if !ok {
		st.p.add(tn, "%s: unknown layer type %q (types: %s)", what, typ, layerTypeList())
		return nil
	}
	o.what = what + " (" + typ + ")"
	before := st.p.count()
	l := read(st, o)
	o.finish()
	if l == nil || st.p.count() > before {
		return nil
	}
	b := l.Bounds()
	if b.W < 0 || b.H < 0 || b.X < -0.5 || b.Y < -0.5 || b.X+b.W > float64(w)+0.5 || b.Y+b.H > float64(h)+0.5 {
		st.p.add(n, "%s lies outside the %d×%d canvas: it covers x %g–%g, y %g–%g", o.what, w, h, b.X, b.X+b.W, b.Y, b.Y+b.H)
		return nil
	}
	v, _ := variant.Lookup(name)
	if _, ok := l.(card.TextBox); ok && v.Safe > 0 && (b.Y < float64(v.Safe) || b.Y+b.H > float64(h-v.Safe)) {
		st.p.add(n, "%s: text must stay out of the top and bottom %d px of a %s, which the platform covers (y %d–%d is free); this box spans y %g–%g",
			o.what, v.Safe, name, v.Safe, h-v.Safe, b.Y, b.Y+b.H)
		return nil
	}
	return l
}

func (st *fileState) color(o *object, key string, required bool) (color.NRGBA, bool) {
	s, v := o.str(key, required)
	if v == nil {
		return color.NRGBA{}, false
	}
	c, err := parseColor(s, st.palette)
	if err != nil {
		st.p.add(v, "%s.%s: %v", o.what, key, err)
		return color.NRGBA{}, false
	}
	return c, true
}

func box(o *object, key string) card.Rect {
	b, v := o.numbers(key, true, 4, "[x, y, width, height]")
	if b == nil {
		return card.Rect{}
	}
	if b[2] <= 0 || b[3] <= 0 {
		o.p.add(v, "%s.%s: width and height must be positive", o.what, key)
	}
	return card.Rect{X: b[0], Y: b[1], W: b[2], H: b[3]}
}

func point(o *object, key string) card.Point {
	p, _ := o.numbers(key, true, 2, "[x, y]")
	if p == nil {
		return card.Point{}
	}
	return card.Point{X: p[0], Y: p[1]}
}

func (st *fileState) stops(o *object) []card.Stop {
	n, ok := o.require("stops")
	if !ok {
		return nil
	}
	if n.Kind != yaml.SequenceNode || len(n.Content) < 2 {
		st.p.add(n, "%s.stops must be a list of at least two [offset, colour] pairs", o.what)
		return nil
	}
	var out []card.Stop
	last := -1.0
	for _, s := range n.Content {
		if s.Kind != yaml.SequenceNode || len(s.Content) != 2 {
			st.p.add(s, "%s.stops: each stop is [offset, colour], e.g. [0.5, \"#c9a45c\"]", o.what)
			return nil
		}
		off, ok := scalarNumber(st.p, s.Content[0], o.what+".stops offset")
		if !ok {
			return nil
		}
		if off < 0 || off > 1 || off < last {
			st.p.add(s, "%s.stops: offsets must rise from 0 to 1, got %g after %g", o.what, off, last)
			return nil
		}
		last = off
		cs, ok := scalarString(st.p, s.Content[1], o.what+".stops colour")
		if !ok {
			return nil
		}
		c, err := parseColor(cs, st.palette)
		if err != nil {
			st.p.add(s.Content[1], "%s.stops: %v", o.what, err)
			return nil
		}
		out = append(out, card.Stop{Offset: off, Color: c})
	}
	return out
}

func readFill(st *fileState, o *object) card.Layer {
	c, _ := st.color(o, "color", true)
	return card.Fill{Color: c}
}

func readLinear(st *fileState, o *object) card.Layer {
	return card.LinearGradient{From: point(o, "from"), To: point(o, "to"), Stops: st.stops(o)}
}

func readRadial(st *fileState, o *object) card.Layer {
	return card.RadialGradient{Center: point(o, "center"), Radius: o.number("radius", true, 1, 1, 10000), Stops: st.stops(o)}
}

func (st *fileState) paint(o *object) (fill, stroke color.NRGBA, width float64) {
	fill, hasFill := st.color(o, "fill", false)
	stroke, hasStroke := st.color(o, "stroke", false)
	width = o.number("stroke_width", false, 1, 0.1, 100)
	if !hasFill && !hasStroke {
		if _, bad := o.values["fill"]; !bad {
			if _, bad := o.values["stroke"]; !bad {
				o.p.add(o.node, "%s needs a fill or a stroke colour", o.what)
			}
		}
	}
	return fill, stroke, width
}

func readRect(st *fileState, o *object) card.Layer {
	b := box(o, "box")
	r := o.number("radius", false, 0, 0, 2000)
	fill, stroke, width := st.paint(o)
	return card.Shape{Kind: card.ShapeRect, Box: b, Radius: r, Fill: fill, Stroke: stroke, StrokeWidth: width}
}

// readOrnament reads a shape given by its centre and size (one number for a
// square, [width, height] otherwise), which is how ornaments are placed.
func readOrnament(kind card.ShapeKind) func(st *fileState, o *object) card.Layer {
	return func(st *fileState, o *object) card.Layer {
		c := point(o, "center")
		w, h := 0.0, 0.0
		if n, ok := o.require("size"); ok {
			if n.Kind == yaml.SequenceNode {
				if s, ok := numberList(o.p, n, o.what+".size", 2, "[width, height]"); ok {
					w, h = s[0], s[1]
				}
			} else if s, ok := scalarNumber(o.p, n, o.what+".size"); ok {
				w, h = s, s
			}
			if w <= 0 || h <= 0 {
				o.p.add(n, "%s.size must be positive", o.what)
			}
		}
		fill, stroke, width := st.paint(o)
		return card.Shape{Kind: kind, Box: card.Rect{X: c.X - w/2, Y: c.Y - h/2, W: w, H: h}, Fill: fill, Stroke: stroke, StrokeWidth: width}
	}
}

func readLine(st *fileState, o *object) card.Layer {
	l := card.Line{From: point(o, "from"), To: point(o, "to")}
	l.Color, _ = st.color(o, "color", true)
	l.Width = o.number("width", false, 1, 0.1, 100)
	if n, ok := o.get("dash"); ok {
		if n.Kind != yaml.SequenceNode || len(n.Content) == 0 || len(n.Content)%2 != 0 {
			o.p.add(n, "%s.dash must be a list of on/off lengths, e.g. [6, 4]", o.what)
		} else {
			for _, c := range n.Content {
				if f, ok := scalarNumber(o.p, c, o.what+".dash"); ok {
					if f <= 0 {
						o.p.add(c, "%s.dash lengths must be positive", o.what)
					}
					l.Dash = append(l.Dash, f)
				}
			}
		}
	}
	return l
}

func readCorners(st *fileState, o *object) card.Layer {
	l := card.Corners{Box: box(o, "box"), Length: o.number("length", true, 10, 1, 2000)}
	l.Color, _ = st.color(o, "color", true)
	l.Width = o.number("width", false, 1, 0.1, 100)
	return l
}

func readImage(st *fileState, o *object) card.Layer {
	l := card.Picture{Box: box(o, "box"), Opacity: o.number("opacity", false, 1, 0, 1)}
	switch o.choice("fit", "cover", "cover", "contain", "stretch") {
	case "contain":
		l.Fit = card.FitContain
	case "stretch":
		l.Fit = card.FitStretch
	}
	src, v := o.str("src", true)
	if v == nil {
		return l
	}
	im, err := st.assets.image(src)
	if err != nil {
		st.p.add(v, "%s: %v", o.what, err)
		return l
	}
	l.Image = im
	return l
}

func readText(st *fileState, o *object) card.Layer {
	t := card.TextBox{Box: box(o, "box")}
	var tn *yaml.Node
	t.Text, tn = st.text(o, "text", true)
	if t.Text != "" && tn != nil {
		checkPlaceholders(o.p, tn, o.what+".text", t.Text)
	}
	if name, v := o.str("font", true); v != nil {
		f, ok := st.fonts[name]
		if !ok && !st.declared[name] {
			names := make([]string, 0, len(st.fonts))
			for n := range st.fonts {
				names = append(names, n)
			}
			sort.Strings(names)
			st.p.add(v, "%s: unknown font %q (fonts: %s)", o.what, name, strings.Join(names, ", "))
		}
		t.Font = f
	}
	t.Size = o.number("size", true, 10, 1, 1000)
	t.MinSize = o.number("min_size", false, t.Size, 1, 1000)
	if t.MinSize > t.Size {
		o.p.add(o.values["min_size"], "%s: min_size %g is larger than size %g", o.what, t.MinSize, t.Size)
	}
	t.Color, _ = st.color(o, "color", true)
	switch o.choice("align", "left", "left", "center", "right", "start", "end") {
	case "center":
		t.Align = card.AlignCenter
	case "right":
		t.Align = card.AlignRight
	case "start":
		t.Align = card.AlignStart
	case "end":
		t.Align = card.AlignEnd
	}
	switch o.choice("valign", "top", "top", "middle", "bottom") {
	case "middle":
		t.VAlign = card.VAlignMiddle
	case "bottom":
		t.VAlign = card.VAlignBottom
	}
	switch o.choice("case", "as-is", "as-is", "upper", "lower") {
	case "upper":
		t.Case = card.CaseUpper
	case "lower":
		t.Case = card.CaseLower
	}
	t.LineHeight = o.number("line_height", false, 1.2, 0.5, 4)
	t.Tracking = o.number("tracking", false, 0, -200, 1000)
	t.MaxLines = int(o.number("max_lines", false, 1, 1, 20))
	if v, ok := o.values["max_lines"]; ok && strings.Contains(v.Value, ".") {
		o.p.add(v, "%s.max_lines must be a whole number", o.what)
	}
	return t
}

// checkPlaceholders catches misspelt placeholders, which would otherwise be
// printed on every card or page as written.
func checkPlaceholders(p *problems, v *yaml.Node, what, s string) {
	rest := s
	for {
		i := strings.Index(rest, "{{")
		if i < 0 {
			return
		}
		j := strings.Index(rest[i:], "}}")
		if j < 0 {
			p.add(v, "%s: %q opens {{ without closing }}", what, s)
			return
		}
		name := rest[i+2 : i+j]
		switch name {
		case "name", "title", "org", "byline":
		case "years_until":
			p.computed = true
		default:
			p.add(v, "%s: unknown placeholder {{%s}} (placeholders: {{name}}, {{title}}, {{org}}, {{byline}}, and {{years_until}}, the whole years until the event)", what, name)
		}
		rest = rest[i+j+2:]
	}
}
