package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/teststats"
)

// TestDashboardIsMounted checks the admin routes reach the dashboard with
// the right guard: the pages behind the session, the stats JSON behind the
// bearer token.
func TestDashboardIsMounted(t *testing.T) {
	f := newDashboardFixture(t)

	login := f.do(req{method: "GET", path: "/admin/login"})
	wantStatus(t, login, 200)
	if !strings.Contains(login.Header().Get("Content-Type"), "text/html") {
		t.Errorf("login form type %q", login.Header().Get("Content-Type"))
	}
	page := f.do(req{method: "GET", path: "/admin/campaigns/ligestilling"})
	if page.Code == 200 {
		t.Error("the dashboard page answered without a session")
	}
	wantError(t, f.do(req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats"}), 401, "admin token")
	w := f.do(req{method: "GET", path: "/api/v1/campaigns/ligestilling/stats", header: admin()})
	wantStatus(t, w, 200)
	if !strings.HasPrefix(w.Header().Get("Content-Type"), "application/json") {
		t.Errorf("stats type %q", w.Header().Get("Content-Type"))
	}
}

// newDashboardFixture is the service with the dashboard mounted, as
// serve.go builds it.
func newDashboardFixture(t *testing.T) *fixture {
	t.Helper()
	rec := stats.NewRecorder(stats.Options{})
	t.Cleanup(func() { rec.Close(context.Background()) })
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	e, _ := build(t, parts{cfg: testConfig(), signer: signer, cache: cache.New(cache.Options{MemoryBytes: 1 << 20}), stats: rec,
		dash: dashboard.New(dashboard.Deps{Stats: rec, Campaigns: demoCampaigns(t), AdminToken: testAdmin})})
	f := &fixture{t: t, e: e, signer: signer, events: &teststats.Events{}}
	return f
}

// TestMalformedFormsAre400: a form body that cannot be parsed is the
// client's mistake; every form endpoint says so with a 400, never a 500.
func TestMalformedFormsAre400(t *testing.T) {
	f := newDashboardFixture(t)
	urlencoded := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for _, tc := range []struct {
		name, path, body string
		header           map[string]string
	}{
		{"self-service, a bad percent-escape", "/c/ligestilling", "name=%3Cscript%TE", urlencoded},
		{"self-service, a semicolon", "/c/ligestilling", "name=Lars;title=x", urlencoded},
		{"self-service, a broken multipart body", "/c/ligestilling", "no boundary here", map[string]string{"Content-Type": "multipart/form-data; boundary=xyz"}},
		{"login", "/admin/login", "token=%zz", urlencoded},
		{"logout", "/admin/logout", "csrf=%", urlencoded},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, f.do(req{method: "POST", path: tc.path, body: tc.body, header: tc.header}), http.StatusBadRequest, "the form could not be read")
		})
	}
}
