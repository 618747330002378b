package campaign

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/card"
)

// bilingual is validCampaign offering Danish and English, with the
// decline button and the og card's greeting translated.
var bilingual = strings.NewReplacer(
	"locale: da_DK\n", "locale: da_DK\nlanguages: [da, en]\n",
	"  decline: Afslå invitationen\n", "  decline: {da: Afslå invitationen, en: Decline the invitation}\n",
	`{type: text, text: "Kære {{name}}", font: serif`, `{type: text, text: {da: "Kære {{name}}", en: "Dear {{name}}"}, font: serif`,
).Replace(validCampaign)

func TestLanguageMapsInTheYAML(t *testing.T) {
	tests := []struct {
		name   string
		old    string // replaced in bilingual by new
		new    string
		marker string // "": loads; else the error is on this marker's line
		want   string
	}{
		{"plain text is every language's", "", "", "", ""},
		{"a text missing a language", "en: Decline the invitation}", "}", "decline: {da", `texts.decline: missing the en text (the campaign offers da, en`},
		{"a text in a language not offered", "en: Decline the invitation}", "en: Decline the invitation, sv: Avböj}", "decline: {da", `texts.decline: "sv" is not a language of the campaign (languages: da, en)`},
		{"a layer missing a language", `en: "Dear {{name}}"}`, `}`, `text: {da: "Kære`, `variant og, layer 2 (text).text: missing the en text`},
		{"a layer in a language not offered", `en: "Dear {{name}}"}`, `en: "Dear {{name}}", de: "Liebe {{name}}"}`, `text: {da: "Kære`, `"de" is not a language of the campaign`},
		{"a map in a one-language campaign", "languages: [da, en]\n", "", "decline: {da", `"en" is not a language of the campaign (languages: da)`},
		{"an empty translation", "en: Decline the invitation}", `en: ""}`, "decline: {da", "texts.decline.en must not be empty"},
		{"a misspelt placeholder in one language", `en: "Dear {{name}}"}`, `en: "Dear {{nmae}}"}`, `text: {da: "Kære`, "unknown placeholder {{nmae}}"},
		{"a default language not offered", "languages: [da, en]\n", "language: sv\nlanguages: [da, en]\n", "language: sv", "language sv is not one of languages (da, en)"},
		{"a language listed twice", "languages: [da, en]", "languages: [da, en, da]", "languages: [da, en, da]", "languages: da is listed twice"},
		{"a language that is no code", "languages: [da, en]", "languages: [da, english]", "languages: [da, english]", `languages: "english": want a two-letter language code`},
		{"languages that are no list", "languages: [da, en]", "languages: da", "languages: da", "languages must be a non-empty list"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(bilingual, tc.old) {
				t.Fatalf("%q is not in the campaign", tc.old)
			}
			src := bilingual
			if tc.old != "" {
				src = strings.Replace(bilingual, tc.old, tc.new, 1)
			}
			_, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
			if tc.marker == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil {
				t.Fatal("loaded without error")
			}
			prefix := fmt.Sprintf("%s:%d: ", testFile, lineOf(t, src, tc.marker))
			found := 0
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(line, prefix) && strings.Contains(line, tc.want) {
					found++
				}
			}
			if found != 1 {
				t.Errorf("errors:\n%v\nwant one line starting %q containing %q", err, prefix, tc.want)
			}
		})
	}
}

func TestCampaignInEachLanguage(t *testing.T) {
	set, err := Load(testFS(t, map[string]string{testFile: bilingual}), "assets/campaigns", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := set.Lookup("demo")
	if got := c.Languages(); !slices.Equal(got, []string{"da", "en"}) {
		t.Fatalf("Languages = %v", got)
	}
	tests := []struct {
		lang, wantLang, decline, event, locale string
	}{
		{"da", "da", "Afslå invitationen", "Festen", "da_DK"},
		{"en", "en", "Decline the invitation", "Festen", "en_GB"},
		{"sv", "da", "Afslå invitationen", "Festen", "da_DK"}, // not offered: the default
		{"", "da", "Afslå invitationen", "Festen", "da_DK"},
	}
	for _, tc := range tests {
		t.Run(tc.lang, func(t *testing.T) {
			in := c.In(tc.lang)
			if in.Lang() != tc.wantLang || in.Texts.Decline != tc.decline || c.TextsFor(tc.lang).Decline != tc.decline || in.Texts.Event != tc.event {
				t.Errorf("In(%q): lang %s, texts %+v", tc.lang, in.Lang(), in.Texts)
			}
			if got := c.LocaleOf(in.Lang()); got != tc.locale {
				t.Errorf("LocaleOf(%s) = %s, want %s", in.Lang(), got, tc.locale)
			}
			if in.ID != c.ID || in.Language != "da" {
				t.Errorf("In changed the campaign: %s %s", in.ID, in.Language)
			}
		})
	}
	if c.In("da") != c {
		t.Error("In(the default) should be the campaign itself")
	}
	if c.Texts.Decline != "Afslå invitationen" {
		t.Errorf("In changed the loaded campaign's texts: %q", c.Texts.Decline)
	}

	// The og card differs by language; the portrait, whose layers are the
	// same in both, is one template shared.
	daOG, _ := c.VariantFor("da", "og")
	enOG, _ := c.VariantFor("en", "og")
	if daOG.Version == enOG.Version {
		t.Error("the Danish and English og cards have the same version")
	}
	daImg, err := card.Render(daOG, card.Fields{Name: "Lars"})
	if err != nil {
		t.Fatal(err)
	}
	enImg, _ := card.Render(enOG, card.Fields{Name: "Lars"})
	if string(daImg.Pix) == string(enImg.Pix) {
		t.Error("the English og card draws the same pixels as the Danish")
	}
}

// A language whose cards read like the default's costs no second set of
// templates.
func TestALanguageWithTheSameCardsSharesTheTemplates(t *testing.T) {
	src := strings.Replace(validCampaign, "locale: da_DK\n", "locale: da_DK\nlanguages: [da, en]\n", 1)
	set, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := set.Lookup("demo")
	da, _ := c.VariantFor("da", "og")
	en, _ := c.VariantFor("en", "og")
	if da != en {
		t.Error("identical cards compiled twice")
	}
}

// Computed values fill every language's cards and texts.
func TestComputedValuesInEveryLanguage(t *testing.T) {
	set, err := Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	set.SetClock(func() time.Time { return time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) })
	for _, id := range set.IDs() {
		c, _ := set.Lookup(id)
		if len(c.Languages()) < 2 {
			t.Errorf("%s offers only %v", id, c.Languages())
		}
		for _, lang := range c.Languages() {
			in := c.In(lang)
			body := in.Expand(in.Texts.PageBody, card.Fields{Name: "X"})
			if !strings.Contains(body, " 34 ") || strings.Contains(body, "{{") {
				t.Errorf("%s/%s: page body %q", id, lang, body)
			}
			if _, ok := in.Variant("og"); !ok {
				t.Errorf("%s/%s: no og card", id, lang)
			}
		}
	}
}

// TestTextBoxesInEachLanguage: the studio's safe-zone check reads a
// variant's text layers in the language it previews.
func TestTextBoxesInEachLanguage(t *testing.T) {
	set, err := Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := set.Lookup("ligestilling")
	for _, tc := range []struct{ lang, want string }{{"da", "Du inviteres hermed til"}, {"en", "You are hereby invited to"}} {
		boxes := c.In(tc.lang).TextBoxes("story")
		found := false
		for _, b := range boxes {
			found = found || b.Text == tc.want
		}
		if len(boxes) == 0 || !found {
			t.Errorf("%s: %d story text boxes, none reading %q", tc.lang, len(boxes), tc.want)
		}
	}
}
