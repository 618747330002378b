package server

import (
	"net/http"
	"strings"
	"testing"
)

// TestEveryGETAnswersHEAD: HEAD works wherever GET does, as HTTP asks and
// as link checkers and `curl -I` expect.
func TestEveryGETAnswersHEAD(t *testing.T) {
	f := newDashboardFixture(t)
	gets, heads := map[string]bool{}, map[string]bool{}
	for _, r := range f.e.Routes() {
		switch r.Method {
		case http.MethodGet:
			gets[r.Path] = true
		case http.MethodHead:
			heads[r.Path] = true
		}
	}
	if len(gets) < 10 {
		t.Fatalf("only %d GET routes: is the dashboard mounted?", len(gets))
	}
	tok := f.token(invitation("Lars Hansen"))
	for path := range gets {
		if !heads[path] {
			t.Errorf("GET %s has no HEAD", path)
			continue
		}
		// And a real HEAD request is not refused.
		p := strings.NewReplacer(":token", tok, ":file", "og.jpg", ":campaign", "ligestilling", ":id", "ligestilling").Replace(path)
		w := f.do(req{method: "HEAD", path: p, header: admin()})
		if w.Code == http.StatusMethodNotAllowed || w.Code >= 500 {
			t.Errorf("HEAD %s: %d", p, w.Code)
		}
	}
}
