package card

import (
	"github.com/go-text/typesetting/shaping"
	"image"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// adversarial are texts built to make a shaper loop or allocate: long runs
// of combining marks, bidi controls nested past the algorithm's depth,
// emoji modifiers and joiners without a base, and mixed scripts that
// force a font change at every character.
var adversarial = []string{
	"a" + strings.Repeat("\u0301", 600),
	strings.Repeat("\u0301", 600),
	strings.Repeat("\u202B\u202D\u2067", 200) + "abc" + strings.Repeat("\u202C\u2069", 200),
	strings.Repeat("\u202E", 300) + "محمد" + strings.Repeat("\u202A", 300),
	strings.Repeat("\U0001F3FD", 300),
	strings.Repeat("\u200D", 300),
	strings.Repeat("👩\u200d", 200),
	strings.Repeat("\U0001F1E9", 301),
	strings.Repeat("1\uFE0F\u20E3", 200),
	strings.Repeat("a王ب\u0915\u0E01🎉", 100),
	strings.Repeat("\u0915\u094D", 300),
	strings.Repeat("\u0E01\u0E34\u0E48\u0E4C", 150),
	strings.Repeat("\U000E0067", 600),
	strings.Repeat("ﷺ", 300),
}

// TestAdversarialTextStaysBounded renders each adversarial text in a name
// box: it must finish quickly, allocate a bounded amount and draw nothing
// outside the box.
func TestAdversarialTextStaysBounded(t *testing.T) {
	tb := nameBox(t)
	tpl := testTemplate(t, nil, tb)
	base, _ := Render(tpl, Fields{})
	for _, s := range adversarial {
		name := s
		if utf8.RuneCountInString(name) > 12 {
			name = string([]rune(name)[:12]) + "…"
		}
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			img, err := Render(tpl, Fields{Name: s})
			if err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("took %v", d)
			}
			if n := inkOutside(img, base, tb.Box.rect()); n > 0 {
				t.Errorf("%d pixels outside the box", n)
			}
			allocs := testing.AllocsPerRun(3, func() {
				dst := image.NewRGBA(base.Rect)
				_ = tb.draw(dst, newShaper(), s, tpl.fallback, nil)
			})
			// A 600-rune field is far longer than any name; the bound is
			// loose, the point is that it exists.
			if allocs > 50000 {
				t.Errorf("%.0f allocations for one draw", allocs)
			}
		})
	}
}

// FuzzShaping shapes and wraps arbitrary text: no panic, no glyph count
// out of proportion to the text, and every wrapped line holds only text
// that was given.
func FuzzShaping(f *testing.F) {
	for _, s := range adversarial {
		f.Add(s, 200.0)
	}
	f.Add("Kære محمد علي", 3.0)
	f.Add("王小明 สมชาย ใจดี अनुष्का 👩‍💼👍🏽🇩🇰", 1.5)
	fallback := testFallback(f)
	primary := testFont(f, "EBGaramond12-Italic.otf")
	f.Fuzz(func(t *testing.T, s string, width float64) {
		s = limitRunes(s, maxFieldRunes*3)
		sh := newShaper()
		p := newParagraph(sh, cleanText(s, CaseAsIs), fontChain{primary: primary, fallback: fallback}, 0)
		glyphs := 0
		for _, r := range p.runs {
			glyphs += len(r.Glyphs)
		}
		if n := len(p.text); glyphs > 4*n+8 {
			t.Fatalf("%d glyphs for %d runes", glyphs, n)
		}
		if width != width || width <= 0 || width > 1e6 {
			width = 1
		}
		for _, maxLines := range []int{0, 2} {
			policy := shaping.Never
			if maxLines > 0 {
				policy = shaping.WhenNecessary
			}
			lines, _ := p.wrap(width, maxLines, policy)
			if len(lines) > len(p.text)+1 {
				t.Fatalf("%d lines for %d runes", len(lines), len(p.text))
			}
			if maxLines > 0 && len(lines) > maxLines {
				t.Fatalf("%d lines, at most %d", len(lines), maxLines)
			}
			for _, l := range lines {
				for _, r := range l.runes {
					if r.Offset < 0 || r.Count < 0 || r.Offset+r.Count > len(p.text) {
						t.Fatalf("line refers to runes %d+%d of %d", r.Offset, r.Count, len(p.text))
					}
				}
			}
		}
	})
}
