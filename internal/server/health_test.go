package server

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

func appOf(t *testing.T, f *fixture) *app {
	t.Helper()
	// The error handler is a method value of the app: recover it from there.
	if f.app != nil {
		return f.app
	}
	t.Fatal("fixture without app")
	return nil
}

func TestHealth(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "GET", path: "/healthz"})
	wantStatus(t, w, 200)
	w = f.do(req{method: "GET", path: "/readyz"})
	wantStatus(t, w, 200)
	var r readiness
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if r.Status != "ok" || r.Redis != "disabled" || len(r.Campaigns) != 2 || r.Campaigns[1] != "ligestilling" {
		t.Errorf("readyz %+v", r)
	}
}

func TestMetrics(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	f.do(req{method: "GET", path: "/i/" + tok})
	f.do(req{method: "GET", path: "/i/" + tok + "/og.jpg"})
	f.do(req{method: "GET", path: "/i/garbage"})
	f.do(req{method: "GET", path: "/nope/" + tok})
	f.do(req{method: "BREW", path: "/i/" + tok})
	w := httptest.NewRecorder()
	MetricsHandler(f.app.registry).ServeHTTP(w, httptest.NewRequest("GET", "/metrics", nil))
	wantStatus(t, w, 200)
	m := w.Body.String()
	for _, want := range []string{
		`sharecard_http_requests_total{method="GET",route="/i/:token",status="200"} 1`,
		`sharecard_http_requests_total{method="GET",route="/i/:token",status="404"} 1`,
		`sharecard_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`sharecard_render_seconds_count{format="jpg",variant="og"} 1`,
		`sharecard_renders_in_flight 0`,
	} {
		if !strings.Contains(m, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	if strings.Contains(m, "BREW") {
		t.Error("an invented method became a label value")
	}
	// Not on the public port: the numbers include campaign totals.
	wantStatus(t, f.do(req{method: "GET", path: "/metrics"}), 404)
	if strings.Contains(m, tok) {
		t.Error("a token appears in a metric label")
	}
}

func TestPanicIsA500WithoutStack(t *testing.T) {
	f := newFixture(t)
	f.e.GET("/boom", func(echo.Context) error { panic("secret detail") })
	w := f.do(req{method: "GET", path: "/boom"})
	wantError(t, w, 500, "internal error")
	if strings.Contains(w.Body.String(), "secret detail") {
		t.Error("the panic message reached the client")
	}
}

func TestHomeRedirectsToTheCampaign(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "GET", path: "/"})
	if w.Code != 302 || w.Header().Get("Location") != "/c/ligestilling" {
		t.Errorf("%d %q", w.Code, w.Header().Get("Location"))
	}
}
