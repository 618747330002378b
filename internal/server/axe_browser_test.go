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
// error pages) at a phone's and a laptop's size, in Danish and English:
// no violations, nothing scrolls sideways, and the card shown is the
// portrait on the phone and the link preview on the laptop.
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
		{"the English campaign's page", "/c/equality-2061"},
		{"a truncated link", "/i/" + lars[:40]},
		{"a revoked invitation", "/i/" + gone},
		{"an unknown campaign", "/c/nope"},
	}
	for _, size := range [][2]int{{390, 844}, {1366, 900}} {
		ctx := testbrowser.New(t, size[0], size[1], 90*time.Second)
		for _, p := range pages {
			for _, lang := range []string{"da", "en"} {
				t.Run(fmt.Sprintf("%s in %s at %dx%d", p.name, lang, size[0], size[1]), func(t *testing.T) {
					if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+p.path+"?lang="+lang), chromedp.WaitReady(chromedp.CSS("body"))); err != nil {
						t.Fatal(err)
					}
					if got, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`)); got != lang {
						t.Errorf("<html lang=%q>, want %s", got, lang)
					}
					// The page is set in the card's fonts once its first frame is
					// painted.
					fonts, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(async () => {
					for (let i = 0; i < 50 && !document.documentElement.classList.contains('card-fonts'); i++) await new Promise(r => setTimeout(r, 20));
					await document.fonts.ready;
					const h1 = getComputedStyle(document.querySelector('h1')).fontFamily;
					return /^"?card-heading/.test(h1) && document.fonts.check('1em "card-heading"') && document.fonts.check('1em "card-body"') && [...document.fonts].filter(f => f.status === 'loaded').length >= 2;
				})()`, chromedp.EvalAwaitPromise))
					if err != nil || !fonts {
						t.Errorf("the card's fonts are not in use (%v)", err)
					}
					// The picture's choice, once the image has loaded.
					card, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(async () => {
					const i = document.querySelector('.card img');
					if (!i) return [];
					if (!i.complete) await new Promise(r => { i.onload = r; i.onerror = r; });
					return [i.naturalWidth, i.naturalHeight, i.getBoundingClientRect().width, window.innerWidth];
				})()`, chromedp.EvalAwaitPromise))
					if err != nil {
						t.Fatal(err)
					}
					if len(card) == 3 {
						want := 1200
						if size[0] <= 640 {
							want = 1080
						}
						if card[0] != want || card[2] > size[0] {
							t.Errorf("card %dx%d shown %d px wide in a %d px window, want the %d px wide card", card[0], card[1], card[2], card[3], want)
						}
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
}
