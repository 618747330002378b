package server

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/testbrowser"
)

// TestPagesPassAxe runs axe-core in Chromium on every page an invitee or a
// visitor sees (the invitation, the campaign page with its form, and the
// error pages) at a phone's and a laptop's size: no violations, and
// nothing scrolls sideways.
func TestPagesPassAxe(t *testing.T) {
	f := newFixture(t)
	lars := f.token(invitation("Lars Hansen"))
	arabic := f.token(invitation("محمد علي"))
	gone := f.token(invitation("Tove Ditlevsen"))
	if _, err := f.app.share.Revoke(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(f.e)
	t.Cleanup(srv.Close)
	pages := []struct{ name, path string }{
		{"the invitation", "/i/" + lars},
		{"an invitation in Arabic", "/i/" + arabic},
		{"the campaign page", "/c/ligestilling"},
		{"a truncated link", "/i/" + lars[:40]},
		{"a revoked invitation", "/i/" + gone},
		{"an unknown campaign", "/c/nope"},
	}
	for _, size := range [][2]int{{390, 844}, {1366, 900}} {
		ctx := testbrowser.New(t, size[0], size[1], 90*time.Second)
		for _, p := range pages {
			t.Run(fmt.Sprintf("%s at %dx%d", p.name, size[0], size[1]), func(t *testing.T) {
				if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p.path), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
					t.Fatal(err)
				}
				if v := testbrowser.Axe(t, ctx); len(v) > 0 {
					t.Errorf("axe-core finds %d violations:\n%s", len(v), strings.Join(v, "\n"))
				}
				wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
				if err != nil || wide {
					t.Errorf("the page scrolls sideways (%v)", err)
				}
			})
		}
	}
}
