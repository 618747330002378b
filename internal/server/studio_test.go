package server

import (
	"net/http"
	"strings"
	"testing"
)

// The studio is mounted behind the dashboard's login, its script and
// sheet are served from this site.
func TestStudioRoutes(t *testing.T) {
	srv, _ := studioServer(t)
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, tc := range []struct {
		name, method, path string
		status             int
		header, want       string
	}{
		{"the studio without a session goes to the login", http.MethodGet, "/admin/studio/ligestilling", http.StatusSeeOther, "Location", "/admin/login?next=%2Fadmin%2Fstudio%2Fligestilling"},
		{"the list without a session goes to the login", http.MethodGet, "/admin/studio", http.StatusSeeOther, "Location", "/admin/login?next=%2Fadmin%2Fstudio"},
		{"a preview without a session is refused", http.MethodPost, "/admin/studio/ligestilling/preview", http.StatusUnauthorized, "", ""},
		{"a publish without a session is refused", http.MethodPost, "/admin/studio/ligestilling/publish", http.StatusUnauthorized, "", ""},
		{"a published card without a session goes to the login", http.MethodGet, "/admin/studio/ligestilling/card/og?name=Bo", http.StatusSeeOther, "", ""},
		{"the script is served from this site", http.MethodGet, "/admin/static/studio.js", http.StatusOK, "Content-Type", "text/javascript"},
		{"the sheet is served from this site", http.MethodGet, "/admin/static/studio.css", http.StatusOK, "Content-Type", "text/css"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, strings.NewReader("csrf=x"))
			if tc.method == http.MethodPost {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			if tc.header != "" && !strings.HasPrefix(res.Header.Get(tc.header), tc.want) {
				t.Errorf("%s %q, want %q", tc.header, res.Header.Get(tc.header), tc.want)
			}
		})
	}
}
