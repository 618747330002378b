package card

import (
	"unicode"

	"github.com/go-text/typesetting/di"
	gofont "github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/harfbuzz"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/segmenter"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/bidi"
)

// refSize is the size in pixels text is shaped at. Shaping applies no
// hinting, so positions scale linearly with the size: one shaping serves
// every size the fitting tries, and the layout scales the result to the
// size it settles on.
const refSize = 1024

// shaper holds what shaping one paragraph needs: the HarfBuzz port, the
// segmenters and the line wrapper with their buffers, and one go-text Face
// per font (Faces cache glyph lookups and are not safe for concurrent use,
// so each shaper has its own). A shaper serves one goroutine at a time;
// templates keep a pool of them.
type shaper struct {
	hb      shaping.HarfbuzzShaper
	seg     shaping.Segmenter
	graph   segmenter.Segmenter
	wrapper shaping.LineWrapper

	faces  map[*Font]*gofont.Face
	byFont map[*gofont.Font]*Font

	inputs []shaping.Input
	bounds []int // grapheme boundaries of the paragraph
}

func newShaper() *shaper {
	return &shaper{faces: map[*Font]*gofont.Face{}, byFont: map[*gofont.Font]*Font{}}
}

// face returns the shaper's Face of a loaded font.
func (sh *shaper) face(f *Font) *gofont.Face {
	if fc, ok := sh.faces[f]; ok {
		return fc
	}
	// A shaper used across campaign reloads would otherwise keep every
	// font it ever saw.
	if len(sh.faces) >= 64 {
		clear(sh.faces)
		clear(sh.byFont)
		sh.hb = shaping.HarfbuzzShaper{}
	}
	fc := gofont.NewFace(f.ft)
	sh.faces[f], sh.byFont[f.ft] = fc, f
	return fc
}

// fontOf maps a shaped run back to the Font it was shaped with.
func (sh *shaper) fontOf(fc *gofont.Face) *Font {
	if fc == nil {
		return nil
	}
	return sh.byFont[fc.Font]
}

// fontChain is what a text box draws with: its own font, then the
// template's fallbacks, then reporting what no font has.
type fontChain struct {
	primary  *Font
	fallback []*Font
	missing  missingFunc
}

// paragraphDirection is the direction of the first strong letter (rules
// P2 and P3 of the Unicode bidirectional algorithm); left to right when
// there is none.
func paragraphDirection(text []rune) di.Direction {
	for _, r := range text {
		p, _ := bidi.LookupRune(r)
		switch p.Class() {
		case bidi.L:
			return di.DirectionLTR
		case bidi.R, bidi.AL:
			return di.DirectionRTL
		}
	}
	return di.DirectionLTR
}

// paragraphLanguage guesses the language that decides the regional forms
// of Han characters (the CJK font's locl feature): Japanese when there is
// kana, Korean when there is hangul, otherwise left to the script (Chinese).
func paragraphLanguage(text []rune) language.Language {
	for _, r := range text {
		switch language.LookupScript(r) {
		case language.Hiragana, language.Katakana:
			return "ja"
		case language.Hangul:
			return "ko"
		}
	}
	return ""
}

// itemize splits a paragraph into runs of one direction, script and font,
// in logical order: bidi and script from go-text's segmenter, then a font
// per grapheme cluster, so a base letter and its marks, or all the parts of
// an emoji sequence, always come from one font.
func (sh *shaper) itemize(text []rune, dir di.Direction, fc fontChain) []shaping.Input {
	sh.inputs = sh.inputs[:0]
	if len(text) == 0 || fc.primary.ensure() != nil {
		return nil
	}
	pface := sh.face(fc.primary)
	sh.graph.Init(text)
	sh.bounds = sh.bounds[:0]
	it := sh.graph.GraphemeIterator()
	for it.Next() {
		sh.bounds = append(sh.bounds, it.Grapheme().Offset)
	}
	sh.bounds = append(sh.bounds, len(text))

	in := shaping.Input{Text: text, RunEnd: len(text), Direction: dir, Face: pface, Size: fixed.I(refSize), Language: paragraphLanguage(text)}
	runs := sh.seg.Split(in, singleFace{pface})
	b := 0
	for _, run := range runs {
		var cur *Font
		start := run.RunStart
		for pos := run.RunStart; pos < run.RunEnd; {
			for b < len(sh.bounds) && sh.bounds[b] <= pos {
				b++
			}
			end := run.RunEnd
			if b < len(sh.bounds) && sh.bounds[b] < end {
				end = sh.bounds[b]
			}
			f := sh.pick(text[pos:end], run.Script, cur, fc)
			if cur != nil && f != cur {
				out := run
				out.RunStart, out.RunEnd, out.Face = start, pos, sh.face(cur)
				sh.inputs = append(sh.inputs, out)
				start = pos
			}
			cur = f
			pos = end
		}
		out := run
		out.RunStart, out.Face = start, sh.face(cur)
		sh.inputs = append(sh.inputs, out)
	}
	return sh.inputs
}

// singleFace is a fontmap that answers one face: itemize chooses fonts
// itself, per grapheme cluster, after the segmenter's bidi and script split.
type singleFace struct{ f *gofont.Face }

func (s singleFace) ResolveFace(rune) *gofont.Face { return s.f }

// pick chooses the font for one grapheme cluster g in a run of script s;
// cur is the font of the cluster before it in the run.
func (sh *shaper) pick(g []rune, s language.Script, cur *Font, fc fontChain) *Font {
	f := sh.choose(g, s, cur, fc)
	if fc.missing == nil || ignorable(g[0]) || unicode.IsSpace(g[0]) {
		return f
	}
	if !hasAll(f, g) {
		for _, r := range g {
			if !ignorable(r) && !f.Has(r) {
				fc.missing(r, fc.primary, nil)
			}
		}
	} else if f != fc.primary {
		fc.missing(g[0], fc.primary, f)
	}
	return f
}

// choose is pick without the reporting; it may return a font that lacks
// the cluster (the primary, or cur) when no font has it.
func (sh *shaper) choose(g []rune, s language.Script, cur *Font, fc fontChain) *Font {
	base := g[0]
	if isEmoji(g) {
		for _, f := range fc.fallback {
			if f.emoji && f.Has(base) {
				return f
			}
		}
	}
	// Spaces, joiners and punctuation stay in the font of the letters
	// around them, so a run is not cut (and Arabic joining not broken)
	// for a space. Not in the emoji font: its space is an emoji wide.
	if cur != nil && !cur.emoji && !isLetterOrMark(base) && hasAll(cur, g) {
		return cur
	}
	if hasAll(fc.primary, g) {
		return fc.primary
	}
	var found *Font
	for pass := 0; pass < 2 && found == nil; pass++ {
		for _, f := range fc.fallback {
			// Fonts made for this script first, then the general ones.
			tagged := len(f.scripts) > 0
			if pass == 0 && (!tagged || !f.serves(s)) || pass == 1 && tagged {
				continue
			}
			if hasAll(f, g) {
				found = f
				break
			}
		}
	}
	if found == nil {
		// Last resort: a font with the base letter, if not all its marks,
		// including the emoji font (a text-style symbol it has).
		for _, f := range fc.fallback {
			if f.serves(s) && f.Has(base) {
				found = f
				break
			}
		}
	}
	if found == nil {
		if cur != nil {
			return cur
		}
		return fc.primary
	}
	return found
}

// hasAll reports whether f has a glyph for every visible rune of g.
func hasAll(f *Font, g []rune) bool {
	for _, r := range g {
		if ignorable(r) {
			continue
		}
		if !f.Has(r) {
			return false
		}
	}
	return true
}

// ignorable reports runes a font need not have: the joiners, variation
// selectors and other default-ignorable characters that shaping consumes.
func ignorable(r rune) bool {
	return harfbuzz.IsDefaultIgnorable(r)
}

func isLetterOrMark(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsMark(r) || unicode.IsDigit(r)
}

// isEmoji reports whether a grapheme cluster is an emoji to draw in colour:
// anything with the emoji variation selector or the keycap mark, flags,
// skin-tone modifiers, and the pictographs that are emoji by default.
func isEmoji(g []rune) bool {
	for _, r := range g {
		if r == 0xFE0F || r == 0x20E3 {
			return true
		}
	}
	r := g[0]
	return r >= 0x1F000 && r <= 0x1FAFF || emojiPresentationBMP(r)
}

// emojiPresentationBMP lists the characters below U+10000 that Unicode
// shows as emoji by default (Emoji_Presentation=Yes).
func emojiPresentationBMP(r rune) bool {
	switch r {
	case 0x231A, 0x231B, 0x23E9, 0x23EA, 0x23EB, 0x23EC, 0x23F0, 0x23F3, 0x25FD, 0x25FE,
		0x2614, 0x2615, 0x267F, 0x2693, 0x26A1, 0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4,
		0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2, 0x26F3, 0x26F5, 0x26FA, 0x26FD, 0x2705,
		0x270A, 0x270B, 0x2728, 0x274C, 0x274E, 0x2753, 0x2754, 0x2755, 0x2757, 0x2795,
		0x2796, 0x2797, 0x27B0, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B55:
		return true
	}
	return r >= 0x2648 && r <= 0x2653
}

// shape shapes the runs of a paragraph (itemize sets them to refSize). Glyphs no font has
// (.notdef) get no advance and are not drawn, as a missing letter was
// dropped before shaping; tracking (in em) is added after every cluster.
func (sh *shaper) shape(inputs []shaping.Input, tracking float64) []shaping.Output {
	outs := make([]shaping.Output, 0, len(inputs))
	for _, in := range inputs {
		track := fixed.Int26_6(tracking * float64(in.Size))
		out := sh.hb.Shape(in)
		for i := range out.Glyphs {
			g := &out.Glyphs[i]
			if g.GlyphID == 0 {
				g.Advance, g.XAdvance, g.Width, g.Height = 0, 0, 0, 0
			}
			if track != 0 && (i+1 == len(out.Glyphs) || out.Glyphs[i+1].ClusterIndex != g.ClusterIndex) {
				g.Advance += track
				g.XAdvance += track
			}
		}
		out.RecomputeAdvance()
		outs = append(outs, out)
	}
	return outs
}
