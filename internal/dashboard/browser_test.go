package dashboard

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/report"
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
		testbrowser.Step(t, ctx, 10*time.Second, step.name, step.a)
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
	top := text("#invitationer")
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

// TestTheDashboardStaysPut: the numbers update in place; what the
// manager is typing, and where the cursor is, survive the update, and at
// a phone's width nothing scrolls sideways.
func TestTheDashboardStaysPut(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	// Both built-in campaigns, each in its own colours; the second has no
	// numbers of its own in the seed, so its empty page is checked too.
	for _, tc := range []struct {
		campaign string
		size     [2]int
	}{
		{"ligestilling", [2]int{1366, 900}}, {"ligestilling", [2]int{390, 844}},
		{"equality-2061", [2]int{1366, 900}}, {"equality-2061", [2]int{390, 844}},
	} {
		size := tc.size
		t.Run(fmt.Sprintf("%s/%dx%d", tc.campaign, size[0], size[1]), func(t *testing.T) {
			ctx := testbrowser.New(t, size[0], size[1], 30*time.Second)
			count := chromedp.CSS(`input[name="count"]`)
			if err := chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/admin/campaigns/"+tc.campaign),
				chromedp.WaitVisible(chromedp.ID("token")),
				chromedp.SendKeys(chromedp.ID("token"), adminToken),
				chromedp.Submit(chromedp.ID("token")),
				chromedp.WaitVisible(chromedp.ID("campaign-title")),
				chromedp.SendKeys(count, "12.345"),
				chromedp.Focus(count),
			); err != nil {
				t.Fatal(err)
			}
			eval := func(js string, await bool) any {
				t.Helper()
				var opts []chromedp.EvaluateOption
				if await {
					opts = append(opts, chromedp.EvalAwaitPromise)
				}
				v, err := chromedp.Run(ctx, chromedp.Evaluate[any](js, opts...))
				if err != nil {
					t.Fatalf("%s: %v", js, err)
				}
				return v
			}
			// Mark the old numbers, ask for an update and wait for it.
			eval(`document.querySelector("#live .cards").dataset.old = "1"`, false)
			updated := eval(`new Promise(done => {
				document.addEventListener("sharecard:updated", () => done("yes"), {once: true});
				document.dispatchEvent(new Event("sharecard:update"));
			})`, true)
			if updated != "yes" || eval(`!!document.querySelector("#live .cards[data-old]")`, false) != false {
				t.Errorf("the numbers were not replaced in place")
			}
			value, err := chromedp.Run(ctx, chromedp.Value(count))
			if err != nil {
				t.Fatal(err)
			}
			if focused := eval(`document.activeElement && document.activeElement.name || ""`, false); value != "12.345" || focused != "count" {
				t.Errorf("after the update the field holds %q and the focus is on %q; want 12.345 and count", value, focused)
			}
			if eval(`document.documentElement.scrollWidth > document.documentElement.clientWidth`, false) != false {
				t.Error("the page scrolls sideways")
			}
			if cards, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#live .cards"))); err != nil || tc.campaign == "ligestilling" && !strings.Contains(cards, "1.234") {
				t.Errorf("the updated numbers: %q, %v", cards, err)
			}
			// The band is drawn in the campaign's background colour.
			want := map[string]string{"ligestilling": "rgb(11, 19, 34)", "equality-2061": "rgb(11, 19, 34)"}[tc.campaign]
			if band := eval(`getComputedStyle(document.querySelector("header.top")).backgroundColor`, false); band != want {
				t.Errorf("the header band is %v, want the campaign's %s", band, want)
			}
			if v := testbrowser.Axe(t, ctx); len(v) > 0 {
				t.Errorf("axe-core finds %d violations:\n%s", len(v), strings.Join(v, "\n"))
			}
		})
	}
}

// TestThePagedTableInABrowser: the per-invitation table with its page
// links, on a middle page, neither scrolls the page sideways at a phone's
// width nor gives axe-core anything to report.
func TestThePagedTableInABrowser(t *testing.T) {
	srv := newServer(t, Deps{Stats: manyInvitations(t, 120)})
	for _, size := range [][2]int{{1366, 900}, {390, 844}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			ctx := testbrowser.New(t, size[0], size[1], 30*time.Second)
			if err := chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/admin/campaigns/ligestilling?range=7d&page=2"),
				chromedp.WaitVisible(chromedp.ID("token")),
				chromedp.SendKeys(chromedp.ID("token"), adminToken),
				chromedp.Submit(chromedp.ID("token")),
				chromedp.WaitVisible(chromedp.CSS("nav.pager")),
			); err != nil {
				t.Fatal(err)
			}
			pager, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("nav.pager")))
			if err != nil || !strings.Contains(pager, "side 2 af 3") {
				t.Errorf("the pager says %q (%v)", pager, err)
			}
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
			if err != nil || wide {
				t.Errorf("the page scrolls sideways (%v)", err)
			}
			if v := testbrowser.Axe(t, ctx); len(v) > 0 {
				t.Errorf("axe-core finds %d violations:\n%s", len(v), strings.Join(v, "\n"))
			}
		})
	}
}

// TestTheDashboardWithReportsPassesAxe: the reports' list, with open and
// handled reports and its buttons, stays axe-clean and fits a phone. Set
// REPORTS_SCREENSHOT=file.png to keep the section's picture at each size.
func TestTheDashboardWithReportsPassesAxe(t *testing.T) {
	store, seededReports := seedReports(t)
	if _, err := store.Handle(context.Background(), "ligestilling", seededReports["anne-other"].ID, report.Dismissed, seedNow()); err != nil {
		t.Fatal(err)
	}
	srv := newServer(t, Deps{Stats: seeded(t), Reports: store, Revoker: &fakeRevoker{}})
	for _, size := range [][2]int{{390, 844}, {1366, 900}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			ctx := testbrowser.New(t, size[0], size[1], 30*time.Second)
			if err := chromedp.Do(ctx,
				chromedp.Navigate(srv.URL+"/admin/campaigns/ligestilling?reports=revoked"),
				chromedp.WaitVisible(chromedp.ID("token")),
				chromedp.SendKeys(chromedp.ID("token"), adminToken),
				chromedp.Submit(chromedp.ID("token")),
				chromedp.WaitVisible(chromedp.CSS("#rapporter .report")),
			); err != nil {
				t.Fatal(err)
			}
			text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#rapporter")))
			if err != nil || !strings.Contains(text, "Linket er trukket tilbage.") || !strings.Contains(text, "Handler om mig") {
				t.Errorf("the reports' section: %q, %v", text, err)
			}
			if p := os.Getenv("REPORTS_SCREENSHOT"); p != "" {
				shot, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("rapporter")))
				if err == nil {
					err = os.WriteFile(fmt.Sprintf("%s-%d.png", strings.TrimSuffix(p, ".png"), size[0]), shot, 0o644)
				}
				if err != nil {
					t.Error(err)
				}
			}
			if v := testbrowser.Axe(t, ctx); len(v) > 0 {
				t.Errorf("axe-core finds %d violations:\n%s", len(v), strings.Join(v, "\n"))
			}
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > document.documentElement.clientWidth`))
			if err != nil || wide {
				t.Errorf("the page scrolls sideways (%v)", err)
			}
		})
	}
}
