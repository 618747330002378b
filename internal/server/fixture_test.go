package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testcampaign"
	"github.com/sharecard/sharecard/internal/teststats"
)

const testAdmin = "test-admin-token-0123456789"

// demoCampaigns are the shipped campaigns, loaded once.
func demoCampaigns(t testing.TB) *campaign.Set { return testcampaign.Set(t) }

type fixture struct {
	t      testing.TB
	e      *echo.Echo
	app    *app
	signer *invite.Signer
	events *teststats.Events
}

func testConfig() config.Config {
	return config.Config{
		Env: "development", Addr: ":8080", BaseURL: "https://invitation.example.dk",
		AdminToken: testAdmin, JPEGQuality: 80, RenderConcurrency: 2, RenderQueue: 8,
		SelfServiceRate: 3, RequestTimeout: 10_000_000_000, RedisTimeout: 100_000_000,
	}
}

func newFixture(t testing.TB, mod ...func(*config.Config)) *fixture {
	t.Helper()
	cfg := testConfig()
	for _, m := range mod {
		m(&cfg)
	}
	signer, err := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	ev := &teststats.Events{}
	e, a := build(t, parts{cfg: cfg, signer: signer, cache: cache.New(cache.Options{MemoryBytes: 64 << 20}), stats: ev})
	return &fixture{t: t, e: e, app: a, signer: signer, events: ev}
}

// newFixtureWith is newFixture over other campaigns than the shipped
// ones (see testcampaign.Edited).
func newFixtureWith(t testing.TB, set *campaign.Set) *fixture {
	t.Helper()
	signer, err := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	ev := &teststats.Events{}
	e, a := build(t, parts{cfg: testConfig(), signer: signer, cache: cache.New(cache.Options{MemoryBytes: 64 << 20}), stats: ev, campaigns: set})
	return &fixture{t: t, e: e, app: a, signer: signer, events: ev}
}

// parts are what a test service is built from, as serve.go builds it.
type parts struct {
	cfg     config.Config
	signer  *invite.Signer
	cache   *cache.Tiered
	stats   stats.Recorder
	revoked revoke.List // nil: in memory
	redis   redis.UniversalClient
	dash    *dashboard.Handlers
	// campaigns are the shipped ones unless set.
	campaigns *campaign.Set
}

func build(t testing.TB, p parts) (*echo.Echo, *app) {
	t.Helper()
	reg := prometheus.NewRegistry()
	campaigns := p.campaigns
	if campaigns == nil {
		campaigns = demoCampaigns(t)
	}
	core, err := share.New(share.Deps{
		Campaigns: campaigns, Signer: p.signer, Cache: p.cache, Revoked: p.revoked, Stats: p.stats,
		BaseURL: p.cfg.BaseURL, Encode: card.EncodeOptions{JPEGQuality: p.cfg.JPEGQuality},
		RenderConcurrency: p.cfg.RenderConcurrency, RenderQueue: p.cfg.RenderQueue, MissTimeout: p.cfg.RequestTimeout,
		Registry: reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	e, a, err := newApp(Deps{Config: p.cfg, Share: core, Cache: p.cache, Stats: p.stats, Redis: p.redis,
		Dashboard: p.dash, Registry: reg, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	return e, a
}

// token signs inv without validation, as an attacker with the key could.
func (f *fixture) token(inv invite.Invitation) string {
	f.t.Helper()
	if inv.Campaign == "" {
		inv.Campaign = "ligestilling"
	}
	tok, err := f.signer.Encode(inv)
	if err != nil {
		f.t.Fatal(err)
	}
	return tok
}

type req struct {
	method, path, body string
	header             map[string]string
}

func (f *fixture) do(r req) *httptest.ResponseRecorder {
	f.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr := httptest.NewRequest(r.method, r.path, body)
	hr.RemoteAddr = "192.0.2.10:4000"
	hr.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")
	for k, v := range r.header {
		hr.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	f.e.ServeHTTP(w, hr)
	return w
}

func admin(extra ...string) map[string]string {
	h := map[string]string{"Authorization": "Bearer " + testAdmin, "Content-Type": "application/json"}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

func wantStatus(t *testing.T, w *httptest.ResponseRecorder, code int) {
	t.Helper()
	if w.Code != code {
		t.Fatalf("status %d, want %d; body: %.300s", w.Code, code, w.Body.String())
	}
}

// wantError checks a JSON error answer.
func wantError(t *testing.T, w *httptest.ResponseRecorder, code int, contains string) {
	t.Helper()
	wantStatus(t, w, code)
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q, want JSON", ct)
	}
	body := w.Body.String()
	if !strings.HasPrefix(body, `{"error":`) || !strings.Contains(body, contains) {
		t.Errorf("error body %q, want {\"error\": ...} containing %q", body, contains)
	}
	if strings.Contains(body, "goroutine") || strings.Contains(body, ".go:") {
		t.Errorf("error body leaks internals: %s", body)
	}
}

var _ http.Handler = (*echo.Echo)(nil)
