package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestSecurityHeaders checks the headers each kind of response carries:
// documents (pages, JSON, errors) the full set, images the ones that
// apply to an image plus the cross-origin permission platforms need.
func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	document := map[string]string{
		"X-Content-Type-Options":  "nosniff",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "strict-origin-when-cross-origin",
		"Permissions-Policy":      "camera=()",
		"Content-Security-Policy": "frame-ancestors 'none'",
	}
	image := map[string]string{
		"X-Content-Type-Options":       "nosniff",
		"Content-Security-Policy":      "default-src 'none'",
		"Cross-Origin-Resource-Policy": "cross-origin",
		"X-Frame-Options":              "",
		"Referrer-Policy":              "",
		"Permissions-Policy":           "",
	}
	for _, tc := range []struct {
		name string
		r    req
		code int
		want map[string]string
	}{
		{"invitation page", req{method: "GET", path: "/i/" + tok}, 200, document},
		{"JSON API", req{method: "POST", path: "/api/v1/invitations", body: `{"campaign":"ligestilling","name":"Åse Holm"}`, header: admin()}, 201, document},
		{"an error", req{method: "GET", path: "/i/garbage"}, 404, document},
		{"an unknown route", req{method: "GET", path: "/nowhere"}, 404, document},
		{"image", req{method: "GET", path: "/i/" + tok + "/og.jpg"}, 200, image},
		{"image download", req{method: "GET", path: "/i/" + tok + "/download/story.png"}, 200, image},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do(tc.r)
			wantStatus(t, w, tc.code)
			for k, v := range tc.want {
				got, sent := w.Header()[http.CanonicalHeaderKey(k)]
				switch {
				case v == "" && sent:
					t.Errorf("%s: %q, want none", k, got)
				case v != "" && (len(got) != 1 || !strings.Contains(got[0], v)):
					t.Errorf("%s: %q, want one value containing %q", k, got, v)
				}
			}
		})
	}
}
