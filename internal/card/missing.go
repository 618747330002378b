package card

import (
	"slices"
	"unicode"
)

// Missing returns the characters of s, in the order they first appear,
// that a render of t would leave out: no font of a personal text box (its
// own font, the template's fallback fonts, the shipped chain) can draw
// them. Minting calls it to refuse a field instead of sending a card with a
// hole in it. Spaces, control characters and the invisible characters that
// shaping consumes (joiners, variation selectors) are never missing. The
// check shapes nothing; it runs the same font choice as a render.
func (t *Template) Missing(s string) []rune {
	var out []rune
	note := func(r rune, _, fallback *Font) {
		if fallback == nil && !unicode.IsControl(r) && !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	sh := t.shaper()
	defer t.shapers.Put(sh)
	seen := map[*Font]bool{}
	for i := range t.personal {
		tb := &t.personal[i]
		if seen[tb.Font] {
			continue
		}
		seen[tb.Font] = true
		text := []rune(cleanText(limitRunes(s, maxFieldRunes*3), CaseAsIs))
		sh.itemize(text, paragraphDirection(text), fontChain{primary: tb.Font, fallback: t.fallback, missing: note})
	}
	return out
}
