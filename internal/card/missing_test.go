package card

import (
	"slices"
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
