package card

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-text/typesetting/di"
	gofont "github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// Align is the horizontal alignment of the lines in a text box.
type Align int

// Horizontal alignments. Start and End follow the direction of the text's
// first strong letter: start is left for Danish and right for Arabic or
// Hebrew. Left, Center and Right are literal.
const (
	AlignLeft Align = iota
	AlignCenter
	AlignRight
	AlignStart
	AlignEnd
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
// Text is shaped with go-text/typesetting (HarfBuzz's rules: kerning,
// ligatures, mark positioning, Arabic joining, Indic reordering), in runs
// of one direction (Unicode bidi), script and font; characters the box's
// font lacks come from the template's fallback fonts.
//
// Layout is auto-fit: the text is set on one line at Size, shrinking down to
// MinSize; when one line at MinSize is too wide it wraps where Unicode line
// breaking allows (spaces, after hyphens, between Chinese characters or
// Thai words) into at most MaxLines lines (again at the largest size that
// fits); when even that fails it is set at MinSize, words too wide for a
// line are broken between grapheme clusters, and the last line ends in "…"
// at the logical end of the text. Nothing is ever drawn outside Box.
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

// placedGlyph is one glyph of a line, positioned in em from the line's
// origin (y up).
type placedGlyph struct {
	font    *Font
	gid     gofont.GID
	cluster int // index of the first rune the glyph draws
	x, y    float64
}

// textLine is a laid-out line in visual order; widths and ink are in em.
type textLine struct {
	glyphs            []placedGlyph
	runes             []shaping.Range // what the line shows, in logical order
	ellipsis          bool            // the line ends in the ellipsis
	inkLeft, inkRight float64
	// inkTop and inkBottom are how far the ink reaches above and below
	// the baseline.
	inkTop, inkBottom float64
	advanceWidth      float64
	hasInk            bool
}

// textLayout is the result of fitting a text into its box.
type textLayout struct {
	size      int
	lines     []textLine
	ellipsize bool
	dir       di.Direction
	text      []rune
}

// missingFunc is told about characters the box's font lacks: fallback is
// the font used instead, or nil when the character is dropped.
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

// paragraph is a text shaped once at refSize, ready to be wrapped at any
// width.
type paragraph struct {
	sh       *shaper
	text     []rune
	dir      di.Direction
	runs     []shaping.Output
	ell      shaping.Output
	tracking float64 // em, added after every cluster but a line's last

	// scratch: the wrapper writes into the glyphs it is given (it zeroes
	// the advance of a line's trailing space), so each wrap gets a copy.
	runBuf   []shaping.Output
	glyphBuf []shaping.Glyph
}

// newParagraph itemizes and shapes text; ellipsis shapes "…" in the same
// fonts for when the text must be cut.
func newParagraph(sh *shaper, text string, fc fontChain, tracking float64) *paragraph {
	rs := []rune(text)
	p := &paragraph{sh: sh, text: rs, dir: paragraphDirection(rs), tracking: tracking}
	p.runs = sh.shape(sh.itemize(rs, p.dir, fc), tracking)
	ell := fontChain{primary: fc.primary, fallback: fc.fallback}
	ellText := []rune("…")
	if !fc.primary.Has('…') {
		ellText = []rune("...")
	}
	if in := sh.itemize(ellText, p.dir, ell); len(in) > 0 {
		outs := sh.shape(in, tracking)
		p.ell = outs[0]
		for _, o := range outs[1:] {
			p.ell.Glyphs = append(p.ell.Glyphs, o.Glyphs...)
		}
		p.ell.RecomputeAdvance()
	}
	return p
}

func (p *paragraph) empty() bool {
	for _, r := range p.runs {
		if len(r.Glyphs) > 0 {
			return false
		}
	}
	return true
}

// wrap breaks the paragraph into lines at most width em wide, with
// go-text's line wrapper (UAX #14 break opportunities, bidi reordering of
// each line). With maxLines > 0 the text is cut after that many lines and
// ends in the ellipsis. With shaping.Never words are never broken, and a
// word wider than a line overflows it (the caller then tries a smaller
// size); with shaping.WhenNecessary such a word is broken between grapheme
// clusters.
func (p *paragraph) wrap(width float64, maxLines int, policy shaping.LineBreakPolicy) (lines []textLine, truncated bool) {
	p.runBuf = p.runBuf[:0]
	p.glyphBuf = p.glyphBuf[:0]
	for _, r := range p.runs {
		p.glyphBuf = append(p.glyphBuf, r.Glyphs...)
	}
	off := 0
	for _, r := range p.runs {
		c := r
		c.Glyphs = p.glyphBuf[off : off+len(r.Glyphs) : off+len(r.Glyphs)]
		off += len(r.Glyphs)
		p.runBuf = append(p.runBuf, c)
	}
	cfg := shaping.WrapConfig{Direction: p.dir, BreakPolicy: policy}
	if maxLines > 0 {
		cfg.TruncateAfterLines = maxLines
		ell := p.ell
		ell.Glyphs = slices.Clone(ell.Glyphs)
		cfg.Truncator = ell
	}
	max := fixed.Int26_6(math.Min(width*refSize*64, math.MaxInt32/2))
	wrapped, cut := p.sh.wrapper.WrapParagraphF(cfg, max, p.text, shaping.NewSliceIterator(p.runBuf))
	lines = make([]textLine, 0, len(wrapped))
	for i, l := range wrapped {
		// The last line of a cut text ends in the ellipsis, which the
		// wrapper appends as its last run.
		lines = append(lines, p.line(l, cut > 0 && i == len(wrapped)-1))
	}
	return lines, cut > 0
}

// line converts a wrapped line to visual order in em.
func (p *paragraph) line(l shaping.Line, ellipsis bool) textLine {
	order := make([]int, len(l))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(l[a].VisualIndex) - int(l[b].VisualIndex) })
	var out textLine
	n := 0
	for _, r := range l {
		n += len(r.Glyphs)
	}
	out.glyphs = make([]placedGlyph, 0, n)
	const k = 1.0 / (64 * refSize)
	var x fixed.Int26_6
	for _, i := range order {
		run := l[i]
		f := p.sh.fontOf(run.Face)
		for _, g := range run.Glyphs {
			gx := x + g.XOffset
			if g.GlyphID != 0 && f != nil {
				out.glyphs = append(out.glyphs, placedGlyph{font: f, gid: g.GlyphID, cluster: g.ClusterIndex, x: float64(gx) * k, y: float64(g.YOffset) * k})
				if g.Width != 0 {
					left := float64(gx+g.XBearing) * k
					right := left + float64(g.Width)*k
					if right < left {
						left, right = right, left
					}
					if !out.hasInk || left < out.inkLeft {
						out.inkLeft = left
					}
					if !out.hasInk || right > out.inkRight {
						out.inkRight = right
					}
					top := float64(g.YOffset+g.YBearing) * k
					out.inkTop = math.Max(out.inkTop, top)
					out.inkBottom = math.Max(out.inkBottom, -(top + float64(g.Height)*k))
					out.hasInk = true
				}
			}
			x += g.Advance
		}
	}
	out.advanceWidth = float64(x) * k
	if len(out.glyphs) > 0 {
		out.advanceWidth -= p.tracking // none after the last letter
	}
	for i, run := range l {
		if ellipsis && i == len(l)-1 {
			out.ellipsis = true
			continue
		}
		out.runes = append(out.runes, run.Runes)
	}
	return out
}

// String is the line's text in logical order, for tests and messages.
func (l textLine) String(text []rune) string {
	var b strings.Builder
	for _, r := range l.runes {
		lo, hi := max(r.Offset, 0), min(r.Offset+r.Count, len(text))
		if lo < hi {
			b.WriteString(string(text[lo:hi]))
		}
	}
	s := strings.TrimRight(b.String(), " ")
	if l.ellipsis {
		s += "…"
	}
	return s
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

// vertical is the ascent and descent of a block of lines in em: the box
// font's, widened where the ink reaches further (the dots under an Arabic
// yeh, Thai or Devanagari marks, from fallback fonts with deeper metrics).
func (t *TextBox) vertical(lines []textLine) (ascent, descent float64) {
	_, ascent, descent = t.metrics()
	if len(lines) > 0 {
		ascent = math.Max(ascent, lines[0].inkTop)
		descent = math.Max(descent, lines[len(lines)-1].inkBottom)
	}
	return ascent, descent
}

// linesHeight is the height in pixels of lines set at size px.
func (t *TextBox) linesHeight(lines []textLine, size int) float64 {
	lh, _, _ := t.metrics()
	a, d := t.vertical(lines)
	return float64(size) * (a + d + float64(max(len(lines), 1)-1)*lh)
}

// fits reports whether the text set at size px takes at most n lines, none
// overflowing, within the box height.
func (t *TextBox) fits(p *paragraph, size, n int) ([]textLine, bool) {
	if t.blockHeight(size, 1) > t.Box.H {
		return nil, false
	}
	width := t.Box.W / float64(size)
	lines, _ := p.wrap(width, 0, shaping.Never)
	if len(lines) > n || t.linesHeight(lines, size) > t.Box.H {
		return nil, false
	}
	for _, l := range lines {
		if l.width() > width {
			return nil, false
		}
	}
	return lines, true
}

// layout fits text into the box (see TextBox).
func (t *TextBox) layout(sh *shaper, text string, fc fontChain) textLayout {
	if t.Font.ensure() != nil {
		return textLayout{}
	}
	p := newParagraph(sh, text, fc, t.Tracking/1000)
	if p.empty() {
		return textLayout{}
	}
	lo, hi := t.sizes()
	for n := 1; n <= t.maxLines(); n++ {
		if _, ok := t.fits(p, lo, n); !ok {
			continue
		}
		// Line count only falls as the size falls, so the largest size
		// that fits can be found by bisection.
		for lo < hi {
			mid := (lo + hi + 1) / 2
			if _, ok := t.fits(p, mid, n); ok {
				lo = mid
			} else {
				hi = mid - 1
			}
		}
		lines, _ := t.fits(p, lo, n)
		return textLayout{size: lo, lines: t.balance(p, lines, lo), dir: p.dir, text: p.text}
	}
	return t.ellipsize(p, lo)
}

// balance re-wraps lines at the narrowest width that still gives the same
// number of lines, so a two-line heading breaks as "Festen for ligestilling /
// i dansk topledelse" rather than leaving one word alone on the last line.
func (t *TextBox) balance(p *paragraph, lines []textLine, size int) []textLine {
	if len(lines) < 2 {
		return lines
	}
	hi := t.Box.W / float64(size)
	lo := 0.0
	for _, l := range lines {
		lo = math.Max(lo, l.width()*0.5)
	}
	best := lines
	for i := 0; i < 16 && hi-lo > 0.002; i++ {
		mid := (lo + hi) / 2
		try, _ := p.wrap(mid, 0, shaping.Never)
		ok := len(try) == len(lines)
		for _, l := range try {
			ok = ok && l.width() <= mid
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
// allows, breaking inside words only when one is wider than a line, and
// ends the last line in an ellipsis at the logical end of what fits.
func (t *TextBox) ellipsize(p *paragraph, size int) textLayout {
	width := t.Box.W / float64(size)
	n := t.maxLines()
	for n > 1 && t.blockHeight(size, n) > t.Box.H {
		n--
	}
	// Cut after the last word that fits, as a typesetter would; only a
	// word wider than a whole line is broken inside.
	lines, cut := p.wrap(width, n, shaping.Never)
	for _, l := range lines {
		if l.width() > width {
			lines, cut = p.wrap(width, n, shaping.WhenNecessary)
			break
		}
	}
	if len(lines) > n {
		lines = lines[:n]
	}
	for i, l := range lines {
		if l.width() > width {
			// Not even a cluster and the ellipsis fit: leave the line
			// empty rather than draw past the box.
			lines[i] = textLine{}
		}
	}
	return textLayout{size: size, lines: lines, ellipsize: cut, dir: p.dir, text: p.text}
}

// draw lays out text and draws it into dst, clipped to the box.
func (t *TextBox) draw(dst *image.RGBA, sh *shaper, text string, fallback []*Font, missing missingFunc) error {
	text = cleanText(limitRunes(text, maxFieldRunes*3), t.Case)
	if text == "" {
		return nil
	}
	lay := t.layout(sh, text, fontChain{primary: t.Font, fallback: fallback, missing: missing})
	if len(lay.lines) == 0 {
		return nil
	}
	clip := t.Box.rect().Intersect(dst.Rect)
	if clip.Empty() {
		return nil
	}
	dst = dst.SubImage(clip).(*image.RGBA)
	size := float64(lay.size)
	lh, _, _ := t.metrics()
	ascent, _ := t.vertical(lay.lines)
	block := t.linesHeight(lay.lines, lay.size)
	top := t.Box.Y
	switch t.VAlign {
	case VAlignMiddle:
		top += (t.Box.H - block) / 2
	case VAlignBottom:
		top += t.Box.H - block
	}
	align := t.Align
	switch {
	case align == AlignStart && lay.dir == di.DirectionRTL, align == AlignEnd && lay.dir != di.DirectionRTL:
		align = AlignRight
	case align == AlignStart, align == AlignEnd:
		align = AlignLeft
	}
	src := image.NewUniform(t.Color)
	for i, l := range lay.lines {
		baseline := int(math.Round(top + size*(ascent+float64(i)*lh)))
		left, right := l.extent()
		w := (right - left) * size
		x0 := t.Box.X - left*size
		switch align {
		case AlignCenter:
			x0 += (t.Box.W - w) / 2
		case AlignRight:
			x0 += t.Box.W - w
		}
		for _, g := range l.glyphs {
			ix, sub := splitX(x0 + g.x*size)
			gl := g.font.glyph(g.gid, lay.size, sub)
			pt := image.Pt(ix, baseline-int(math.Round(g.y*size)))
			switch {
			case gl.mask != nil:
				draw.DrawMask(dst, gl.dr.Add(pt), src, image.Point{}, gl.mask, image.Point{}, draw.Over)
			case gl.color != nil:
				draw.Draw(dst, gl.dr.Add(pt), gl.color, image.Point{}, draw.Over)
			}
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
