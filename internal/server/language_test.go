package server

import (
	"bytes"
	"compress/gzip"
	"html"
	"io"
	"net/http"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
)

var htmlLangRE = regexp.MustCompile(`<html lang="([^"]*)">`)

func htmlLang(body string) string {
	if m := htmlLangRE.FindStringSubmatch(body); m != nil {
		return m[1]
	}
	return ""
}

func TestAcceptedLanguagesByWeight(t *testing.T) {
	tests := []struct {
		header string
		want   []string
	}{
		{"", nil},
		{"da", []string{"da"}},
		{"en-GB,en;q=0.8", []string{"en"}},
		{"en;q=0.5, da;q=0.9", []string{"da", "en"}},
		{"sv, en;q=0.7, da;q=0.8", []string{"sv", "da", "en"}},
		{"da;q=0, en", []string{"en"}},
		{"*, en;q=0.1", []string{"en"}},
		{"de;q=bogus, fr;q=2, en", []string{"en"}},
	}
	for _, tc := range tests {
		if got := acceptedLanguages(tc.header); !slices.Equal(got, tc.want) {
			t.Errorf("acceptedLanguages(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}

// The page's language: ?lang= first, then Accept-Language, then the
// campaign's default; only languages the campaign offers.
func TestPageLanguageChoice(t *testing.T) {
	f := newFixture(t)
	lars := f.token(invitation("Lars Hansen"))
	tests := []struct {
		name, path, accept string
		want               string
		vary               bool // Vary: Accept-Language
	}{
		{"no preference: the default", "/c/ligestilling", "", "da", true},
		{"the header", "/c/ligestilling", "en-US,en;q=0.9", "en", true},
		{"the header's weights", "/c/ligestilling", "da;q=0.4, en;q=0.8", "en", true},
		{"a language not offered", "/c/ligestilling", "sv", "da", true},
		{"the first offered one", "/c/ligestilling", "sv, en;q=0.5", "en", true},
		{"?lang= before the header", "/c/ligestilling?lang=da", "en", "da", false},
		{"?lang= not offered falls to the header", "/c/ligestilling?lang=sv", "en", "en", true},
		{"the English campaign's default", "/c/equality-2061", "", "en", true},
		{"the English campaign in Danish", "/c/equality-2061?lang=da", "", "da", false},
		{"the invitation", "/i/" + lars, "en", "en", true},
		{"the invitation by ?lang=", "/i/" + lars + "?lang=en", "da", "en", false},
		{"an error page", "/i/" + lars[:30], "en", "en", true},
		{"an error page by ?lang=", "/c/nope?lang=en", "da", "en", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do(req{method: "GET", path: tc.path, header: map[string]string{"Accept": "text/html", "Accept-Language": tc.accept}})
			if got := htmlLang(w.Body.String()); got != tc.want {
				t.Errorf("<html lang=%q>, want %q (status %d)", got, tc.want, w.Code)
			}
			vary := slices.Contains(strings.Split(strings.Join(w.Header().Values("Vary"), ","), ","), "Accept-Language") ||
				strings.Contains(strings.Join(w.Header().Values("Vary"), ","), "Accept-Language")
			if vary != tc.vary {
				t.Errorf("Vary %q: Accept-Language %v, want %v", w.Header().Values("Vary"), vary, tc.vary)
			}
		})
	}
}

var switchRE = regexp.MustCompile(`<a href="([^"]*)" hreflang="([^"]*)" lang="([^"]*)"( aria-current="true")?>([^<]*)</a>`)

func TestLanguageSwitch(t *testing.T) {
	f := newFixture(t)
	lars := f.token(invitation("Lars Hansen"))
	for _, path := range []string{"/i/" + lars, "/c/ligestilling", "/c/equality-2061", "/i/" + lars[:30]} {
		for _, lang := range []string{"da", "en"} {
			w := f.do(req{method: "GET", path: path + "?lang=" + lang, header: map[string]string{"Accept": "text/html"}})
			body := w.Body.String()
			if !strings.Contains(body, `<nav aria-label="`+map[string]string{"da": "Sprog", "en": "Language"}[lang]+`">`) {
				t.Errorf("%s in %s: no named language switch", path, lang)
			}
			links := switchRE.FindAllStringSubmatch(body, -1)
			if len(links) != 2 {
				t.Fatalf("%s in %s: %d switch links", path, lang, len(links))
			}
			for _, l := range links {
				if l[1] != path+"?lang="+l[2] || l[2] != l[3] || (l[4] != "") != (l[2] == lang) {
					t.Errorf("%s in %s: switch link %q", path, lang, l[0])
				}
				if want := map[string]string{"da": "Dansk", "en": "English"}[l[2]]; l[5] != want {
					t.Errorf("switch link named %q, want %q", l[5], want)
				}
			}
		}
	}
}

// An English page shows, and previews, the English card; the cards'
// addresses and cache keys differ by language, and the default
// language's URLs are as they were.
func TestCardsPerLanguage(t *testing.T) {
	f := newFixture(t)
	lars := f.token(invitation("Lars Hansen"))
	og := map[string]string{}
	for _, lang := range []string{"da", "en"} {
		w := f.do(req{method: "GET", path: "/i/" + lars + "?lang=" + lang})
		meta := map[string]string{}
		for _, m := range metaRE.FindAllStringSubmatch(w.Body.String(), -1) {
			meta[m[1]] = html.UnescapeString(m[2])
		}
		og[lang] = meta["og:image"]
		wantLocale := map[string]string{"da": "da_DK", "en": "en_GB"}
		other := map[string]string{"da": "en_GB", "en": "da_DK"}
		if meta["og:locale"] != wantLocale[lang] || meta["og:locale:alternate"] != other[lang] {
			t.Errorf("%s: og:locale %q, alternate %q", lang, meta["og:locale"], meta["og:locale:alternate"])
		}
		if lang == "en" && !strings.HasSuffix(og[lang], "&lang=en") {
			t.Errorf("the English page's og:image %q does not name its language", og[lang])
		}
		if lang == "da" && strings.Contains(og[lang], "lang=") {
			t.Errorf("the default language's og:image %q changed its address", og[lang])
		}
	}
	if og["da"] == og["en"] {
		t.Fatal("both languages preview the same image")
	}
	etags := map[string]string{}
	for lang, u := range og {
		w := f.do(req{method: "GET", path: strings.TrimPrefix(u, "https://invitation.example.dk")})
		wantStatus(t, w, http.StatusOK)
		etags[lang] = w.Header().Get("ETag")
		if cc := w.Header().Get("Cache-Control"); !strings.Contains(cc, "immutable") {
			t.Errorf("%s card: Cache-Control %q", lang, cc)
		}
	}
	if etags["da"] == etags["en"] {
		t.Errorf("the cards share an ETag %s", etags["da"])
	}
	// The English address is the English template's.
	res, err := f.app.share.ResolveImageIn(lars, "og.jpg", "en")
	if err != nil {
		t.Fatal(err)
	}
	enTpl, _ := res.Camp.VariantFor("en", "og")
	daRes, _ := f.app.share.ResolveImage(lars, "og.jpg")
	if res.Addr.Version != enTpl.Version || res.Addr.Key == daRes.Addr.Key || res.Addr.Lang != "en" || daRes.Addr.Lang != "da" {
		t.Errorf("addresses: en %+v, da %+v", res.Addr, daRes.Addr)
	}
	// The campaign page's own card follows its language too.
	for _, lang := range []string{"da", "en"} {
		w := f.do(req{method: "GET", path: "/c/ligestilling?lang=" + lang})
		m := regexp.MustCompile(`<meta property="og:image" content="([^"]*)">`).FindStringSubmatch(w.Body.String())
		if m == nil || (lang == "en") != strings.HasSuffix(html.UnescapeString(m[1]), "&lang=en") {
			t.Errorf("campaign page in %s: og:image %v", lang, m)
		}
		// Its portrait card, which a campaign page without the live
		// preview shows on narrow screens.
		w = f.do(req{method: "GET", path: "/c/ligestilling/portrait.jpg?lang=" + lang})
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" {
			t.Errorf("campaign portrait in %s: %d %s", lang, w.Code, w.Header().Get("Content-Type"))
		}
	}
}

// The invitation page keeps a page and its gzip copy per language.
func TestInvitationPageCachePerLanguage(t *testing.T) {
	f := newFixture(t)
	lars := f.token(invitation("Lars Hansen"))
	for range 2 { // the second round comes from the cache
		for _, lang := range []string{"en", "da"} {
			w := f.do(req{method: "GET", path: "/i/" + lars, header: map[string]string{"Accept-Language": lang, "Accept-Encoding": "gzip"}})
			zr, err := gzip.NewReader(w.Body)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(zr)
			if got := htmlLang(string(body)); got != lang {
				t.Errorf("gzip copy for %s is in %q", lang, got)
			}
			w = f.do(req{method: "GET", path: "/i/" + lars, header: map[string]string{"Accept-Language": lang}})
			if got := htmlLang(w.Body.String()); got != lang {
				t.Errorf("page for %s is in %q", lang, got)
			}
		}
	}
}

// textsOf are the campaign's texts in lang, expanded for f, each a
// non-empty field of Texts.
func textsOf(camp *campaign.Campaign, lang string, f invite.Invitation) []string {
	in := camp.In(lang)
	v := reflect.ValueOf(in.Texts)
	var out []string
	for i := range v.NumField() {
		if s := v.Field(i).String(); s != "" {
			out = append(out, in.Expand(s, share.Fields(f)))
		}
	}
	return out
}

// wordsOf are the string fields of a words table's entry for lang.
func wordsOf(entry any) []string {
	var out []string
	v := reflect.ValueOf(entry)
	for i := range v.NumField() {
		if fv := v.Field(i); fv.Kind() == reflect.String && fv.String() != "" {
			out = append(out, fv.String())
		}
	}
	return out
}

// Every page in one language holds none of the other language's texts:
// the campaign's copy (from its file, so a text added later is checked
// too) and the pages' own words. A page that read the default language's
// texts, or its own words in Danish, fails here.
func TestNoTextFromTheOtherLanguage(t *testing.T) {
	f := newFixture(t)
	set := f.app.share.Campaigns()
	for _, id := range set.IDs() {
		camp, _ := set.Lookup(id)
		inv := invite.Invitation{Campaign: id, Name: "Lars Hansen", Title: "Adm. direktør", Org: "Novo Nordisk"}
		tok := f.token(inv)
		gone := f.token(invite.Invitation{Campaign: id, Name: "Tove Ditlevsen"})
		if _, err := f.app.share.Revoke(t.Context(), gone); err != nil {
			t.Fatal(err)
		}
		pages := []struct {
			name, method, path, body string
		}{
			{"the invitation", "GET", "/i/" + tok, ""},
			{"the send page", "GET", "/i/" + tok + "/send", ""},
			{"the campaign page", "GET", "/c/" + id, ""},
			{"the form with a mistake", "POST", "/c/" + id, "name=&title=x"},
			{"a truncated link", "GET", "/i/" + tok[:30], ""},
			{"a revoked link", "GET", "/i/" + gone, ""},
			{"a card that does not exist", "GET", "/i/" + tok + "/nope.gif", ""},
		}
		for _, lang := range camp.Languages() {
			for _, other := range camp.Languages() {
				if other == lang {
					continue
				}
				mine := textsOf(camp, lang, inv)
				var foreign []string
				for _, s := range append(textsOf(camp, other, inv),
					slices.Concat(wordsOf(wordsFor(campaignText, other)), wordsOf(wordsFor(chromeText, other)), wordsOf(wordsFor(invitationText, other)),
						wordsOf(wordsFor(sendText, other)))...) {
					if len([]rune(s)) >= 6 && !slices.Contains(mine, s) && !slices.Contains(wordsOf(wordsFor(campaignText, lang)), s) {
						foreign = append(foreign, s)
					}
				}
				ew := wordsFor(errorText, other)
				for _, w := range []errorWords{ew.BadLink, ew.NotFound, ew.Gone, ew.ServerError} {
					foreign = append(foreign, w.Heading, w.Body)
				}
				foreign = append(foreign, ew.Action)
				if len(foreign) < 20 {
					t.Fatalf("%s: only %d texts to look for", id, len(foreign))
				}
				for _, p := range pages {
					t.Run(id+"/"+lang+"/"+p.name, func(t *testing.T) {
						h := map[string]string{"Accept": "text/html", "Accept-Language": lang}
						if p.method == "POST" {
							h["Content-Type"] = "application/x-www-form-urlencoded"
							h["Origin"] = "https://invitation.example.dk"
						}
						w := f.do(req{method: p.method, path: p.path, body: p.body, header: h})
						body := html.UnescapeString(w.Body.String())
						if got := htmlLang(body); got != lang {
							t.Fatalf("status %d, <html lang=%q>, want %s", w.Code, got, lang)
						}
						// The switch names the other language in itself, on purpose.
						body = switchRE.ReplaceAllString(body, "")
						for _, s := range foreign {
							if strings.Contains(body, s) {
								t.Errorf("the %s page holds %s text %q", lang, other, s)
							}
						}
					})
				}
			}
		}
	}
}

// The pages are set in the card's fonts, served by the campaign with a
// long cache at a hashed URL and allowed by the CSP.
func TestPageFonts(t *testing.T) {
	f := newFixture(t)
	page := f.do(req{method: "GET", path: "/c/ligestilling"})
	if csp := page.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "font-src 'self'") {
		t.Errorf("CSP %q does not allow the fonts", csp)
	}
	styleURL := regexp.MustCompile(`<link rel="stylesheet" href="([^"]*)">`).FindStringSubmatch(page.Body.String())
	if styleURL == nil {
		t.Fatal("no stylesheet")
	}
	css := f.do(req{method: "GET", path: html.UnescapeString(styleURL[1])}).Body.String()
	faces := regexp.MustCompile(`@font-face\{font-family:"([^"]*)";src:url\(([^)]*)\) format\("([^"]*)"\);font-display:swap\}`).FindAllStringSubmatch(css, -1)
	if len(faces) != 2 || faces[0][1] != "card-heading" || faces[1][1] != "card-body" {
		t.Fatalf("font faces %q", faces)
	}
	camp, _ := f.app.share.Campaigns().Lookup("ligestilling")
	want := map[string]string{"card-heading": "italic", "card-body": "sans"}
	for _, face := range faces {
		u := face[2]
		if !strings.HasPrefix(u, "/c/ligestilling/fonts/"+want[face[1]]+".otf?v=") || face[3] != "opentype" {
			t.Errorf("%s at %s (%s)", face[1], u, face[3])
		}
		w := f.do(req{method: "GET", path: u})
		wantStatus(t, w, http.StatusOK)
		pf, _ := camp.PageFont(want[face[1]])
		if ct, cc := w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"); ct != "font/otf" || cc != "public, max-age=31536000, immutable" || !bytes.Equal(w.Body.Bytes(), pf.Data) {
			t.Errorf("%s: Content-Type %q, Cache-Control %q, %d bytes", u, ct, cc, w.Body.Len())
		}
		if w := f.do(req{method: "GET", path: u, header: map[string]string{"Accept-Encoding": "gzip"}}); w.Header().Get("Content-Encoding") != "gzip" || w.Body.Len() >= len(pf.Data) {
			t.Errorf("%s is not sent compressed (%d bytes)", u, w.Body.Len())
		}
		if w := f.do(req{method: "GET", path: u, header: map[string]string{"If-None-Match": w.Header().Get("ETag")}}); w.Code != http.StatusNotModified {
			t.Errorf("%s revalidated: %d", u, w.Code)
		}
	}
	for path, code := range map[string]int{
		"/c/ligestilling/fonts/italic.otf?v=old": http.StatusOK, // briefly cached
		"/c/ligestilling/fonts/italic.ttf":       http.StatusNotFound,
		"/c/ligestilling/fonts/display.otf":      http.StatusNotFound, // not a page font
		"/c/ligestilling/fonts/..%2fsecret":      http.StatusNotFound,
		"/c/nope/fonts/italic.otf":               http.StatusNotFound,
	} {
		w := f.do(req{method: "GET", path: path})
		if w.Code != code {
			t.Errorf("%s: %d, want %d", path, w.Code, code)
		}
		if code == http.StatusOK && w.Header().Get("Cache-Control") != "public, max-age=300" {
			t.Errorf("%s: Cache-Control %q", path, w.Header().Get("Cache-Control"))
		}
	}
}

// The calendar file is in the language of the page that links it.
func TestCalendarInThePagesLanguage(t *testing.T) {
	f := newFixture(t)
	lars := f.token(invitation("Lars Hansen"))
	camp, _ := f.app.share.Campaigns().Lookup("ligestilling")
	for _, lang := range []string{"da", "en"} {
		page := f.do(req{method: "GET", path: "/i/" + lars + "?lang=" + lang}).Body.String()
		m := regexp.MustCompile(`<a href="([^"]*calendar.ics[^"]*)" download>`).FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s: no calendar link", lang)
		}
		w := f.do(req{method: "GET", path: html.UnescapeString(m[1]), header: map[string]string{"Accept-Language": "da"}})
		wantStatus(t, w, http.StatusOK)
		// iCalendar folds long lines; unfold before looking.
		ics := strings.ReplaceAll(strings.ReplaceAll(w.Body.String(), "\r\n ", ""), "\\,", ",")
		if want := camp.TextsFor(lang).Event; !strings.Contains(ics, "SUMMARY:"+want) {
			t.Errorf("%s calendar: no SUMMARY %q in\n%s", lang, want, ics)
		}
	}
}
