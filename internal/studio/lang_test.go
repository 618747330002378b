package studio

import (
	"bytes"
	"image/jpeg"
	"net/http"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/variant"
)

// withoutDeclined is the demo file without its declined: section (the
// file's last).
func withoutDeclined(t testing.TB) string {
	t.Helper()
	good := demoYAML(t)
	i := strings.Index(good, "\ndeclined:\n")
	if i < 0 {
		t.Fatal("the demo file has no declined: section; change the test")
	}
	return good[:i+1]
}

// The previews answer in the chosen language and of the chosen kind:
// every variant of the bilingual demo differs between da and en, the
// "I declined" card is a card of its own at every size, and a campaign
// without one is told so.
func TestPreviewsInEveryLanguageAndKind(t *testing.T) {
	f := newFixture(t)
	good, plain := demoYAML(t), withoutDeclined(t)
	const name = "Anne-Sofie Østergaard-Kjærsgaard"
	shot := func(fields map[string]string) *http.Response {
		t.Helper()
		fields["name"] = name
		return f.post(post{path: "/admin/studio/ligestilling/preview", fields: fields}).Result()
	}
	body := func(r *http.Response) []byte {
		var b bytes.Buffer
		_, _ = b.ReadFrom(r.Body)
		return b.Bytes()
	}
	for _, v := range variant.All() {
		for _, kind := range []string{"", "declined"} {
			t.Run(v.Name+"/"+kind, func(t *testing.T) {
				imgs := map[string][]byte{}
				for _, lang := range []string{"da", "en", ""} {
					r := shot(map[string]string{"yaml": good, "variant": v.Name, "kind": kind, "lang": lang})
					b := body(r)
					if r.StatusCode != http.StatusOK || r.Header.Get("Content-Type") != "image/jpeg" {
						t.Fatalf("lang %q: %d %s %.300s", lang, r.StatusCode, r.Header.Get("Content-Type"), b)
					}
					want := lang
					if want == "" {
						want = "da"
					}
					if got := r.Header.Get("Content-Language"); got != want {
						t.Errorf("lang %q: Content-Language %q, want %q", lang, got, want)
					}
					img, err := jpeg.Decode(bytes.NewReader(b))
					if err != nil {
						t.Fatalf("lang %q: %v", lang, err)
					}
					if bd := img.Bounds(); bd.Dx() != v.Width || bd.Dy() != v.Height {
						t.Errorf("lang %q: %v, want %d×%d", lang, bd, v.Width, v.Height)
					}
					imgs[lang] = b
				}
				if bytes.Equal(imgs["da"], imgs["en"]) {
					t.Error("the English card is the Danish one")
				}
				if !bytes.Equal(imgs["da"], imgs[""]) {
					t.Error("no language is not the default language")
				}
			})
		}
		invitation := body(shot(map[string]string{"yaml": good, "variant": v.Name, "lang": "da"}))
		declined := body(shot(map[string]string{"yaml": good, "variant": v.Name, "lang": "da", "kind": "declined"}))
		if bytes.Equal(invitation, declined) {
			t.Errorf("%s: the declined card is the invitation", v.Name)
		}
	}

	for _, tc := range []struct {
		name   string
		fields map[string]string
		status int
		// lang is the language answered in; wantIn a part of the message.
		lang, wantIn string
	}{
		{name: "a language the campaign does not offer is its default", fields: map[string]string{"yaml": good, "variant": "og", "lang": "sv"}, status: http.StatusOK, lang: "da"},
		{name: "a region of an offered language is the default too", fields: map[string]string{"yaml": good, "variant": "og", "lang": "en-GB"}, status: http.StatusOK, lang: "da"},
		{name: "a field that is no language code is refused", fields: map[string]string{"yaml": good, "variant": "og", "lang": "../en"}, status: http.StatusBadRequest, wantIn: "sprogkode"},
		{name: "an unknown kind is refused", fields: map[string]string{"yaml": good, "variant": "og", "kind": "thanks"}, status: http.StatusBadRequest, wantIn: "korttype"},
		{name: "the invitation asked for by name is the invitation", fields: map[string]string{"yaml": good, "variant": "og", "kind": "invitation", "lang": "en"}, status: http.StatusOK, lang: "en"},
		{name: "a campaign without declined: has no declined card", fields: map[string]string{"yaml": plain, "variant": "og", "kind": "declined"}, status: http.StatusNotFound, wantIn: "intet afbud-kort"},
		{name: "a campaign without declined: still has its invitation", fields: map[string]string{"yaml": plain, "variant": "story", "lang": "en"}, status: http.StatusOK, lang: "en"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := shot(tc.fields)
			b := body(r)
			if r.StatusCode != tc.status {
				t.Fatalf("%d, want %d: %.300s", r.StatusCode, tc.status, b)
			}
			if tc.lang != "" && r.Header.Get("Content-Language") != tc.lang {
				t.Errorf("Content-Language %q, want %q", r.Header.Get("Content-Language"), tc.lang)
			}
			if tc.wantIn != "" && !strings.Contains(string(b), tc.wantIn) {
				t.Errorf("answer lacks %q: %.300s", tc.wantIn, b)
			}
		})
	}
}

// The published cards (the page's first images) take the same fields.
func TestPublishedCardsInEveryLanguageAndKind(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		path   string
		status int
		lang   string
	}{
		{path: "/admin/studio/ligestilling/card/og?name=Bo&lang=en", status: http.StatusOK, lang: "en"},
		{path: "/admin/studio/ligestilling/card/story?name=Bo&lang=en&kind=declined", status: http.StatusOK, lang: "en"},
		{path: "/admin/studio/ligestilling/card/square?name=Bo", status: http.StatusOK, lang: "da"},
		{path: "/admin/studio/equality-2061/card/og?name=Bo", status: http.StatusOK, lang: "en"},
		{path: "/admin/studio/ligestilling/card/og?name=Bo&kind=nope", status: http.StatusBadRequest},
		{path: "/admin/studio/ligestilling/card/og?name=Bo&lang=%3Cx%3E", status: http.StatusBadRequest},
	} {
		t.Run(tc.path, func(t *testing.T) {
			w := f.get(tc.path, true)
			if w.Code != tc.status {
				t.Fatalf("%d, want %d: %.300s", w.Code, tc.status, w.Body.String())
			}
			if got := w.Header().Get("Content-Language"); tc.lang != "" && got != tc.lang {
				t.Errorf("Content-Language %q, want %q", got, tc.lang)
			}
		})
	}
}

// The check answers the simulator in the chosen language and tells the
// script which languages and kinds the draft has; the page draws the
// choice and the declined row only for a campaign with one.
func TestCheckAndPageKnowLanguagesAndTheDeclinedCard(t *testing.T) {
	f := newFixture(t)
	good, plain := demoYAML(t), withoutDeclined(t)
	type checked struct {
		Languages []langOption `json:"languages"`
		Lang      string       `json:"lang"`
		Declined  bool         `json:"declined"`
		Social    struct {
			Title string `json:"title"`
			Lang  string `json:"lang"`
		} `json:"social"`
	}
	titles := map[string]string{}
	for _, tc := range []struct {
		yaml, lang, wantLang string
		declined             bool
	}{
		{yaml: good, lang: "da", wantLang: "da", declined: true},
		{yaml: good, lang: "en", wantLang: "en", declined: true},
		{yaml: good, lang: "fr", wantLang: "da", declined: true},
		{yaml: plain, lang: "en", wantLang: "en", declined: false},
	} {
		w := f.post(post{path: "/admin/studio/ligestilling/check", fields: map[string]string{"yaml": tc.yaml, "lang": tc.lang}, json: true})
		if w.Code != http.StatusOK {
			t.Fatalf("%s: %d %.300s", tc.lang, w.Code, w.Body.String())
		}
		c := decode[checked](t, w)
		if c.Lang != tc.wantLang || c.Social.Lang != tc.wantLang || c.Declined != tc.declined {
			t.Errorf("lang %s: answered %s (social %s), declined %v; want %s, %v", tc.lang, c.Lang, c.Social.Lang, c.Declined, tc.wantLang, tc.declined)
		}
		if len(c.Languages) != 2 || c.Languages[0] != (langOption{"da", "Dansk"}) || c.Languages[1] != (langOption{"en", "English"}) {
			t.Errorf("languages %+v", c.Languages)
		}
		if tc.yaml == good {
			titles[tc.lang] = c.Social.Title
		}
	}
	if titles["da"] == titles["en"] || titles["da"] != titles["fr"] {
		t.Errorf("the share's titles by language: %q", titles)
	}

	page := f.get("/admin/studio/ligestilling", true).Body.String()
	for _, s := range []string{`<label for="lang">Sprog</label>`, `<option value="da" lang="da" selected>Dansk</option>`, `<option value="en" lang="en">English</option>`, "Afbud-kortet", "kind=declined"} {
		if !strings.Contains(page, s) {
			t.Errorf("the page lacks %q", s)
		}
	}
	if strings.Contains(page, `<div class="declined" hidden>`) {
		t.Error("the declined cards are hidden for a campaign with one")
	}
}
