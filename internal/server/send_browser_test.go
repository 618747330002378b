package server

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testbrowser"
)

// TestSendAndPreviewPassAxe: the send page in both languages, and the
// campaign page with a draft shown and with a refusal, have no axe-core
// violations and do not scroll sideways, on a phone and a laptop.
func TestSendAndPreviewPassAxe(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.SelfServiceRate = 100 })
	_, da, _ := f.selfServe("ligestilling", map[string]string{"name": "Åse Holm", "title": "Bestyrelsesformand", "org": "Novo Nordisk"})
	_, en, _ := f.selfServe("equality-2061", map[string]string{"name": "Jane Doe"})
	if !strings.HasSuffix(da, "/send?lang=da") || !strings.HasSuffix(en, "/send?lang=en") {
		t.Fatalf("self-service led to %q and %q", da, en)
	}
	srv := httptest.NewServer(f.e)
	t.Cleanup(srv.Close)
	type page struct {
		name, path string
		then       chromedp.Action[chromedp.Void] // after loading, before axe
	}
	typed := func(name string) chromedp.Action[chromedp.Void] {
		wait := chromedp.Poll[bool](`document.getElementById("preview-status").textContent !== ""`, chromedp.WithPollingTimeout(10*time.Second))
		return chromedp.Steps(
			chromedp.SendKeys(chromedp.ID("name"), name),
			func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
				_, err := wait(ctx, tg)
				return chromedp.Void{}, err
			},
		)
	}
	pages := []page{
		{"the send page", da, nil},
		{"the English send page", en, nil},
		{"the campaign page with a draft", "/c/ligestilling", typed("Lars Hansen")},
		{"the campaign page refusing a draft", "/c/ligestilling", typed("f.u.c.k")},
		{"the English campaign page with a draft", "/c/equality-2061", typed("Jane Doe")},
	}
	for _, size := range [][2]int{{390, 844}, {1366, 900}} {
		ctx := testbrowser.New(t, size[0], size[1], 120*time.Second)
		for _, p := range pages {
			t.Run(fmt.Sprintf("%s at %dx%d", p.name, size[0], size[1]), func(t *testing.T) {
				steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(srv.URL + p.path), chromedp.WaitReady(chromedp.CSS("body"))}
				if p.then != nil {
					steps = append(steps, p.then)
				}
				if err := chromedp.Do(ctx, steps...); err != nil {
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

// TestTheMakersJourney: typing a name changes the preview (and its alt
// text); a blocked word is refused in the preview without a request to
// make anything; making the invitation leads to the send page, whose copy
// button works.
func TestTheMakersJourney(t *testing.T) {
	f := newFixture(t)
	var mu sync.Mutex
	drafts := map[string]int{} // draft requests by query
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/preview.jpg") {
			mu.Lock()
			drafts[r.URL.RawQuery]++
			mu.Unlock()
		}
		f.e.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	ctx := testbrowser.New(t, 390, 844, 90*time.Second)
	cctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	messages := chromedp.Console(cctx)

	src := func() string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("preview").getAttribute("src")`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	waitFor := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/c/ligestilling"), chromedp.WaitVisible(chromedp.ID("name"))); err != nil {
		t.Fatal(err)
	}
	first := src()
	if !strings.Contains(first, "/c/ligestilling/og.jpg") {
		t.Fatalf("the preview starts as %q, want the campaign's card", first)
	}

	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("name"), "Lars Hansen")); err != nil {
		t.Fatal(err)
	}
	waitFor("the draft of Lars Hansen", `(function(){var i=document.getElementById("preview");
		return i.getAttribute("src").indexOf("preview.jpg?name=Lars%20Hansen") >= 0 && i.complete && i.naturalWidth === 600})()`)
	alt, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("preview").alt + "|" + document.getElementById("preview-status").textContent`))
	if err != nil || alt != "Kortet til Lars Hansen|Kortet til Lars Hansen" {
		t.Errorf("alt text and live region %q (%v), want both to say whose card it is", alt, err)
	}
	drawn := src()
	mu.Lock()
	if n := drafts["name=Lars%20Hansen&title=&org=&lang=da"]; n != 1 {
		t.Errorf("the draft of Lars Hansen was asked for %d times, want once (fetched, then shown from the browser's cache): %v", n, drafts)
	}
	mu.Unlock()

	// A blocked word in another field: the preview says so and keeps the
	// last good card.
	if err := chromedp.Do(ctx, chromedp.SendKeys(chromedp.ID("org"), "Lortefirma")); err != nil {
		t.Fatal(err)
	}
	waitFor("the refusal", `document.getElementById("preview-status").textContent.indexOf("Organisationen kan ikke bruges") === 0`)
	if got := src(); got != drawn {
		t.Errorf("a refused draft changed the image to %q", got)
	}
	if n := f.events.Count(stats.Minted) + f.events.Count(stats.SelfServiceRefused); n != 0 {
		t.Errorf("typing recorded %d mint or refusal events; only a submission may", n)
	}

	// Make it, without the blocked word.
	if err := chromedp.Do(ctx,
		chromedp.SetValue(chromedp.ID("org"), "Novo Nordisk"),
		chromedp.Click(chromedp.CSS(`form.self button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.ID("link")),
	); err != nil {
		t.Fatal(err)
	}
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	u, _ := url.Parse(loc)
	if !strings.HasPrefix(u.Path, "/i/") || !strings.HasSuffix(u.Path, "/send") {
		t.Fatalf("after making it the browser is at %s, want the send page", loc)
	}
	link, _ := chromedp.Run(ctx, chromedp.Value(chromedp.ID("link")))
	if want := "https://invitation.example.dk" + strings.TrimSuffix(u.Path, "/send"); link != want {
		t.Errorf("the link field holds %q, want %q", link, want)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.ID("copy"))); err != nil {
		t.Fatal(err)
	}
	waitFor("the copy to be confirmed", `document.getElementById("send-status").textContent !== ""`)
	said, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("send-status").textContent`))
	if said != "Linket er kopieret." && said != "Linket er markeret: kopiér det med Ctrl+C eller ⌘C." {
		t.Errorf("after copying the page says %q", said)
	}
	// The share sheet button is there exactly where the browser has one.
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("share").hidden === (typeof navigator.share !== "function")`))
	if err != nil || !ok {
		t.Errorf("the share button's visibility does not follow navigator.share (%v)", err)
	}
	// A refused draft is a 422 the browser logs as a failed resource;
	// anything else (an exception, a blocked script or image) is a fault.
	var problems []string
	for _, p := range testbrowser.Problems(t, ctx, messages) {
		if !strings.Contains(p, "422") {
			problems = append(problems, p)
		}
	}
	if len(problems) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(problems, "\n"))
	}
}

// TestSendPageWithoutScript: without script the copy and share buttons,
// which need it, are not shown, and every link is still there.
func TestSendPageWithoutScript(t *testing.T) {
	f := newFixture(t)
	_, loc, _ := f.selfServe("ligestilling", map[string]string{"name": "Åse Holm"})
	srv := httptest.NewServer(f.e)
	t.Cleanup(srv.Close)
	ctx := testbrowser.New(t, 390, 844, 60*time.Second)
	if err := chromedp.Do(ctx,
		func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, tg, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return chromedp.Void{}, err
		},
		chromedp.Navigate(srv.URL+loc), chromedp.WaitReady(chromedp.CSS("body")),
	); err != nil {
		t.Fatal(err)
	}
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[string](`["copy","share"].map(function(id){
		return id + "=" + getComputedStyle(document.getElementById(id)).display}).join(" ") + " links=" +
		document.querySelectorAll(".networks a").length + " qr=" + document.querySelector(".qr img").complete`))
	if err != nil {
		t.Fatal(err)
	}
	if shown != "copy=none share=none links=6 qr=true" {
		t.Errorf("without script: %s; want the buttons hidden and the six links and the QR code there", shown)
	}
}
