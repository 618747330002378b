package server

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/testbrowser"
)

// TestErrorPagesOnAPhone opens each error page in Chromium at 390×844:
// the page is HTML with the campaign's stylesheet applied (its background
// colour), the way forward is visible, and nothing scrolls sideways.
func TestErrorPagesOnAPhone(t *testing.T) {
	f := newFixture(t)
	lars := f.token(invitation("Lars Hansen"))
	gone := f.token(invitation("Tove Ditlevsen"))
	if _, err := f.app.share.Revoke(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	f.e.GET("/slow-down", func(c echo.Context) error {
		c.Response().Header().Set("Retry-After", "20")
		return echo.NewHTTPError(http.StatusTooManyRequests, "too many")
	})
	srv := httptest.NewServer(f.e)
	t.Cleanup(srv.Close)
	ctx := testbrowser.New(t, 390, 844, 60*time.Second)
	for _, p := range []struct{ name, path, heading string }{
		{"a truncated link", "/i/" + lars[:40], "Linket virker ikke"},
		{"a revoked invitation", "/i/" + gone, "Invitationen er trukket tilbage"},
		{"an unknown campaign", "/c/nope", "Siden findes ikke"},
		{"too many requests", "/slow-down", "Et øjeblik"},
	} {
		t.Run(p.name, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p.path)); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]any](`({
				heading: document.querySelector("h1").textContent,
				scroll: document.documentElement.scrollWidth,
				width: window.innerWidth,
				background: getComputedStyle(document.body).backgroundColor,
				action: document.querySelector("a.btn.primary").getBoundingClientRect().right,
			})`))
			if err != nil {
				t.Fatal(err)
			}
			if got["heading"] != p.heading {
				t.Errorf("heading %q, want %q", got["heading"], p.heading)
			}
			if got["scroll"].(float64) > got["width"].(float64) || got["action"].(float64) > got["width"].(float64) {
				t.Errorf("the page scrolls sideways: %v", got)
			}
			// ligestilling's ink, #0b1322: the campaign's stylesheet loaded.
			if bg, _ := got["background"].(string); !strings.Contains(bg, "11, 19, 34") {
				t.Errorf("background %v: the campaign's stylesheet did not apply", got["background"])
			}
		})
	}
}
