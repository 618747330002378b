package dashboard

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testbrowser"
)

// TestTheDashboardInABrowser logs in with headless Chromium, loads the
// dashboard on a seeded run and checks the numbers it shows and that the
// browser reported no error (a blocked style or a failed load would be
// one). Set DASHBOARD_SCREENSHOT=file.png to keep a screenshot.
func TestTheDashboardInABrowser(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})

	ctx := testbrowser.New(t, 1280, 1000, 30*time.Second)

	// Subscribe before the first page so no message is missed; the
	// queue is read after the run.
	cctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	messages := chromedp.Console(cctx)
	for _, step := range []struct {
		name string
		a    chromedp.Action[chromedp.Void]
	}{
		{"open the dashboard", chromedp.Navigate(srv.URL + "/admin/campaigns/ligestilling")},
		{"see the login form", chromedp.WaitVisible(chromedp.ID("token"))},
		{"type the token", chromedp.SendKeys(chromedp.ID("token"), adminToken)},
		{"submit", chromedp.Submit(chromedp.ID("token"))},
		{"see the dashboard", chromedp.WaitVisible(chromedp.ID("campaign-title"))},
	} {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := chromedp.Do(sctx, step.a)
		cancel()
		if err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			html, _ := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("body")))
			t.Fatalf("browser: %s (at %s): %v\n%.2000s", step.name, loc, err, html)
		}
	}
	text := func(sel string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return v
	}
	title := text("#campaign-title")
	cards := text(".cards")
	platforms := text("#platforms")
	entered := text("#indtast")
	top := text("#top")
	svgs, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSSAll("svg.chart")))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if p := os.Getenv("DASHBOARD_SCREENSHOT"); p != "" {
		if err := os.WriteFile(p, shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if title == "" {
		t.Error("no campaign title")
	}
	for _, want := range []string{"877.209", "25", "1.234", "87", "61", "3.085,0", "2 min 30 s", "INDTASTET"} {
		if !strings.Contains(strings.ToUpper(cards), strings.ToUpper(want)) {
			t.Errorf("headline numbers lack %q:\n%s", want, cards)
		}
	}
	if u := seedUniques(); !strings.Contains(cards, num(u)) {
		t.Errorf("headline numbers lack %d unique visitors:\n%s", u, cards)
	}
	if !strings.Contains(platforms, "LinkedIn") || !strings.Contains(platforms, "877.209") {
		t.Errorf("platform split lacks LinkedIn with its entered impressions:\n%s", platforms)
	}
	if !strings.Contains(entered, "877.209") {
		t.Errorf("entered impressions table lacks 877.209:\n%s", entered)
	}
	if !strings.Contains(top, stats.InvitationID("tok0")) {
		t.Errorf("top invitations lack tok0's id:\n%s", top)
	}
	if len(svgs) < 3 {
		t.Errorf("%d charts drawn, want funnel, platforms and time series", len(svgs))
	}
	// Everything the browser said: console calls, exceptions and its own
	// log (a blocked style, a failed request).
	problems := testbrowser.Problems(t, ctx, messages)
	if len(problems) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(problems, "\n"))
	}
}
