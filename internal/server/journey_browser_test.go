package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/testbrowser"
)

// journeyWords are what the pages of one language say along the way.
type journeyWords struct {
	lang                string
	send                string   // the send page's heading
	copied              []string // the copy button's answers (copied, or selected for Ctrl+C)
	decline             string   // the invitation page's decline button
	thanks, state       string   // the confirmation's heading; the declined invitation's state
	goneH1, badH1, make string   // the 410 and 404 headings; their way forward
}

var journeyDa = journeyWords{
	lang: "da", send: "Send invitationen",
	copied:  []string{"Linket er kopieret.", "Linket er markeret: kopiér det med Ctrl+C eller ⌘C."},
	decline: "Afslå invitationen", thanks: "Tak, fordi du takkede nej", state: "Du har takket nej – tak",
	goneH1: "Invitationen er trukket tilbage", badH1: "Linket virker ikke", make: "Lav din egen invitation",
}

var journeyEn = journeyWords{
	lang: "en", send: "Send the invitation",
	copied:  []string{"The link is copied.", "The link is selected: copy it with Ctrl+C or ⌘C."},
	decline: "Decline the invitation", thanks: "Thank you for declining", state: "You declined – thank you",
	goneH1: "The invitation has been withdrawn", badH1: "This link does not work", make: "Make your own invitation",
}

// TestTheInviteesJourney walks the whole journey in Chromium, on a phone
// (390×844) and a laptop (1366×900), as issue 11 asks: make an invitation
// on the campaign page (the preview changes while typing), land on the
// send page, copy the link, open it (the portrait card on the phone, the
// og card on the laptop), decline, be thanked with the "I declined" card,
// go back and find the invitation declined; then the admin revokes the
// link, which then shows the branded 410, and a truncated link shows the
// branded 404. The Danish journey runs in a browser that asks for Danish;
// the English one (the English campaign) in a browser that asks for
// English, so the plain link the maker copies opens in English by
// Accept-Language alone. The error pages are seen in both languages, by
// Accept-Language in each browser and by ?lang= for the other language.
// axe-core runs on every page and none may scroll sideways.
//
// It runs against the server fixture rather than the binary (as
// cmd/sharecard's e2e test does) because the fixture's clock, campaigns
// and admin token are fixed and the journey needs nothing the binary adds;
// the listener is made first so the service's base URL is its own
// address, and the link in the send page's field opens as it is.
func TestTheInviteesJourney(t *testing.T) {
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	f := newFixture(t, func(c *config.Config) { c.BaseURL = base; c.SelfServiceRate = 100 })
	srv.Config.Handler = f.e
	srv.Start()
	t.Cleanup(srv.Close)

	for _, size := range []struct {
		name string
		w, h int
		card string // the variant the invitation page shows
		// The invitee: one per size, as the same name would make the
		// same link, which the first walk revokes (and a revoked link
		// stays revoked, whoever makes it again).
		invitee string
	}{
		{"phone", 390, 844, "portrait", "Lars Hansen"},
		{"laptop", 1366, 900, "og", "Åse Holm"},
	} {
		for _, j := range []struct {
			words        journeyWords
			other        journeyWords
			acceptLang   string
			campaignPage string
		}{
			{journeyDa, journeyEn, "da,en", "/c/ligestilling"},
			{journeyEn, journeyDa, "en-GB,en", "/c/equality-2061"},
		} {
			t.Run(fmt.Sprintf("%s at %dx%d", j.words.lang, size.w, size.h), func(t *testing.T) {
				ctx := testbrowser.NewLang(t, size.w, size.h, 3*time.Minute, j.acceptLang)
				// The browser starts on ctx itself (a step's shorter context,
				// cancelled, would close it); headless Chromium keeps a window
				// at least 500 px wide, so the phone's viewport is emulated.
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(int64(size.w), int64(size.h)), chromedp.Navigate("about:blank")); err != nil {
					t.Fatal(err)
				}
				jt := &journey{t: t, ctx: ctx, w: j.words, width: size.w}
				jt.walk(srv.URL, j.campaignPage, size.invitee, size.card, j.other, func(token string) {
					r, err := http.NewRequest(http.MethodDelete, srv.URL+"/api/v1/invitations/"+token, nil)
					if err != nil {
						t.Fatal(err)
					}
					r.Header.Set("Authorization", "Bearer "+testAdmin)
					resp, err := srv.Client().Do(r)
					if err != nil {
						t.Fatal(err)
					}
					resp.Body.Close()
					if resp.StatusCode/100 != 2 {
						t.Fatalf("revoking through the admin API: %s", resp.Status)
					}
				})
			})
		}
	}
}

// journey is one browser's walk through the pages.
type journey struct {
	t     *testing.T
	ctx   context.Context
	w     journeyWords
	width int
}

// step runs actions with a deadline of their own, so a page that never
// shows what is awaited fails that step instead of the whole test's time.
func (j *journey) step(name string, actions ...chromedp.Action[chromedp.Void]) {
	j.t.Helper()
	testbrowser.Step(j.t, j.ctx, 20*time.Second, name, actions...)
}

// until waits for js to be true, within the step's deadline.
func (j *journey) until(name, js string) {
	j.t.Helper()
	j.step(name, func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))(ctx, tg)
		return chromedp.Void{}, err
	})
}

func (j *journey) eval(js string) string {
	j.t.Helper()
	s, err := chromedp.Run(j.ctx, chromedp.Evaluate[string](js))
	if err != nil {
		j.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// check is what every page is held to: the status it was served with, the
// language it says it is in, axe-core, and no sideways scroll at the
// viewport's width.
func (j *journey) check(page string, status int) {
	j.t.Helper()
	got := j.eval(`performance.getEntriesByType("navigation")[0].responseStatus + " " + document.documentElement.lang + " " + window.innerWidth`)
	if want := fmt.Sprintf("%d %s %d", status, j.w.lang, j.width); got != want {
		j.t.Errorf("%s: status, language and width %q, want %q", page, got, want)
	}
	if v := testbrowser.Axe(j.t, j.ctx); len(v) > 0 {
		j.t.Errorf("%s: axe-core finds %d violations:\n%s", page, len(v), strings.Join(v, "\n"))
	}
	if wide := j.eval(`document.documentElement.scrollWidth + "/" + window.innerWidth`); func() bool {
		var sw, iw int
		_, err := fmt.Sscanf(wide, "%d/%d", &sw, &iw)
		return err != nil || sw > iw
	}() {
		j.t.Errorf("%s scrolls sideways: scrollWidth/innerWidth %s", page, wide)
	}
}

func (j *journey) walk(site, campaignPage, invitee, variant string, other journeyWords, revoke func(token string)) {
	t := j.t

	// The campaign page: typing a name changes the preview.
	j.step("open the campaign page", chromedp.Navigate(site+campaignPage), chromedp.WaitVisible(chromedp.ID("name")))
	j.until("the campaign card in the preview", `(i => i.complete && i.naturalWidth > 0)(document.getElementById("preview"))`)
	before := j.eval(`(i => i.currentSrc + " " + i.naturalWidth)(document.getElementById("preview"))`)
	j.check("the campaign page", http.StatusOK)
	j.step("type a name", chromedp.SendKeys(chromedp.ID("name"), invitee))
	j.until("the draft of "+invitee, fmt.Sprintf(`(i => i.currentSrc.indexOf("preview.jpg?name=" + encodeURIComponent(%q)) > 0 && i.complete && i.naturalWidth > 0)(document.getElementById("preview"))`, invitee))
	if after := j.eval(`(i => i.currentSrc + " " + i.naturalWidth)(document.getElementById("preview"))`); after == before {
		t.Errorf("the preview did not change while typing: %s", after)
	}
	j.check("the campaign page with a draft", http.StatusOK)

	// Make it: the send page, whose copy button works.
	j.step("make the invitation", chromedp.Click(chromedp.CSS(`form.self button[type="submit"]`)), chromedp.WaitVisible(chromedp.ID("link")))
	if h1 := j.eval(`document.querySelector("h1").textContent`); h1 != j.w.send {
		t.Errorf("after making it the page is %q, want the send page, %q", h1, j.w.send)
	}
	j.check("the send page", http.StatusOK)
	j.step("copy the link", chromedp.Click(chromedp.ID("copy")))
	j.until("the copy to be confirmed", `document.getElementById("send-status").textContent !== ""`)
	if said := j.eval(`document.getElementById("send-status").textContent`); said != j.w.copied[0] && said != j.w.copied[1] {
		t.Errorf("after copying the page says %q, want one of %q", said, j.w.copied)
	}
	link := j.eval(`document.getElementById("link").value`)
	token, ok := strings.CutPrefix(link, site+"/i/")
	if !ok || token == "" || strings.ContainsAny(token, "/?#") {
		t.Fatalf("the link to send is %q, want %s/i/{token}", link, site)
	}

	// The invitee opens it: their card, in the size for the screen.
	j.step("open the link", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS(`form[action*="/decline"] button`)))
	j.until("the card", `(i => i.complete && i.naturalWidth > 0)(document.querySelector(".card picture img"))`)
	if file := j.eval(`new URL(document.querySelector(".card picture img").currentSrc).pathname.split("/").pop()`); !strings.HasPrefix(file, variant+".") {
		t.Errorf("at %d px the page shows %s, want the %s card", j.width, file, variant)
	}
	if b := j.eval(`document.querySelector('form[action*="/decline"] button').textContent.trim()`); b != j.w.decline {
		t.Errorf("the decline button says %q, want %q", b, j.w.decline)
	}
	j.check("the invitation page", http.StatusOK)

	// Decline: thanked, with the "I declined" card.
	j.step("decline", chromedp.Click(chromedp.CSS(`form[action*="/decline"] button`)), chromedp.WaitVisible(chromedp.CSS(".declined-card")))
	if h1 := j.eval(`document.querySelector("h1").textContent`); h1 != j.w.thanks {
		t.Errorf("after declining the page says %q, want %q", h1, j.w.thanks)
	}
	j.until("the I declined card", `(i => i.complete && i.naturalWidth > 0)(document.querySelector(".declined-card picture img"))`)
	if src := j.eval(`document.querySelector(".declined-card picture img").currentSrc`); !strings.Contains(src, "/i/"+token+"/declined/") {
		t.Errorf("the card after declining is %s, want the I declined card", src)
	}
	j.check("the confirmation", http.StatusOK)

	// Back to the invitation: declined, on this device.
	j.step("go back to the invitation", chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("p.state")))
	if got := j.eval(`document.querySelector("p.state").textContent + "|" + document.querySelectorAll('form[action*="/decline"]').length`); got != j.w.state+"|0" {
		t.Errorf("the declined invitation shows %q, want its state and no decline button", got)
	}
	j.check("the declined invitation", http.StatusOK)

	// Revoked by the admin, then opened; and a truncated link: in the
	// browser's language, and in the other one by ?lang=.
	revoke(token)
	mine := j.w
	for _, w := range []journeyWords{mine, other} {
		q := ""
		if w.lang != mine.lang {
			q = "?lang=" + w.lang
		}
		j.w = w
		for _, e := range []struct {
			page, url, h1 string
			status        int
		}{
			{"the revoked link", link + q, w.goneH1, http.StatusGone},
			{"a truncated link", link[:len(link)-12] + q, w.badH1, http.StatusNotFound},
		} {
			page := fmt.Sprintf("%s (%s)", e.page, w.lang)
			j.step("open "+page, chromedp.Navigate(e.url), chromedp.WaitVisible(chromedp.CSS("a.btn.primary")))
			got := j.eval(`document.querySelector("h1").textContent + "|" + document.querySelector("a.btn.primary").textContent`)
			if want := e.h1 + "|" + w.make; got != want {
				t.Errorf("%s shows %q, want %q", page, got, want)
			}
			j.check(page, e.status)
		}
	}
	j.w = mine
}
