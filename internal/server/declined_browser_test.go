package server

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/testbrowser"
)

// TestTheDeclineInABrowser walks the decline as an invitee does, on a
// phone and a laptop, in both campaigns: open the invitation, decline,
// be thanked with the card to share, go back and find the invitation
// declined; and opens a shared confirmation as anyone else. axe-core finds
// nothing on any of those pages, and none scrolls sideways.
func TestTheDeclineInABrowser(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.e)
	t.Cleanup(srv.Close)
	tests := []struct {
		campaign, lang, thanks, state, visitor string
	}{
		{"ligestilling", "da", "Tak, fordi du takkede nej", "Du har takket nej – tak", "har takket nej til festen i 2061"},
		{"equality-2061", "en", "Thank you for declining", "You declined – thank you", "has declined the party in 2061"},
	}
	for _, size := range [][2]int{{390, 844}, {1366, 900}} {
		ctx := testbrowser.New(t, size[0], size[1], 120*time.Second)
		// The browser starts on ctx itself: a step's shorter context,
		// cancelled, would close it.
		if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
			t.Fatal(err)
		}
		for _, tt := range tests {
			lars := f.token(invite.Invitation{Campaign: tt.campaign, Name: "Lars Hansen", Title: "Adm. direktør"})
			shared := f.token(invite.Invitation{Campaign: tt.campaign, Name: "Maximiliane Charlotte Østergaard-Rasmussen von Holstein"})
			lq := "?lang=" + tt.lang
			t.Run(fmt.Sprintf("%s at %dx%d", tt.campaign, size[0], size[1]), func(t *testing.T) {
				for _, step := range []struct {
					name  string
					a     chromedp.Action[chromedp.Void]
					sees  string // a text on the page
					mark  string // an element only the page it leads to has
					where string // the path the browser ends on
				}{
					{"open the invitation", chromedp.Navigate(srv.URL + "/i/" + lars + lq), "", `form[action*="/decline?lang="]`, "/i/" + lars + lq},
					{"decline", chromedp.Submit(chromedp.CSS(`form[action*="/decline?lang="] button`)), tt.thanks, ".declined-card .downloads", "/i/" + lars + "/declined" + lq},
					{"go back to the invitation", chromedp.Navigate(srv.URL + "/i/" + lars + lq), tt.state, "p.state", "/i/" + lars + lq},
					{"open someone's shared confirmation", chromedp.Navigate(srv.URL + "/i/" + shared + "/declined" + lq), tt.visitor, `.next a[href^="/c/"]`, "/i/" + shared + "/declined" + lq},
				} {
					testbrowser.Step(t, ctx, 20*time.Second, step.name, step.a, chromedp.WaitVisible(chromedp.CSS(step.mark)))
					loc, _ := chromedp.Run(ctx, chromedp.Location())
					if !strings.HasSuffix(loc, step.where) {
						t.Errorf("%s: at %s, want %s", step.name, loc, step.where)
					}
					body, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
					if err != nil || !strings.Contains(body, step.sees) {
						t.Errorf("%s: the page does not say %q (%v):\n%.600s", step.name, step.sees, err, body)
					}
					if v := testbrowser.Axe(t, ctx); len(v) > 0 {
						t.Errorf("%s: axe-core finds %d violations:\n%s", step.name, len(v), strings.Join(v, "\n"))
					}
					wide, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
					if err != nil || wide {
						t.Errorf("%s: the page scrolls sideways (%v)", step.name, err)
					}
					// Every image on the page has loaded (the card at its own
					// address, the portrait one on a phone).
					// A card is rendered on its first request (seconds under
					// the race detector): wait for the images to settle,
					// then count the ones that failed.
					for settle := time.Now().Add(testbrowser.Patience(20 * time.Second)); ; time.Sleep(100 * time.Millisecond) {
						loading, lerr := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.images].filter(i => !i.complete).length`))
						if lerr != nil || loading == 0 || time.Now().After(settle) {
							break
						}
					}
					broken, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.images].filter(i => !i.complete || i.naturalWidth === 0).length`))
					if err != nil || broken > 0 {
						t.Errorf("%s: %d images did not load (%v)", step.name, broken, err)
					}
				}
			})
		}
	}
}
