package server

import (
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzRequests throws arbitrary paths, methods and bodies at the service:
// whatever arrives, the answer is a client error or success, never a 500,
// and an error is JSON.
func FuzzRequests(f *testing.F) {
	fx := newFixture(f)
	tok := fx.token(invitation("Lars Hansen"))
	for _, seed := range []struct{ method, path, body string }{
		{"GET", "/i/" + tok, ""},
		{"GET", "/i/" + tok + "/og.jpg", ""},
		{"POST", "/i/" + tok + "/beacon", "12"},
		{"POST", "/i/" + tok + "/decline", ""},
		{"POST", "/c/ligestilling", "name=%3Cscript%3E"},
		{"GET", "/i/" + tok[:20] + "/story.png", ""},
		{"DELETE", "/api/v1/invitations/" + tok, ""},
		{"POST", "/api/v1/invitations", `{"campaign":"ligestilling","name":"\u202e"}`},
	} {
		f.Add(seed.method, seed.path, seed.body)
	}
	methods := map[string]bool{"GET": true, "HEAD": true, "POST": true, "DELETE": true}
	f.Fuzz(func(t *testing.T, method, path, body string) {
		if !methods[method] || !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#?") || len(path) > 4096 {
			return
		}
		if _, err := url.ParseRequestURI(path); err != nil {
			return // net/http refuses such a request line before any handler
		}
		r := httptest.NewRequest(method, "http://x"+path, strings.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+testAdmin)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if strings.HasPrefix(path, "/api/") {
			r.Header.Set("Content-Type", "application/json")
		}
		w := httptest.NewRecorder()
		fx.e.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != 503 {
			t.Fatalf("%s %s (%q) → %d %s", method, path, body, w.Code, w.Body.String())
		}
		if w.Code >= 400 && method != "HEAD" && !strings.HasPrefix(w.Body.String(), `{"error":`) && w.Code != 422 {
			t.Fatalf("%s %s → %d with a non-JSON error: %.200s", method, path, w.Code, w.Body.String())
		}
	})
}
