package card

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMissingNamesWhatNoFontCanDraw(t *testing.T) {
	tpl := testTemplate(t, nil, nameBox(t))
	bare, err := Compile(Spec{Variant: "bare", Width: 800, Height: 300, Layers: []Layer{nameBox(t)}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		tpl  *Template
		in   string
		want []rune
	}{
		{"a Danish name needs nothing more", tpl, "Åse Ærø-Øvlisen", nil},
		{"a Chinese name is drawn from the shipped chain", tpl, "王小明", nil},
		{"Arabic, Devanagari, Thai and emoji are covered", tpl, "محمد علي अनुष्का สมชาย 👩‍💼🇩🇰", nil},
		{"joiners and variation selectors are never missing", tpl, "می\u200cخواهم ❤\ufe0f", nil},
		{"an Adlam letter no shipped font has is named", tpl, "Lars \U0001E900\U0001E901", []rune{0x1E900, 0x1E901}},
		{"without the chain a Chinese name is missing", bare, "Lars 王小明", []rune("王小明")},
		{"each missing character is named once", bare, "李李", []rune("李")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.tpl.Missing(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Missing(%q) = %q, want %q", tc.in, string(got), string(tc.want))
			}
		})
	}
}

// TestCampaignScriptFontsComeFirst gives a template DejaVu Sans as its
// font for Hebrew only: Hebrew letters come from it rather than the
// shipped Noto Sans Hebrew, Arabic ones (which DejaVu also has) still from
// the shipped Noto Naskh Arabic.
func TestCampaignScriptFontsComeFirst(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "fonts", "DejaVuSans.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	hebrew, err := ParseScriptFont("fonts/DejaVuSans.ttf", data, []string{"Hebr"})
	if err != nil {
		t.Fatal(err)
	}
	chain, err := NotoFallback(os.DirFS(filepath.Join("..", "..")))
	if err != nil {
		t.Fatal(err)
	}
	var log logBuffer
	tpl, err := Compile(Spec{Variant: "test", Width: 800, Height: 300, Layers: []Layer{nameBox(t)},
		Fallback: append([]*Font{hebrew}, chain...), Log: log.logger()})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"שרה", "محمد"} {
		if _, err := Render(tpl, Fields{Name: name}); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range []string{"rune=ש code=U+05E9 font=fonts/EBGaramond12-Italic.otf using=fonts/DejaVuSans.ttf", "rune=م code=U+0645 font=fonts/EBGaramond12-Italic.otf using=fonts/noto/NotoNaskhArabic-Regular.ttf"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	if _, err := ParseScriptFont("x", data, []string{"Klingon"}); err == nil {
		t.Error("an unknown script code was accepted")
	}
}
