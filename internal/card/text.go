package card

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
	"golang.org/x/text/unicode/norm"
)

// Align is the horizontal alignment of the lines in a text box.
type Align int

// Horizontal alignments.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
)

// VAlign is the vertical placement of the text block in its box.
type VAlign int

// Vertical alignments.
const (
	VAlignTop VAlign = iota
	VAlignMiddle
	VAlignBottom
)

// Case is a letter-case transform applied before layout.
type Case int

// Letter cases.
const (
	CaseAsIs Case = iota
	CaseUpper
	CaseLower
)

// TextBox is a text layer. Text may contain {{name}}, {{title}}, {{org}} and
// {{byline}}; a box whose text has any of them is drawn per render, the
// others are drawn once into the template's base image.
//
// Layout is auto-fit: the text is set on one line at Size, shrinking down to
// MinSize; when one line at MinSize is too wide it wraps at spaces and after
// hyphens into at most MaxLines lines (again at the largest size that fits);
// when even that fails it is set at MinSize and the last line ends in "…".
// Nothing is ever drawn outside Box.
type TextBox struct {
	Text       string
	Font       *Font
	Size       float64 // largest size in pixels
	MinSize    float64 // smallest size auto-fit may shrink to; 0 means Size
	Color      color.NRGBA
	Align      Align
	VAlign     VAlign
	LineHeight float64 // line distance as a multiple of the size; 0 means 1.2
	Case       Case
	Tracking   float64 // extra space after each letter, in thousandths of an em
	MaxLines   int     // 0 means 1
	Box        Rect
}

// maxFieldRunes bounds the work one render can cause: no real name, title or
// organisation is longer, and the layout ellipsizes long before this.
const maxFieldRunes = 200

// shapedRune is one rune with the font that draws it, positioned in em from
// the start of its line.
type shapedRune struct {
	r    rune
	font *Font
	x    float64
	info runeInfo
}

// textLine is a laid-out line; width and ink extents are in em.
type textLine struct {
	runes             []shapedRune
	inkLeft, inkRight float64
	advanceWidth      float64
	hasInk            bool
	overflows         bool
}

// textLayout is the result of fitting a text into its box.
type textLayout struct {
	size      int
	lines     []textLine
	ellipsize bool
}

// missingFunc is told about runes the box's font lacks: fallback is the font
// used instead, or nil when the rune is dropped.
type missingFunc func(r rune, primary, fallback *Font)

// cleanText normalizes the text for layout: NFC (so "e"+combining accent
// becomes "é", which fonts have), control characters and line breaks become
// spaces, runs of spaces collapse, and the case transform is applied.
func cleanText(s string, c Case) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	b.Grow(len(s))
	space := true // trims leading spaces
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		if r == '\'' {
			// Names are typed with the typewriter apostrophe; set them
			// with the typographer's one, as a printed invitation would.
			r = '\u2019'
		}
		b.WriteRune(r)
		space = false
	}
	out := strings.TrimRight(b.String(), " ")
	switch c {
	case CaseUpper:
		out = strings.ToUpper(out)
	case CaseLower:
		out = strings.ToLower(out)
	}
	return out
}

// shape maps each rune to the first font that has it: the box's font, then
// the fallbacks. Runes no font has are dropped and reported.
func shape(s string, primary *Font, fallback []*Font, missing missingFunc) []shapedRune {
	out := make([]shapedRune, 0, len(s))
	for _, r := range s {
		if info := primary.info(r); info.has {
			out = append(out, shapedRune{r: r, font: primary, info: info})
			continue
		}
		var used *Font
		var info runeInfo
		for _, f := range fallback {
			if i := f.info(r); i.has {
				used, info = f, i
				break
			}
		}
		if missing != nil {
			missing(r, primary, used)
		}
		if used != nil {
			out = append(out, shapedRune{r: r, font: used, info: info})
		}
	}
	return out
}

// segment is a run of runes that stays on one line: a word with the spaces
// after it, or the part of a hyphenated word up to and including a hyphen.
type segment struct {
	runes []shapedRune
}

func segments(rs []shapedRune) []segment {
	var out []segment
	start := 0
	for i, r := range rs {
		end := false
		switch {
		case r.r == ' ':
			end = i+1 < len(rs) && rs[i+1].r != ' '
		case r.r == '-' || r.r == '\u2010' || r.r == '/':
			// Break after a hyphen only inside a word, so "-" alone or
			// "Anne-" "Marie" splits but a leading hyphen stays put.
			end = i > start && i+1 < len(rs) && rs[i+1].r != ' '
		}
		if end {
			out = append(out, segment{rs[start : i+1]})
			start = i + 1
		}
	}
	if start < len(rs) {
		out = append(out, segment{rs[start:]})
	}
	return out
}

// buildLine positions runes and measures the line, ignoring trailing spaces.
func buildLine(rs []shapedRune, tracking float64) textLine {
	for len(rs) > 0 && rs[len(rs)-1].r == ' ' {
		rs = rs[:len(rs)-1]
	}
	l := textLine{runes: make([]shapedRune, len(rs))}
	x := 0.0
	for i, r := range rs {
		r.x = x
		l.runes[i] = r
		if r.r != ' ' {
			left, right := x+r.info.inkLeft, x+r.info.inkRight
			if !l.hasInk || left < l.inkLeft {
				l.inkLeft = left
			}
			if !l.hasInk || right > l.inkRight {
				l.inkRight = right
			}
			l.hasInk = true
		}
		x += r.info.advance
		if i+1 < len(rs) {
			x += tracking
			if next := rs[i+1]; next.font == r.font {
				x += r.font.kern(r.r, next.r)
			}
		}
	}
	l.advanceWidth = x
	return l
}

// extent is the horizontal space the line needs: its advance width widened
// by any ink that overhangs (italic swashes, accents).
func (l textLine) extent() (left, right float64) {
	left, right = 0, l.advanceWidth
	if l.hasInk {
		left = math.Min(left, l.inkLeft)
		right = math.Max(right, l.inkRight)
	}
	return left, right
}

func (l textLine) width() float64 {
	a, b := l.extent()
	return b - a
}

// wrap sets segments greedily into lines at most width em wide. A segment
// wider than a line gets a line of its own, marked as overflowing.
func wrap(segs []segment, width, tracking float64) []textLine {
	var lines []textLine
	var cur []shapedRune
	for _, s := range segs {
		if len(cur) > 0 {
			try := append(cur[:len(cur):len(cur)], s.runes...)
			if buildLine(try, tracking).width() <= width {
				cur = try
				continue
			}
			lines = append(lines, buildLine(cur, tracking))
			cur = nil
		}
		cur = append(cur[:0:0], s.runes...)
	}
	if len(cur) > 0 {
		lines = append(lines, buildLine(cur, tracking))
	}
	for i := range lines {
		lines[i].overflows = lines[i].width() > width
	}
	return lines
}

// metrics returns the box's line distance and ascent/descent, in em.
func (t *TextBox) metrics() (lineHeight, ascent, descent float64) {
	lh := t.LineHeight
	if lh <= 0 {
		lh = 1.2
	}
	return lh, t.Font.ascent, t.Font.descent
}

func (t *TextBox) maxLines() int {
	if t.MaxLines < 1 {
		return 1
	}
	return t.MaxLines
}

func (t *TextBox) sizes() (lo, hi int) {
	hi = int(math.Floor(t.Size))
	lo = int(math.Ceil(t.MinSize))
	if lo <= 0 || lo > hi {
		lo = hi
	}
	if lo < 1 {
		lo = 1
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi
}

// blockHeight is the height in pixels of n lines at size px.
func (t *TextBox) blockHeight(size, n int) float64 {
	lh, a, d := t.metrics()
	return float64(size) * (a + d + float64(n-1)*lh)
}

// fits reports whether the text set at size px takes at most n lines, none
// overflowing, within the box height.
func (t *TextBox) fits(segs []segment, size, n int) ([]textLine, bool) {
	if t.blockHeight(size, 1) > t.Box.H {
		return nil, false
	}
	tr := t.Tracking / 1000
	lines := wrap(segs, t.Box.W/float64(size), tr)
	if len(lines) > n || t.blockHeight(size, len(lines)) > t.Box.H {
		return nil, false
	}
	for _, l := range lines {
		if l.overflows {
			return nil, false
		}
	}
	return lines, true
}

// layout fits text into the box (see TextBox).
func (t *TextBox) layout(text string, fallback []*Font, missing missingFunc) textLayout {
	rs := shape(text, t.Font, fallback, missing)
	if len(rs) == 0 {
		return textLayout{}
	}
	segs := segments(rs)
	lo, hi := t.sizes()
	for n := 1; n <= t.maxLines(); n++ {
		if _, ok := t.fits(segs, lo, n); !ok {
			continue
		}
		// Line count only falls as the size falls, so the largest size
		// that fits can be found by bisection.
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if _, ok := t.fits(segs, mid, n); ok {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		lines, _ := t.fits(segs, lo, n)
		return textLayout{size: lo, lines: t.balance(segs, lines, lo)}
	}
	return t.ellipsize(rs, segs, lo, fallback)
}

// balance re-wraps lines at the narrowest width that still gives the same
// number of lines, so a two-line heading breaks as "Festen for ligestilling /
// i dansk topledelse" rather than leaving one word alone on the last line.
func (t *TextBox) balance(segs []segment, lines []textLine, size int) []textLine {
	if len(lines) < 2 {
		return lines
	}
	tr := t.Tracking / 1000
	hi := t.Box.W / float64(size)
	lo := 0.0
	for _, l := range lines {
		lo = math.Max(lo, l.width()*0.5)
	}
	best := lines
	for i := 0; i < 16 && hi-lo > 0.002; i++ {
		mid := (lo + hi) / 2
		try := wrap(segs, mid, tr)
		ok := len(try) == len(lines)
		for _, l := range try {
			ok = ok && !l.overflows
		}
		if ok {
			best, hi = try, mid
		} else {
			lo = mid
		}
	}
	return best
}

// ellipsize sets the text at the smallest size in as many lines as the box
// allows, breaking inside words that are wider than a line, and ends the
// last line in an ellipsis.
func (t *TextBox) ellipsize(rs []shapedRune, segs []segment, size int, fallback []*Font) textLayout {
	width := t.Box.W / float64(size)
	tr := t.Tracking / 1000
	n := t.maxLines()
	for n > 1 && t.blockHeight(size, n) > t.Box.H {
		n--
	}
	// Split segments that cannot fit a line on their own into pieces that do.
	var split []segment
	for _, s := range segs {
		if buildLine(s.runes, tr).width() <= width {
			split = append(split, s)
			continue
		}
		start := 0
		for i := 1; i <= len(s.runes); i++ {
			if i-start > 1 && buildLine(s.runes[start:i], tr).width() > width {
				split = append(split, segment{s.runes[start : i-1]})
				start = i - 1
			}
		}
		split = append(split, segment{s.runes[start:]})
	}
	lines := wrap(split, width, tr)
	if len(lines) <= n {
		return textLayout{size: size, lines: lines}
	}
	// The last line gets everything that did not fit, as written (so a
	// break after a hyphen does not become a space), cut to end in "…".
	// Lines are consecutive runs of rs that drop only the spaces they end on.
	idx := 0
	for _, l := range lines[:n-1] {
		idx += len(l.runes)
		for idx < len(rs) && rs[idx].r == ' ' {
			idx++
		}
	}
	rest := rs[idx:]
	ell := shape("…", t.Font, fallback, nil)
	if len(ell) == 0 {
		ell = shape("...", t.Font, fallback, nil)
	}
	for k := len(rest); k >= 0; k-- {
		cut := rest[:k]
		for len(cut) > 0 && (cut[len(cut)-1].r == ' ' || cut[len(cut)-1].r == '-' || cut[len(cut)-1].r == ',') {
			cut = cut[:len(cut)-1]
		}
		try := append(cut[:len(cut):len(cut)], ell...)
		if l := buildLine(try, tr); l.width() <= width || k == 0 {
			out := append(lines[:n-1:n-1], l)
			if l.width() > width {
				// Not even the ellipsis fits: leave the line empty.
				out[n-1] = textLine{}
			}
			return textLayout{size: size, lines: out, ellipsize: true}
		}
	}
	return textLayout{size: size, lines: lines[:n-1]}
}

// isRTL reports whether r is a strong right-to-left letter (Hebrew, Arabic…).
func isRTL(r rune) bool {
	p, _ := bidi.LookupRune(r)
	c := p.Class()
	return c == bidi.R || c == bidi.AL
}

// visualOrder reverses each run of right-to-left letters (with the spaces
// and punctuation between them) so a Hebrew or Arabic name reads right to
// left inside a left-to-right line. It is the simple case of the Unicode
// bidirectional algorithm, enough for names; Arabic letters are still drawn
// in their isolated forms, as the renderer does no contextual shaping.
func visualOrder(l textLine, tracking float64) textLine {
	rs := l.runes
	changed := false
	for i := 0; i < len(rs); {
		if !isRTL(rs[i].r) {
			i++
			continue
		}
		// The run ends at the last RTL letter before the next LTR letter.
		end := i
		for j := i; j < len(rs); j++ {
			if isRTL(rs[j].r) {
				end = j
				continue
			}
			p, _ := bidi.LookupRune(rs[j].r)
			if p.Class() == bidi.L || p.Class() == bidi.EN {
				break
			}
		}
		if end > i {
			out := append([]shapedRune(nil), rs...)
			for a, b := i, end; a < b; a, b = a+1, b-1 {
				out[a], out[b] = out[b], out[a]
			}
			rs, changed = out, true
		}
		i = end + 1
	}
	if !changed {
		return l
	}
	return buildLine(rs, tracking)
}

// draw lays out text and draws it into dst, clipped to the box.
func (t *TextBox) draw(dst *image.RGBA, text string, fallback []*Font, missing missingFunc) error {
	text = cleanText(limitRunes(text, maxFieldRunes*3), t.Case)
	if text == "" {
		return nil
	}
	lay := t.layout(text, fallback, missing)
	if len(lay.lines) == 0 {
		return nil
	}
	clip := t.Box.rect().Intersect(dst.Rect)
	if clip.Empty() {
		return nil
	}
	dst = dst.SubImage(clip).(*image.RGBA)
	size := float64(lay.size)
	lh, ascent, _ := t.metrics()
	block := t.blockHeight(lay.size, len(lay.lines))
	top := t.Box.Y
	switch t.VAlign {
	case VAlignMiddle:
		top += (t.Box.H - block) / 2
	case VAlignBottom:
		top += t.Box.H - block
	}
	src := image.NewUniform(t.Color)
	faces := map[*Font]*face{}
	for i, l := range lay.lines {
		l = visualOrder(l, t.Tracking/1000)
		baseline := int(math.Round(top + size*(ascent+float64(i)*lh)))
		left, right := l.extent()
		w := (right - left) * size
		x0 := t.Box.X - left*size
		switch t.Align {
		case AlignCenter:
			x0 += (t.Box.W - w) / 2
		case AlignRight:
			x0 += t.Box.W - w
		}
		for _, r := range l.runes {
			if r.r == ' ' {
				continue
			}
			fc := faces[r.font]
			if fc == nil {
				var err error
				if fc, err = r.font.faceAt(lay.size); err != nil {
					return err
				}
				faces[r.font] = fc
			}
			ix, sub := splitX(x0 + r.x*size)
			g := fc.glyph(r.r, sub)
			if g.mask == nil {
				continue
			}
			dr := g.dr.Add(image.Pt(ix, baseline))
			draw.DrawMask(dst, dr, src, image.Point{}, g.mask, image.Point{}, draw.Over)
		}
	}
	return nil
}

// limitRunes cuts s to at most n runes.
func limitRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
