package server

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/share"
)

// TestMintInTheInviteesLanguage: the campaign team mints a link in the
// invitee's language; the link says so, so the page, its preview and the
// cards are in that language for any browser or crawler, whatever it
// sends as Accept-Language.
func TestMintInTheInviteesLanguage(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name, campaign, lang string
		wantLang, wantQuery  string // the link's language and its ?lang=
	}{
		{"English on the Danish campaign", "ligestilling", "en", "en", "?lang=en"},
		{"Danish named on the Danish campaign", "ligestilling", "da", "da", ""},
		{"no language: the campaign's", "ligestilling", "", "da", ""},
		{"Danish on the English edition", "equality-2061", "da", "da", "?lang=da"},
		{"no language on the English edition", "equality-2061", "", "en", ""},
	}
	ogBytes := map[string][]byte{}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body, _ := json.Marshal(map[string]string{"campaign": tc.campaign, "name": "Karen Blixen", "lang": tc.lang})
			w := f.do(req{method: "POST", path: "/api/v1/invitations", header: admin(), body: string(body)})
			wantStatus(t, w, http.StatusCreated)
			var res share.Result
			if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if res.Lang != tc.wantLang || res.URL != "https://invitation.example.dk/i/"+res.Token+tc.wantQuery {
				t.Fatalf("lang %q, url %q; want %q and the query %q", res.Lang, res.URL, tc.wantLang, tc.wantQuery)
			}
			og := res.Images["og"]
			if tc.wantQuery != "" && !strings.HasSuffix(og, "&lang="+tc.wantLang) || tc.wantQuery == "" && strings.Contains(og, "lang=") {
				t.Errorf("og image %q for a link in %s", og, tc.wantLang)
			}
			// The page at that address, fetched as a crawler does (no
			// Accept-Language), is in the link's language and previews
			// the very image the API named.
			u, _ := url.Parse(res.URL)
			page := f.do(req{method: "GET", path: u.RequestURI(), header: map[string]string{"User-Agent": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"}})
			wantStatus(t, page, http.StatusOK)
			html := page.Body.String()
			if !strings.Contains(html, `<html lang="`+tc.wantLang+`"`) {
				t.Errorf("the page is not in %s: %.200s", tc.wantLang, html)
			}
			if !strings.Contains(html, `<meta property="og:image" content="`+strings.ReplaceAll(og, "&", "&amp;")+`"`) {
				t.Errorf("the page's og:image is not the API's %s", og)
			}
			iu, _ := url.Parse(og)
			img := f.do(req{method: "GET", path: iu.RequestURI()})
			wantStatus(t, img, http.StatusOK)
			if tc.campaign == "ligestilling" {
				ogBytes[tc.wantLang] = img.Body.Bytes()
			}
		})
	}
	if da, en := ogBytes["da"], ogBytes["en"]; len(da) == 0 || len(en) == 0 || bytes.Equal(da, en) {
		t.Error("the English link's card is not a card of its own")
	}
}

func TestMintInALanguageTheCampaignLacks(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "POST", path: "/api/v1/invitations", header: admin(), body: `{"campaign":"ligestilling","name":"Karen Blixen","lang":"fr"}`})
	wantError(t, w, http.StatusUnprocessableEntity, `lang: campaign ligestilling does not offer the language \"fr\" (languages: da, en)`)

	w = f.do(req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling&lang=fr", body: "name\nKaren Blixen\n", header: admin("Content-Type", "text/csv")})
	wantError(t, w, http.StatusUnprocessableEntity, "does not offer the language")
}

// TestBatchInEachRowsLanguage: a CSV's lang column gives each row its
// language, ?lang= the rest; a row in a language the campaign lacks is
// refused on its own.
func TestBatchInEachRowsLanguage(t *testing.T) {
	f := newFixture(t)
	body := "name,lang\nKaren Blixen,en\nLars Hansen,\nPiet Hein,nl\nInger Støjberg,da\n"
	w := f.do(req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling&lang=en", body: body, header: admin("Content-Type", "text/csv")})
	wantStatus(t, w, http.StatusOK)
	var got []string
	sc := bufio.NewScanner(w.Body)
	for sc.Scan() {
		var r share.Result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if r.Error != "" {
			got = append(got, r.Name+" refused: "+r.Error)
			continue
		}
		got = append(got, r.Name+" "+r.Lang+" "+r.URL[strings.LastIndexByte(r.URL, '/')+1+len(r.Token):])
	}
	want := []string{
		"Karen Blixen en ?lang=en",
		"Lars Hansen en ?lang=en",
		`Piet Hein refused: lang: campaign ligestilling does not offer the language "nl" (languages: da, en)`,
		"Inger Støjberg da ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
