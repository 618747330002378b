package server

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/report"
	"github.com/sharecard/sharecard/internal/testbrowser"
)

// TestTakedownPagesPassAxe runs axe-core in Chromium on the report form
// (empty, and sent back with a problem), its thank-you page and the
// privacy page, in Danish and English, at a phone's and a laptop's size:
// no violations, and nothing scrolls sideways. The form is sent the way a
// person sends it, by clicking, without script.
func TestTakedownPagesPassAxe(t *testing.T) {
	f := newTakedownFixture(t, report.NewMemory())
	da := f.token(invitation("Lars Hansen"))
	en := f.token(invite.Invitation{Campaign: "equality-2061", Name: "Anne Smith", Title: "Chair", Org: "Acme"})
	srv := httptest.NewServer(f.e)
	t.Cleanup(srv.Close)
	type step struct {
		name string
		do   []chromedp.Action[chromedp.Void]
		h1   string
	}
	open := func(path string) []chromedp.Action[chromedp.Void] {
		return []chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + path), chromedp.WaitReady(chromedp.CSS("body"))}
	}
	// send fills the form and clicks its button, then waits for what
	// only the answer has: the problem's message, or the thank-you page's
	// way back.
	send := func(path, contact, answer string) []chromedp.Action[chromedp.Void] {
		return append(open(path),
			chromedp.Click(chromedp.CSS(`input[value="about-me"]`)),
			chromedp.SendKeys(chromedp.ID("detail"), "Det er mig."),
			chromedp.SendKeys(chromedp.ID("contact"), contact),
			chromedp.Click(chromedp.CSS(`button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS(answer)),
		)
	}
	const problem, thanks = "#form-error", ".actions a.btn"
	steps := []step{
		{"the Danish report form", open("/i/" + da + "/report"), "Rapportér eller fjern dette kort"},
		{"the Danish form sent back with a problem", send("/i/"+da+"/report", "ikke en adresse", problem), "Rapportér eller fjern dette kort"},
		{"the Danish thank-you page", send("/i/"+da+"/report", "lars@example.dk", thanks), "Tak for din rapport"},
		{"the Danish privacy page", open("/c/ligestilling/privacy"), "Privatliv og cookies"},
		{"the English report form", open("/i/" + en + "/report?lang=en"), "Report or remove this card"},
		{"the English thank-you page", send("/i/"+en+"/report?lang=en", "+44 20 7946 0000", thanks), "Thank you for your report"},
		{"the English privacy page", open("/c/equality-2061/privacy?lang=en"), "Privacy and cookies"},
	}
	for _, size := range [][2]int{{390, 844}, {1366, 900}} {
		ctx := testbrowser.New(t, size[0], size[1], 120*time.Second)
		for _, s := range steps {
			t.Run(fmt.Sprintf("%s at %dx%d", s.name, size[0], size[1]), func(t *testing.T) {
				if err := chromedp.Do(ctx, s.do...); err != nil {
					t.Fatal(err)
				}
				h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("h1")))
				if err != nil || h1 != s.h1 {
					t.Errorf("heading %q (%v), want %q", h1, err, s.h1)
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
	if rs, _ := f.app.reports.List(t.Context(), "ligestilling"); len(rs) != 2 {
		t.Errorf("the Danish forms stored %d reports, want 2 (one per size)", len(rs))
	}
}
