package server

import (
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/share"
)

// chromeAccept is what Chromium sends for a page.
const chromeAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"

func TestPrefersHTML(t *testing.T) {
	tests := []struct {
		name, path, accept string
		want               bool
	}{
		{"a browser asking for a page", "/i/x", chromeAccept, true},
		{"Firefox asking for a page", "/c/nope", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", true},
		{"text/html alone", "/i/x", "text/html", true},
		{"any text", "/i/x", "text/*", true},
		{"no Accept at all (curl, scripts, the tests)", "/i/x", "", false},
		{"anything (*/*) is a tie, kept JSON", "/i/x", "*/*", false},
		{"JSON asked for", "/i/x", "application/json", false},
		{"JSON and HTML alike is a tie, kept JSON", "/i/x", "application/json, text/html", false},
		{"JSON preferred to HTML", "/i/x", "text/html;q=0.5, application/json", false},
		{"HTML preferred to JSON", "/i/x", "application/json;q=0.4, text/html", true},
		{"HTML refused", "/i/x", "text/html;q=0, */*", false},
		{"an image request from a page", "/i/x/og.jpg", "image/avif,image/webp,image/apng,image/*,*/*;q=0.8", false},
		{"a malformed header", "/i/x", "text/html;;;q==", false},
		{"an API path, even from a browser", "/api/v1/invitations/x", chromeAccept, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("GET", tt.path, nil)
			if tt.accept != "" {
				r.Header.Set("Accept", tt.accept)
			}
			if got := prefersHTML(r); got != tt.want {
				t.Errorf("prefersHTML(%q on %s) = %v", tt.accept, tt.path, got)
			}
		})
	}
}

// TestBrowsersGetErrorPages: a browser gets a Danish page in the
// campaign's look, with the status, the reason and a way forward, for
// every error an invitee or a visitor can meet; everyone else keeps JSON.
func TestBrowsersGetErrorPages(t *testing.T) {
	f := newFixture(t)
	browser := map[string]string{"Accept": chromeAccept}
	lars := f.token(invitation("Lars Hansen"))
	gone := f.token(invitation("Tove Ditlevsen"))
	if _, err := f.app.share.Revoke(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	form := map[string]string{"Accept": chromeAccept, "Content-Type": "application/x-www-form-urlencoded"}
	for range 3 { // the fixture's limit is three a minute
		f.do(req{method: "POST", path: "/c/ligestilling", header: form, body: "name=Lars"})
	}
	f.e.GET("/busy", func(echo.Context) error { return fmt.Errorf("render: %w", share.ErrBusy) })
	f.e.GET("/boom", func(echo.Context) error { return errors.New("secret detail: dial tcp 10.0.0.7:6379") })

	tests := []struct {
		name string
		r    req
		code int
		want []string
	}{
		{"a truncated link", req{method: "GET", path: "/i/" + lars[:40]}, 404, []string{"Linket virker ikke", "Kopiér hele linket"}},
		{"a truncated link's image", req{method: "GET", path: "/i/" + lars[:40] + "/og.jpg"}, 404, []string{"Linket virker ikke"}},
		{"a revoked invitation", req{method: "GET", path: "/i/" + gone}, 410, []string{"Invitationen er trukket tilbage"}},
		{"a decline of a revoked invitation", req{method: "POST", path: "/i/" + gone + "/decline", header: form}, 410, []string{"Invitationen er trukket tilbage"}},
		{"an unknown campaign", req{method: "GET", path: "/c/nope"}, 404, []string{"Siden findes ikke"}},
		{"an unknown path", req{method: "GET", path: "/nothing/here"}, 404, []string{"Siden findes ikke"}},
		{"too many self-service invitations", req{method: "POST", path: "/c/ligestilling", header: form, body: "name=Lars"}, 429, []string{"Et øjeblik", "Prøv igen om 20 sekunder."}},
		{"a full render queue", req{method: "GET", path: "/busy"}, 503, []string{"Der er travlt lige nu", "Prøv igen om et øjeblik."}},
		{"a server error", req{method: "GET", path: "/boom"}, 500, []string{"Noget gik galt hos os"}},
		{"a wrong method", req{method: "GET", path: "/i/" + lars + "/decline"}, 405, []string{"Det kunne ikke lade sig gøre"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.r.header == nil {
				tt.r.header = browser
			}
			w := f.do(tt.r)
			wantStatus(t, w, tt.code)
			h := w.Header()
			if ct := h.Get("Content-Type"); ct != "text/html; charset=UTF-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if h.Get("Cache-Control") != "no-store" || !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept") {
				t.Errorf("Cache-Control %q, Vary %q", h.Get("Cache-Control"), h.Values("Vary"))
			}
			if csp := h.Get("Content-Security-Policy"); csp != pageCSP {
				t.Errorf("CSP %q, want the pages' (the stylesheet must load)", csp)
			}
			body := w.Body.String()
			want := append(tt.want, `<html lang="da">`, `<meta name="viewport" content="width=device-width, initial-scale=1">`,
				`<link rel="stylesheet" href="/c/ligestilling/style.css?v=`, `<a class="btn primary" href="/c/ligestilling">Lav din egen invitation</a>`,
				fmt.Sprintf("Fejlkode %d", tt.code), "Festen for ligestilling i dansk topledelse")
			for _, s := range want {
				if !strings.Contains(body, s) {
					t.Errorf("the page lacks %q:\n%s", s, body)
				}
			}
			for _, leak := range []string{"secret detail", "10.0.0.7", `{"error"`, "goroutine"} {
				if strings.Contains(body, leak) {
					t.Errorf("the page shows %q", leak)
				}
			}
		})
	}

	t.Run("API clients and scripts keep JSON", func(t *testing.T) {
		for _, accept := range []string{"", "*/*", "application/json"} {
			h := map[string]string{}
			if accept != "" {
				h["Accept"] = accept
			}
			wantError(t, f.do(req{method: "GET", path: "/i/" + lars[:40], header: h}), 404, "no such invitation")
			wantError(t, f.do(req{method: "GET", path: "/i/" + gone, header: h}), 410, "withdrawn")
			wantError(t, f.do(req{method: "GET", path: "/c/nope", header: h}), 404, "no such campaign")
		}
		wantError(t, f.do(req{method: "DELETE", path: "/api/v1/invitations/garbage",
			header: map[string]string{"Accept": chromeAccept, "Authorization": "Bearer " + testAdmin}}), 404, "no such invitation")
	})

	t.Run("a HEAD gets the status and no body", func(t *testing.T) {
		w := f.do(req{method: "HEAD", path: "/i/" + gone, header: browser})
		wantStatus(t, w, 410)
		if w.Body.Len() != 0 {
			t.Error("a body on HEAD")
		}
	})
}
