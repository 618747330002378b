package card

import (
	"github.com/go-text/typesetting/segmenter"
	"github.com/go-text/typesetting/shaping"
	"image"
	"strings"
	"testing"
)

func lineTexts(l textLayout) []string {
	var out []string
	for _, ln := range l.lines {
		out = append(out, ln.String(l.text))
	}
	return out
}

// layoutText lays text out in tb as a render does, with the shipped
// fallback chain.
func layoutText(t testing.TB, tb TextBox, text string) textLayout {
	t.Helper()
	return tb.layout(newShaper(), cleanText(text, tb.Case), fontChain{primary: tb.Font, fallback: testFallback(t)})
}

func TestTextFitting(t *testing.T) {
	tests := []struct {
		name      string
		text      string
		wantSize  func(int) bool
		wantLines []string
		ellipsis  bool
	}{
		{
			name:      "a short name keeps the full size on one line",
			text:      "Lars",
			wantSize:  func(s int) bool { return s == 80 },
			wantLines: []string{"Lars"},
		},
		{
			name:      "a name a little too wide shrinks instead of wrapping",
			text:      "Lars Christian Hansen Bø",
			wantSize:  func(s int) bool { return s < 80 && s >= 40 },
			wantLines: []string{"Lars Christian Hansen Bø"},
		},
		{
			name:     "a name too wide even at the floor wraps at a space into balanced lines",
			text:     "Anne-Marie Søndergaard Kristiansen Rasmussen Holm",
			wantSize: func(s int) bool { return s >= 40 },
			wantLines: []string{
				"Anne-Marie Søndergaard",
				"Kristiansen Rasmussen Holm",
			},
		},
		{
			name:     "a double-barrelled name may break after its hyphen",
			text:     "Søndergaard-Østergaard-Kristiansen-Vandelbo-Frederiksen",
			wantSize: func(s int) bool { return s >= 40 },
			wantLines: []string{
				"Søndergaard-Østergaard-",
				"Kristiansen-Vandelbo-Frederiksen",
			},
		},
		{
			name:     "a text too long for the lines allowed ends in an ellipsis",
			text:     strings.Repeat("Maximiliane Christina ", 8),
			wantSize: func(s int) bool { return s == 40 },
			ellipsis: true,
		},
		{
			name:     "one endless word is cut, not drawn past the box",
			text:     strings.Repeat("W", 200),
			wantSize: func(s int) bool { return s == 40 },
			ellipsis: true,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tb := nameBox(t)
			lay := layoutText(t, tb, tc.text)
			if !tc.wantSize(lay.size) {
				t.Errorf("size %d is not what this case expects", lay.size)
			}
			got := lineTexts(lay)
			if tc.wantLines != nil && strings.Join(got, "|") != strings.Join(tc.wantLines, "|") {
				t.Errorf("lines = %q, want %q", got, tc.wantLines)
			}
			if len(got) > tb.MaxLines {
				t.Errorf("%d lines, at most %d allowed", len(got), tb.MaxLines)
			}
			if tc.ellipsis != lay.ellipsize || (tc.ellipsis && !strings.HasSuffix(got[len(got)-1], "…")) {
				t.Errorf("ellipsis = %v (lines %q), want %v", lay.ellipsize, got, tc.ellipsis)
			}
			for _, l := range lay.lines {
				if w := l.width() * float64(lay.size); w > tb.Box.W+0.01 {
					t.Errorf("line %q is %.1f px wide, box is %.0f", l.String(lay.text), w, tb.Box.W)
				}
			}
			if h := tb.blockHeight(lay.size, len(lay.lines)); h > tb.Box.H+0.01 {
				t.Errorf("block is %.1f px high, box is %.0f", h, tb.Box.H)
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	tests := []struct {
		name, in, want string
		c              Case
	}{
		{"combining accents are composed so fonts find the letter", "Rene\u0301e", "Renée", CaseAsIs},
		{"line breaks, tabs and runs of spaces become one space", "  Lars\n\tHansen  ", "Lars Hansen", CaseAsIs},
		{"control characters and zero-width spaces disappear", "La\x00rs\u200b", "La rs", CaseAsIs},
		{"a typed apostrophe is set as a typographic one", "O'Brien", "O’Brien", CaseAsIs},
		{"upper case keeps Danish letters", "ærø og søby", "ÆRØ OG SØBY", CaseUpper},
		{"invalid UTF-8 does not survive", "Lars\xff", "Lars", CaseAsIs},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := cleanText(tc.in, tc.c); got != tc.want {
				t.Errorf("cleanText(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestMissingGlyphs(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		wantLog  string
		wantDrop bool
	}{
		{"a symbol the serif lacks comes from the fallback font", "Lars ☃", "using=fonts/DejaVuSans.ttf", false},
		{"a glyph no font has is dropped and logged", "Lars \U0001E900", "using=dropped", true},
		{"an emoji comes from the colour emoji font", "Lars 🎉", "using=fonts/noto/NotoColorEmoji.ttf", false},
		{"a Chinese name comes from the CJK font", "王小明", "using=fonts/noto/NotoSansCJK-Regular.ttc", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var log logBuffer
			tpl := testTemplate(t, log.logger(), nameBox(t))
			img, err := Render(tpl, Fields{Name: tc.text})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(log.String(), tc.wantLog) || !strings.Contains(log.String(), "font lacks a glyph") {
				t.Errorf("log = %q, want a warning with %q", log.String(), tc.wantLog)
			}
			plain, _ := Render(tpl, Fields{Name: "Lars"})
			if same := string(img.Pix) == string(plain.Pix); same != tc.wantDrop {
				t.Errorf("card equals the one for plain \"Lars\": %v, want %v", same, tc.wantDrop)
			}
			// The warning is given once per template, not per render.
			before := strings.Count(log.String(), "\n")
			if _, err := Render(tpl, Fields{Name: tc.text}); err != nil {
				t.Fatal(err)
			}
			if after := strings.Count(log.String(), "\n"); after != before {
				t.Errorf("a second render logged again (%d lines, was %d)", after, before)
			}
		})
	}
}

func TestRenderStaysInsideTextBoxes(t *testing.T) {
	tb := nameBox(t)
	tpl := testTemplate(t, nil, tb)
	base, _ := Render(tpl, Fields{})
	for _, name := range []string{"Lars", "Anne-Marie Søndergaard-Østergaard Kristiansen", strings.Repeat("ƒjÅ ", 60), strings.Repeat("W", 300)} {
		img, err := Render(tpl, Fields{Name: name})
		if err != nil {
			t.Fatal(err)
		}
		if n := inkOutside(img, base, tb.Box.rect()); n > 0 {
			t.Errorf("%q: %d pixels drawn outside the box", name, n)
		}
		if n := inkOutside(img, base, image.Rectangle{}); n == 0 {
			t.Errorf("%q: nothing drawn at all", name)
		}
	}
}

func FuzzLayout(f *testing.F) {
	for _, s := range []string{"Lars", "Anne-Marie Søndergaard-Østergaard Kristiansen", "é ü ł ß ’ -", "", " \n\t", "🎉李", strings.Repeat("x", 300), "a\u0301\u0302\u0303", "- - -", "O'Brien—Ä"} {
		f.Add(s, 60.0, 20.0, 2)
	}
	tb := nameBox(f)
	tpl := testTemplate(f, nil, tb)
	base, _ := Render(tpl, Fields{})
	f.Fuzz(func(t *testing.T, s string, size, minSize float64, lines int) {
		b := tb
		b.Size = float64(1 + (int(size)%150+150)%150)
		b.MinSize = float64((int(minSize)%150 + 150) % 150)
		if b.MinSize > b.Size {
			b.MinSize = b.Size
		}
		b.MaxLines = lines%6 + 1
		if b.MaxLines < 1 {
			b.MaxLines = 1
		}
		img := image.NewRGBA(base.Rect)
		copy(img.Pix, base.Pix)
		if err := b.draw(img, newShaper(), s, tpl.fallback, nil); err != nil {
			t.Fatal(err)
		}
		if n := inkOutside(img, base, b.Box.rect()); n > 0 {
			t.Errorf("%q at %g/%g px, %d lines: %d pixels outside the box", s, b.Size, b.MinSize, b.MaxLines, n)
		}
	})
}

func TestEllipsisKeepsTheTextAsWritten(t *testing.T) {
	tb := nameBox(t)
	tb.MaxLines = 1
	tb.MinSize = 60
	lay := layoutText(t, tb, "Søndergaard-Østergaard-Kristiansen-Vandelbo-Frederiksen-Bjørnholt")
	got := lineTexts(lay)
	if len(got) != 1 || !strings.HasPrefix(got[0], "Søndergaard-Østergaard") || !strings.HasSuffix(got[0], "…") || strings.Contains(got[0], " ") {
		t.Errorf("lines = %q, want one line starting with the name as written and ending in …", got)
	}
}

func TestKerningPullsPairsTogether(t *testing.T) {
	f := testFont(t, "EBGaramond12-Italic.otf")
	sh := newShaper()
	width := func(s string) float64 {
		p := newParagraph(sh, s, fontChain{primary: f}, 0)
		lines, _ := p.wrap(100, 0, shaping.Never)
		return lines[0].advanceWidth
	}
	if kerned, plain := width("Vo"), width("V")+width("o"); !(kerned < plain) {
		t.Errorf("\"Vo\" is %.3f em wide, unkerned %.3f: the font's kerning was not applied", kerned, plain)
	}
}

// visualText is the line's characters in the order they are drawn, left
// to right, one per cluster.
func visualText(l textLine, text []rune) string {
	var b strings.Builder
	last := -1
	for _, g := range l.glyphs {
		if g.cluster != last {
			b.WriteRune(text[g.cluster])
			last = g.cluster
		}
	}
	return b.String()
}

func TestRightToLeftNamesReadRightToLeft(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"a Hebrew name in a Danish greeting keeps each run in its direction", "Kære שרה כהן", "Kære ןהכ הרש"},
		{"left-to-right text is left alone", "Kære Lars", "Kære Lars"},
		{"a Hebrew paragraph reads right to left, its Latin name left to right", "שלום Lars", "Lars םולש"},
		{"an Arabic name in a Danish greeting", "Kære محمد علي", "Kære يلع دمحم"},
	}
	tb := nameBox(t)
	tb.MaxLines = 1
	tb.MinSize = 10
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			lay := layoutText(t, tb, tc.in)
			if len(lay.lines) != 1 {
				t.Fatalf("%d lines", len(lay.lines))
			}
			got := strings.ReplaceAll(visualText(lay.lines[0], lay.text), " ", "")
			want := strings.ReplaceAll(tc.want, " ", "")
			if got != want {
				t.Errorf("visual order of %q = %q, want %q", tc.in, got, want)
			}
		})
	}
}

// TestScriptsWithoutSpacesWrapBetweenClusters sets long Chinese, Japanese
// and Thai names in a narrow box: they wrap although they have few or no
// spaces, and never between a letter and its marks.
func TestScriptsWithoutSpacesWrapBetweenClusters(t *testing.T) {
	tb := nameBox(t)
	tb.Box.W, tb.Box.H, tb.MaxLines = 260, 600, 6
	for _, text := range []string{
		"中华人民共和国国家发展和改革委员会宏观经济研究院",
		"トヨタ自動車株式会社代表取締役社長",
		"พิมพ์ชนก วงศ์สวัสดิ์ศักดิ์ศรีสุข",
		"ผู้อำนวยการฝ่ายพัฒนาธุรกิจระหว่างประเทศ",
	} {
		t.Run(text, func(t *testing.T) {
			lay := layoutText(t, tb, text)
			if len(lay.lines) < 2 {
				t.Fatalf("%d line(s): %q; want it wrapped", len(lay.lines), lineTexts(lay))
			}
			var seg segmenter.Segmenter
			seg.Init(lay.text)
			bounds := map[int]bool{len(lay.text): true}
			for it := seg.GraphemeIterator(); it.Next(); {
				bounds[it.Grapheme().Offset] = true
			}
			for _, l := range lay.lines {
				for _, r := range l.runes {
					if !bounds[r.Offset] || !bounds[r.Offset+r.Count] {
						t.Errorf("line %q starts or ends inside a grapheme cluster", l.String(lay.text))
					}
				}
				if w := l.width() * float64(lay.size); w > tb.Box.W+0.01 {
					t.Errorf("line %q is %.1f px wide, box is %.0f", l.String(lay.text), w, tb.Box.W)
				}
			}
			// Spaces at line ends are dropped; nothing else is.
			if got := strings.ReplaceAll(strings.Join(lineTexts(lay), ""), " ", ""); !lay.ellipsize && got != strings.ReplaceAll(text, " ", "") {
				t.Errorf("lines %q do not hold the text", lineTexts(lay))
			}
		})
	}
}

// TestStartAndEndFollowTheParagraphDirection checks that align start puts
// a Hebrew or Arabic line against the right edge and a Danish one against
// the left, end the opposite, while left stays left for both.
func TestStartAndEndFollowTheParagraphDirection(t *testing.T) {
	tests := []struct {
		align     Align
		text      string
		wantRight bool
	}{
		{AlignStart, "Lars", false},
		{AlignStart, "שרה כהן", true},
		{AlignStart, "محمد علي", true},
		{AlignEnd, "Lars", true},
		{AlignEnd, "محمد علي", false},
		{AlignLeft, "محمد علي", false},
		{AlignRight, "Lars", true},
	}
	for _, tc := range tests {
		tb := nameBox(t)
		tb.Align = tc.align
		tpl := testTemplate(t, nil, tb)
		base, _ := Render(tpl, Fields{})
		img, err := Render(tpl, Fields{Name: tc.text})
		if err != nil {
			t.Fatal(err)
		}
		minX, maxX := img.Rect.Max.X, -1
		for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
			for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
				i := img.PixOffset(x, y)
				if img.Pix[i] != base.Pix[i] {
					minX, maxX = min(minX, x), max(maxX, x)
				}
			}
		}
		box := tb.Box.rect()
		left, right := minX-box.Min.X, box.Max.X-1-maxX
		if gotRight := right < left; gotRight != tc.wantRight {
			t.Errorf("align %d, %q: ink %d px from the left edge, %d from the right; want it against the %s", tc.align, tc.text, left, right, map[bool]string{true: "right", false: "left"}[tc.wantRight])
		}
	}
}

// TestEllipsisFollowsAWholeWord cuts a long text after its last whole word
// that fits, in Danish and in Arabic (where a cut inside a word would also
// leave a letter in the wrong joining form).
func TestEllipsisFollowsAWholeWord(t *testing.T) {
	tb := nameBox(t)
	tb.MaxLines = 1
	for _, text := range []string{
		strings.Repeat("Maximiliane Christina ", 8),
		strings.Repeat("المدير التنفيذي للشؤون المالية ", 6),
	} {
		lay := layoutText(t, tb, text)
		got := lineTexts(lay)
		if !lay.ellipsize || len(got) != 1 {
			t.Fatalf("%q: lines %q, ellipsis %v; want one cut line", text, got, lay.ellipsize)
		}
		kept := strings.TrimSuffix(got[0], "…")
		if !strings.HasPrefix(text, kept+" ") {
			t.Errorf("%q was cut to %q: not after a whole word", text, got[0])
		}
	}
}
