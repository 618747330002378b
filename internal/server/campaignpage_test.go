package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"

	"github.com/sharecard/sharecard/internal/stats"
)

func form(vals map[string]string) (string, map[string]string) {
	v := url.Values{}
	for k, x := range vals {
		v.Set(k, x)
	}
	return v.Encode(), map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
}

func TestCampaignPage(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "GET", path: "/c/ligestilling"})
	wantStatus(t, w, 200)
	body := w.Body.String()
	for _, want := range []string{`<form method="post" action="/c/ligestilling?lang=da"`, `<label for="name">`, `id="name"`, "Lav invitationen"} {
		if !strings.Contains(body, want) {
			t.Errorf("campaign page lacks %s", want)
		}
	}
	if !strings.Contains(w.Header().Get("Content-Security-Policy"), "default-src 'none'") {
		t.Error("campaign page without CSP")
	}
}

func TestSelfService(t *testing.T) {
	f := newFixture(t)
	body, h := form(map[string]string{"name": "Åse Holm", "title": "Bestyrelsesformand"})
	w := f.do(req{method: "POST", path: "/c/ligestilling", body: body, header: h})
	wantStatus(t, w, http.StatusSeeOther)
	// The maker goes on to the page for sending it, not to the invitee's.
	loc := w.Header().Get("Location")
	if !strings.HasPrefix(loc, "/i/") || !strings.HasSuffix(loc, "/send?lang=da") {
		t.Fatalf("Location %q, want /i/{token}/send", loc)
	}
	inv, err := f.signer.Decode(strings.TrimSuffix(strings.TrimPrefix(loc, "/i/"), "/send?lang=da"))
	if err != nil || inv.Name != "Åse Holm" {
		t.Errorf("minted %+v, %v", inv, err)
	}
	if f.events.Count(stats.Minted) != 1 {
		t.Error("self-service mint not counted")
	}

	body, h = form(map[string]string{"name": `"><script>alert(1)</script>`})
	w = f.do(req{method: "POST", path: "/c/ligestilling", body: body, header: h})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	page := w.Body.String()
	if strings.Contains(page, "<script>alert") || strings.Contains(page, `"><script`) {
		t.Error("the refused name is reflected raw")
	}
	if !strings.Contains(page, "&lt;script&gt;") || !strings.Contains(page, `role="alert"`) {
		t.Error("the form does not keep the escaped input or show the reason")
	}
	if !strings.Contains(page, "Navnet kan ikke indeholde tegnet »&#34;«") {
		t.Errorf("the reason is not in Danish: %s", page[strings.Index(page, `role="alert"`):][:200])
	}
}

// TestSelfServiceRefusesWhatNoFontDraws: the form says so, in Danish,
// showing the letters, instead of making a card with a hole.
func TestSelfServiceRefusesWhatNoFontDraws(t *testing.T) {
	f := newFixture(t)
	body, h := form(map[string]string{"name": "ᏣᎳᎩ"})
	w := f.do(req{method: "POST", path: "/c/ligestilling", body: body, header: h})
	wantStatus(t, w, http.StatusUnprocessableEntity)
	if page := w.Body.String(); !strings.Contains(page, "kortet ikke kan vise: »ᏣᎳᎩ«") {
		t.Errorf("the form does not say which letters: %.2000s", page)
	}
	if f.events.Count(stats.Minted) != 0 {
		t.Error("minted")
	}
}

func TestSelfServiceRateLimit(t *testing.T) {
	f := newFixture(t) // SelfServiceRate 3 a minute
	body, h := form(map[string]string{"name": "Lars Hansen"})
	for i := range 3 {
		if w := f.do(req{method: "POST", path: "/c/ligestilling", body: body, header: h}); w.Code != http.StatusSeeOther {
			t.Fatalf("request %d: %d", i+1, w.Code)
		}
	}
	w := f.do(req{method: "POST", path: "/c/ligestilling", body: body, header: h})
	wantError(t, w, http.StatusTooManyRequests, "too many")
	if w.Header().Get("Retry-After") == "" {
		t.Error("429 without Retry-After")
	}
	// The page itself is not limited.
	wantStatus(t, f.do(req{method: "GET", path: "/c/ligestilling"}), 200)
}

func TestSelfServiceBodyLimit(t *testing.T) {
	f := newFixture(t)
	body, h := form(map[string]string{"name": strings.Repeat("a", 2<<20)})
	wantError(t, f.do(req{method: "POST", path: "/c/ligestilling", body: body, header: h}), 413, "too large")
}

func TestPageWordsComeFromTheCampaignElseDanishDefaults(t *testing.T) {
	custom := campaign.Texts{LabelSquare: "Square", LabelName: "Name", LabelOptional: "(optional)"}
	tests := []struct {
		name  string
		texts campaign.Texts
		got   func(campaign.Texts) string
		want  string
	}{
		{"a campaign's download label is used", custom, func(t campaign.Texts) string { return variantLabel(t, "da", "square") }, "Square"},
		{"a missing download label falls back to Danish", custom, func(t campaign.Texts) string { return variantLabel(t, "da", "portrait") }, "Portræt"},
		{"a campaign's form label is used", custom, func(t campaign.Texts) string { return labels(t, "da").Name }, "Name"},
		{"a missing form label falls back to Danish", custom, func(t campaign.Texts) string { return labels(t, "da").Org }, "Organisation"},
		{"the optional marker comes from the campaign", custom, func(t campaign.Texts) string { return labels(t, "da").Optional }, "(optional)"},
		{"a variant's own default label", campaign.Texts{}, func(t campaign.Texts) string { return variantLabel(t, "da", "story") }, "Story"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(tt.texts); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestAnOversizedSelfServiceFormIs413EvenWhenChunked(t *testing.T) {
	f := newFixture(t)
	body := "name=" + strings.Repeat("a", 2<<20)
	for _, chunked := range []bool{false, true} {
		r := httptest.NewRequest("POST", "/c/ligestilling", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.RemoteAddr = "192.0.2.10:4000"
		if chunked {
			// No Content-Length: only reading the body finds the limit.
			r.ContentLength = -1
			r.TransferEncoding = []string{"chunked"}
		}
		w := httptest.NewRecorder()
		f.e.ServeHTTP(w, r)
		if w.Code != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked=%v: %d %s, want 413", chunked, w.Code, w.Body.String())
		}
	}
}

// TestAWithdrawnCardIsNotMadeAgain: the same details make the same link,
// so a card taken down must not come back through the form or its
// preview; the maker is told why, in the page's language.
func TestAWithdrawnCardIsNotMadeAgain(t *testing.T) {
	f := newFixture(t)
	details := map[string]string{"name": "Åse Holm", "title": "Bestyrelsesformand"}
	code, loc, _ := f.selfServe("ligestilling", details)
	if code != http.StatusSeeOther {
		t.Fatalf("first: %d", code)
	}
	tok := strings.TrimPrefix(loc[:strings.Index(loc, "/send")], "/i/")
	wantStatus(t, f.do(req{method: "DELETE", path: "/api/v1/invitations/" + tok, header: admin()}), 204)

	code, _, body := f.selfServe("ligestilling", details)
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "trukket tilbage og kan ikke laves igen") || !strings.Contains(body, "Bestyrelsesformand") {
		t.Errorf("again after the take-down: %d, want 422 with the reason and the input kept:\n%.400s", code, body)
	}
	w := f.do(req{method: "GET", path: "/c/ligestilling/preview.jpg?lang=en&name=%C3%85se+Holm&title=Bestyrelsesformand"})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), "has been withdrawn") {
		t.Errorf("preview: %d %s", w.Code, w.Body.String())
	}
	// Other details still make a card.
	details["title"] = "Direktør"
	if code, _, _ := f.selfServe("ligestilling", details); code != http.StatusSeeOther {
		t.Errorf("other details: %d, want 303", code)
	}
}
