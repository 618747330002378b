package invite

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeAccepts(t *testing.T) {
	tests := []struct {
		name string
		in   Invitation
		want Invitation
	}{
		{"a plain Danish name is kept", Invitation{Campaign: "ligestilling", Name: "Lars Hansen"}, Invitation{Campaign: "ligestilling", Name: "Lars Hansen"}},
		{"spaces are trimmed and collapsed", Invitation{Campaign: "c", Name: "  Anne   Marie  Holm "}, Invitation{Campaign: "c", Name: "Anne Marie Holm"}},
		{"a decomposed å becomes the composed one", Invitation{Campaign: "c", Name: "A\u030Ase"}, Invitation{Campaign: "c", Name: "\u00C5se"}},
		{"hyphens, apostrophes and periods are fine in names", Invitation{Campaign: "c", Name: "Anne-Marie O'Brien-O’Neill Jr."}, Invitation{Campaign: "c", Name: "Anne-Marie O'Brien-O’Neill Jr."}},
		{"titles may have digits, ampersands, commas and parentheses", Invitation{Campaign: "c", Name: "Bo", Title: "CFO (fungerende), Region 2 & 3", Org: "A.P. Møller - Mærsk A/S"}, Invitation{Campaign: "c", Name: "Bo", Title: "CFO (fungerende), Region 2 & 3", Org: "A.P. Møller - Mærsk A/S"}},
		{"names in other scripts are letters too", Invitation{Campaign: "c", Name: "Ελένη Παπαδοπούλου"}, Invitation{Campaign: "c", Name: "Ελένη Παπαδοπούλου"}},
		{"Vietnamese stacked marks are fine", Invitation{Campaign: "c", Name: "Nguyễn Thị Ánh"}, Invitation{Campaign: "c", Name: norm.NFC.String("Nguyễn Thị Ánh")}},
		{"an empty title and org stay empty", Invitation{Campaign: "c", Name: "Bo", Title: "   "}, Invitation{Campaign: "c", Name: "Bo"}},
		{"a name of exactly 80 characters fits", Invitation{Campaign: "c", Name: strings.Repeat("æ", 80)}, Invitation{Campaign: "c", Name: strings.Repeat("æ", 80)}},
		{"an Arabic name", Invitation{Campaign: "c", Name: "محمد علي"}, Invitation{Campaign: "c", Name: "محمد علي"}},
		{"a Persian name keeps its zero-width non-joiner", Invitation{Campaign: "c", Name: "زهرا حسین‌زاده"}, Invitation{Campaign: "c", Name: "زهرا حسین‌زاده"}},
		{"a Hindi name with its conjuncts", Invitation{Campaign: "c", Name: "अनुष्का शर्मा"}, Invitation{Campaign: "c", Name: "अनुष्का शर्मा"}},
		{"a Devanagari half form asked for with a joiner", Invitation{Campaign: "c", Name: "क्‍ष"}, Invitation{Campaign: "c", Name: "क्‍ष"}},
		{"a Bengali name", Invitation{Campaign: "c", Name: "সৌমিত্র চট্টোপাধ্যায়"}, Invitation{Campaign: "c", Name: norm.NFC.String("সৌমিত্র চট্টোপাধ্যায়")}},
		{"a Thai name", Invitation{Campaign: "c", Name: "สมชาย ใจดี"}, Invitation{Campaign: "c", Name: "สมชาย ใจดี"}},
		{"Chinese, Japanese and Korean names", Invitation{Campaign: "c", Name: "王小明", Title: "佐藤 ゆかり", Org: "김민준"}, Invitation{Campaign: "c", Name: "王小明", Title: "佐藤 ゆかり", Org: "김민준"}},
		{"a title with emoji sequences", Invitation{Campaign: "c", Name: "Bo", Title: "Chief Happiness Officer 👩‍💼👍🏽🇩🇰", Org: "Team 👨‍👩‍👧 1️⃣ 🏴󠁧󠁢󠁳󠁣󠁴󠁿"},
			Invitation{Campaign: "c", Name: "Bo", Title: "Chief Happiness Officer 👩‍💼👍🏽🇩🇰", Org: "Team 👨‍👩‍👧 1️⃣ 🏴󠁧󠁢󠁳󠁣󠁴󠁿"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Normalize(tt.in)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got.Name != tt.want.Name || got.Title != tt.want.Title || got.Org != tt.want.Org || got.Campaign != tt.want.Campaign {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNormalizeRefuses(t *testing.T) {
	tests := []struct {
		name   string
		in     Invitation
		field  string
		reason string
	}{
		{"a script tag", Invitation{Campaign: "c", Name: "<script>alert(1)</script>"}, "name", "not allowed"},
		{"an attribute breakout", Invitation{Campaign: "c", Name: `"><img src=x onerror=alert(1)>`}, "name", "not allowed"},
		{"a bidi override", Invitation{Campaign: "c", Name: "Lars \u202Enesnah"}, "name", "bidirectional"},
		{"a bidi isolate", Invitation{Campaign: "c", Name: "Lars \u2067x"}, "name", "bidirectional"},
		{"a zero-width space", Invitation{Campaign: "c", Name: "La\u200Brs"}, "name", "zero-width"},
		{"a zero-width joiner", Invitation{Campaign: "c", Name: "La\u200Drs"}, "name", "zero-width"},
		{"a byte-order mark", Invitation{Campaign: "c", Name: "\uFEFFLars"}, "name", "zero-width"},
		{"a Hangul filler between the names", Invitation{Campaign: "c", Name: "Lars\u3164 Hansen"}, "name", "invisible filler"},
		{"a Hangul choseong filler", Invitation{Campaign: "c", Name: "Lars\u115FHansen"}, "name", "invisible filler"},
		{"a halfwidth Hangul filler", Invitation{Campaign: "c", Name: "Lars\uFFA0"}, "name", "invisible filler"},
		{"a soft hyphen", Invitation{Campaign: "c", Name: "La\u00ADrs"}, "name", "invisible"},
		{"a NUL byte", Invitation{Campaign: "c", Name: "La\x00rs"}, "name", "control"},
		{"an escape character", Invitation{Campaign: "c", Name: "La\x1b[31mrs"}, "name", "control"},
		{"invalid UTF-8", Invitation{Campaign: "c", Name: "La\xffrs"}, "name", "UTF-8"},
		{"a 5,000-character string", Invitation{Campaign: "c", Name: strings.Repeat("a", 5000)}, "name", "too long"},
		{"81 characters", Invitation{Campaign: "c", Name: strings.Repeat("a", 81)}, "name", "too long"},
		{"80 characters of four-byte letters", Invitation{Campaign: "c", Name: strings.Repeat("𐐀", 80)}, "name", "bytes"},
		{"an empty name", Invitation{Campaign: "c", Name: "   "}, "name", "required"},
		{"punctuation without letters", Invitation{Campaign: "c", Name: "-.-"}, "name", "letter"},
		{"digits in a name", Invitation{Campaign: "c", Name: "Lars 2"}, "name", "not allowed"},
		{"Zalgo marks", Invitation{Campaign: "c", Name: "La\u0301\u0302\u0303\u0304\u0305rs"}, "name", "combining"},
		{"a leading combining mark", Invitation{Campaign: "c", Name: "\u0301Lars"}, "name", "combining"},
		{"an emoji", Invitation{Campaign: "c", Name: "Lars 🎉"}, "name", "not allowed"},
		{"an emoji is shown and named", Invitation{Campaign: "c", Name: "Lars 🎉"}, "name", "“🎉” (PARTY POPPER, U+1F389)"},
		{"a markup character is shown and named", Invitation{Campaign: "c", Name: "Lars <b>"}, "name", "“<” (LESS-THAN SIGN, U+003C)"},
		{"an invisible character is named", Invitation{Campaign: "c", Name: "Lars ‮nesnah"}, "name", "RIGHT-TO-LEFT OVERRIDE (U+202E)"},
		{"a zero-width non-joiner in a Latin name", Invitation{Campaign: "c", Name: "La‌rs"}, "name", "ZERO WIDTH NON-JOINER (U+200C), a zero-width"},
		{"a joiner at the end of a Persian name", Invitation{Campaign: "c", Name: "حسین‌"}, "name", "zero-width"},
		{"a joiner between two scripts", Invitation{Campaign: "c", Name: "حسین‌Lars"}, "name", "zero-width"},
		{"an emoji joiner in a name", Invitation{Campaign: "c", Name: "Bo 👩‍💼"}, "name", "zero-width"},
		{"tag characters without a flag", Invitation{Campaign: "c", Name: "Bo", Title: "CEO 󠁧󠁢"}, "title", "invisible"},
		{"markup in a title", Invitation{Campaign: "c", Name: "Bo", Title: "CEO <b>"}, "title", "not allowed"},
		{"a bidi override in an org", Invitation{Campaign: "c", Name: "Bo", Org: "\u202DMærsk"}, "org", "bidirectional"},
		{"a long org", Invitation{Campaign: "c", Name: "Bo", Org: strings.Repeat("x", 101)}, "org", "too long"},
		{"a missing campaign", Invitation{Name: "Bo"}, "campaign", "required"},
		{"a campaign with a slash", Invitation{Campaign: "../x", Name: "Bo"}, "campaign", "a-z"},
		{"an unknown variant", Invitation{Campaign: "c", Name: "Bo", Variants: []string{"banner"}}, "variants", "unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Normalize(tt.in)
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("got %v, want a FieldError", err)
			}
			if fe.Field != tt.field || !strings.Contains(fe.Reason, tt.reason) {
				t.Errorf("got %q: %q, want field %q with a reason containing %q", fe.Field, fe.Reason, tt.field, tt.reason)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"Lars Hansen", "A\u030Ase", "<script>", "\u202E", "Nguyễn", "  a  b ", "a\u0301\u0301\u0301\u0301"} {
		f.Add(s, "CEO", "Org")
	}
	f.Fuzz(func(t *testing.T, name, title, org string) {
		got, err := Normalize(Invitation{Campaign: "c", Name: name, Title: title, Org: org})
		if err != nil {
			var fe *FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("Normalize failed with %T %v, not a FieldError", err, err)
			}
			return
		}
		for _, s := range []string{got.Name, got.Title, got.Org} {
			if !utf8.ValidString(s) || !norm.NFC.IsNormalString(s) {
				t.Fatalf("accepted %q, which is not valid NFC", s)
			}
			if strings.ContainsAny(s, "<>\"=`\x00\u202E\u200B") || strings.Contains(s, "  ") || strings.TrimSpace(s) != s {
				t.Fatalf("accepted %q", s)
			}
		}
		if utf8.RuneCountInString(got.Name) > MaxNameChars || len(got.Name) > MaxNameBytes {
			t.Fatalf("accepted a name of %d bytes", len(got.Name))
		}
		// Normalising twice changes nothing.
		again, err := Normalize(got)
		if err != nil || again.Name != got.Name || again.Title != got.Title || again.Org != got.Org {
			t.Fatalf("Normalize is not idempotent on %+v: %+v, %v", got, again, err)
		}
	})
}

func TestFieldErrorsCarryACode(t *testing.T) {
	tests := []struct {
		name string
		in   string
		code Problem
		char rune
	}{
		{"empty", " ", Required, 0},
		{"too long", strings.Repeat("a", 81), TooLong, 0},
		{"a bracket", "Lars <b>", NotAllowed, '<'},
		{"a bidi override", "Lars\u202E", Invisible, '\u202E'},
		{"a line feed", "Lars\nHansen", Invisible, '\n'},
		{"a carriage return", "Lars\r\nHansen", Invisible, '\r'},
		{"a tab", "Lars\tHansen", Invisible, '\t'},
		{"Zalgo", "La\u0301\u0302\u0303\u0304\u0305", Marks, 0},
		{"no letter", "..", NoLetter, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NormalizeName(tt.in)
			var fe *FieldError
			if !errors.As(err, &fe) || fe.Code != tt.code || fe.Char != tt.char {
				t.Errorf("got %+v, want code %d char %q", fe, tt.code, tt.char)
			}
		})
	}
}

func TestEmojiInNamesIsACampaignSetting(t *testing.T) {
	inv := Invitation{Campaign: "c", Name: "Lars 🎉 👩‍💼"}
	if _, err := Normalize(inv); err == nil {
		t.Fatal("an emoji name was accepted by default")
	}
	got, err := NormalizeWith(inv, Rules{EmojiInNames: true})
	if err != nil || got.Name != inv.Name {
		t.Errorf("with EmojiInNames: %q, %v; want the name kept", got.Name, err)
	}
	if _, err := NormalizeWith(Invitation{Campaign: "c", Name: "🎉"}, Rules{EmojiInNames: true}); err == nil {
		t.Error("a name of emoji alone was accepted: a name needs a letter")
	}
}
