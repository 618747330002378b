package server

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/studio"
	"github.com/sharecard/sharecard/internal/testbrowser"
)

// studioServer is the whole service over a campaign store in a data
// directory, with the dashboard and the studio mounted, as serve.go
// builds it, listening on loopback for a browser.
func studioServer(t *testing.T) (*httptest.Server, *campaign.Library) {
	t.Helper()
	store, err := campaign.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lib := campaign.NewLibrary(campaign.LibraryOptions{Store: store, Files: sharecard.Files()})
	if err := lib.Open(context.Background(), sharecard.CampaignDir); err != nil {
		t.Fatal(err)
	}
	cfg := testConfig()
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	c := cache.New(cache.Options{MemoryBytes: 16 << 20})
	t.Cleanup(func() { c.Close() })
	reg := prometheus.NewRegistry()
	core, err := share.New(share.Deps{Campaigns: lib, Signer: signer, Cache: c, BaseURL: cfg.BaseURL,
		Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality}, RenderConcurrency: 2, RenderQueue: 8, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	dash := dashboard.New(dashboard.Deps{Campaigns: lib, AdminToken: cfg.AdminToken})
	st, err := studio.New(studio.Deps{Library: lib, CSRF: dash.CSRF, BaseURL: cfg.BaseURL})
	if err != nil {
		t.Fatal(err)
	}
	e, _, err := newApp(Deps{Config: cfg, Share: core, Library: lib, Cache: c, Registry: reg, Dashboard: dash, Studio: st, Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv, lib
}

var ogImage = regexp.MustCompile(`<meta property="og:image" content="([^"]+)"`)

// invitationCard is the og:image an invitation page names, and its bytes.
func invitationCard(t *testing.T, srv *httptest.Server, token string) (string, []byte) {
	t.Helper()
	get := func(u string) []byte {
		t.Helper()
		res, err := http.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %.200s", u, res.StatusCode, b)
		}
		return b
	}
	m := ogImage.FindSubmatch(get(srv.URL + "/i/" + token))
	if m == nil {
		t.Fatal("the invitation page names no og:image")
	}
	u := strings.ReplaceAll(string(m[1]), "&amp;", "&")
	u = srv.URL + strings.TrimPrefix(u, testConfig().BaseURL)
	return u, get(u)
}

// TestTheStudioInABrowser: a designer logs in, changes the og card's
// greeting in the editor and sees the previews change, makes a mistake
// and sees it at its line, publishes after the diff, and the invitation
// page then shows the new card. axe-core finds nothing on the page.
func TestTheStudioInABrowser(t *testing.T) {
	srv, lib := studioServer(t)
	first, _ := lib.Lookup("ligestilling")

	// An invitation minted before the change.
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1/invitations", strings.NewReader(`{"campaign":"ligestilling","name":"Anne-Sofie Østergaard-Kjærsgaard"}`))
	req.Header.Set("Authorization", "Bearer "+testAdmin)
	req.Header.Set("Content-Type", "application/json")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var minted struct{ Token string }
	_ = json.NewDecoder(res.Body).Decode(&minted)
	res.Body.Close()
	if minted.Token == "" {
		t.Fatalf("mint: %d", res.StatusCode)
	}
	oldURL, oldCard := invitationCard(t, srv, minted.Token)

	ctx := testbrowser.New(t, 1366, 900, 90*time.Second)
	cctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	messages := chromedp.Console(cctx)

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		testbrowser.Step(t, ctx, 30*time.Second, name, actions...)
	}
	eval := func(js string) string { t.Helper(); return testbrowser.Eval(t, ctx, js) }
	// The first row's og preview: its address and its pixels (drawn on a
	// canvas; the page's CSP keeps even a test's fetch off blob: URLs).
	ogBytes := `(() => { const img = document.querySelector('#names li:first-child img[data-variant="og"]');
		const c = document.createElement("canvas"); c.width = img.naturalWidth; c.height = img.naturalHeight;
		c.getContext("2d").drawImage(img, 0, 0); return img.src + " " + c.toDataURL("image/png") })()`
	state := `document.getElementById("studio").dataset.state`

	step("log in and open the studio",
		chromedp.Navigate(srv.URL+"/admin/studio/ligestilling"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), testAdmin),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.ID("yaml")),
		chromedp.Poll[chromedp.Void](state+` === "ready"`),
	)
	if v := testbrowser.Axe(t, ctx); len(v) > 0 {
		t.Errorf("axe-core on the studio at 1366×900:\n%s", strings.Join(v, "\n"))
	}
	before := eval(ogBytes)

	// Type over the og card's greeting (the file's first text layer with
	// "Kære": the og variant comes first).
	eval(`(() => { const t = document.getElementById("yaml"); const i = t.value.indexOf('text: {da: "Kære {{name}}"') + 12; t.focus(); t.setSelectionRange(i, i + 4); return "" })()`)
	step("type into the editor", chromedp.KeyEvent("Hej"), chromedp.Poll[chromedp.Void](state+` === "rendering"`), chromedp.Poll[chromedp.Void](state+` === "ready"`))
	after := eval(ogBytes)
	pixels := func(s string) string { _, p, _ := strings.Cut(s, " "); return p }
	if pixels(before) == pixels(after) || !strings.HasPrefix(after, "blob:") {
		t.Fatalf("the og preview did not change with the draft (before %.80s, after %.80s)", before, after)
	}

	// A mistake: an unknown key after locale:, shown at its line.
	line := eval(`(() => { const t = document.getElementById("yaml"); const i = t.value.indexOf("\nlearning_url:"); t.focus(); t.setSelectionRange(i, i); return String(t.value.slice(0, i).split("\n").length + 1) })()`)
	step("make a mistake", chromedp.KeyEvent("\nbogus: 1"), chromedp.Poll[chromedp.Void](state+` === "invalid"`))
	gutter := eval(`(() => { const s = document.querySelectorAll("#gutter-lines span")[` + line + ` - 1]; return s.className + " " + s.textContent })()`)
	note := eval(`Array.from(document.querySelectorAll("#marks .note")).map(n => n.textContent).join(" | ")`)
	if gutter != "err "+line || !strings.Contains(note, "Linje "+line+":") || !strings.Contains(note, "bogus") {
		t.Errorf("the mistake is not shown at line %s: gutter %q, notes %q", line, gutter, note)
	}
	bandTop := eval(`String(parseFloat(document.querySelector("#marks .band").style.top))`)
	if want := "8"; bandTop == "" || bandTop == want {
		t.Errorf("the line's band is at %s px", bandTop)
	}

	// Undo the mistake: the line's ten characters.
	keys := strings.Repeat(kb.Backspace, len("\nbogus: 1"))
	step("fix it", chromedp.KeyEvent(keys), chromedp.Poll[chromedp.Void](state+` === "ready" || `+state+` === "rendering"`),
		chromedp.Poll[chromedp.Void](state+` === "ready"`))

	// Publish after the diff.
	step("review the diff", chromedp.Click(chromedp.ID("review")), chromedp.WaitVisible(chromedp.ID("publish-dialog")))
	diff := eval(`document.getElementById("publish-diff").textContent`)
	if !strings.Contains(diff, `+        text: {da: "Hej {{name}}", en: "Dear {{name}}"}`) || !strings.Contains(diff, `-        text: {da: "Kære {{name}}", en: "Dear {{name}}"}`) {
		t.Errorf("the diff does not show the change:\n%s", diff)
	}
	step("publish", chromedp.Click(chromedp.ID("publish-confirm")), chromedp.WaitVisible(chromedp.CSS(".notice")))
	notice := eval(`document.querySelector(".notice").textContent`)
	if !strings.Contains(notice, "udgivet") {
		t.Errorf("notice %q", notice)
	}
	if problems := testbrowser.Problems(t, ctx, messages); len(problems) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(problems, "\n"))
	}
	if p := os.Getenv("STUDIO_SCREENSHOT"); p != "" {
		if shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
			_ = os.WriteFile(p, shot, 0o644)
		}
	}

	if live, _ := lib.Lookup("ligestilling"); live.Version == first.Version {
		t.Errorf("the live campaign is still %s", first.Version)
	}
	// The invitation minted before shows the new card.
	newURL, newCard := invitationCard(t, srv, minted.Token)
	if newURL == oldURL || string(newCard) == string(oldCard) {
		t.Errorf("the invitation page still shows the old card (%s, was %s; %d and %d bytes)", newURL, oldURL, len(newCard), len(oldCard))
	}
}

// TestTheStudioOnAPhone: at 390 px nothing on the studio or its list
// scrolls sideways, and axe-core finds nothing on the list.
func TestTheStudioOnAPhone(t *testing.T) {
	srv, _ := studioServer(t)
	ctx := testbrowser.New(t, 390, 844, 60*time.Second)
	if err := chromedp.Do(ctx,
		// Headless Chromium keeps a window at least 500 px wide; the
		// emulated viewport is a phone's.
		chromedp.EmulateViewport(390, 844),
		chromedp.Navigate(srv.URL+"/admin/studio"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), testAdmin),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.ID("new-id")),
	); err != nil {
		t.Fatal(err)
	}
	if v := testbrowser.Axe(t, ctx); len(v) > 0 {
		t.Errorf("axe-core on the studio's list:\n%s", strings.Join(v, "\n"))
	}
	if w, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.clientWidth`)); err != nil || w > 390 {
		t.Fatalf("the page is %d px wide (%v), not a phone's", w, err)
	}
	wide := `(() => { const w = document.documentElement.clientWidth; const out = [];
		document.querySelectorAll("body *").forEach(e => { const r = e.getBoundingClientRect(); if (r.width > 0 && r.right > w + 1) out.push(e.tagName + "." + e.className + " " + Math.round(r.right)) });
		return out.slice(0, 5).join(", ") })()`
	for _, page := range []string{"/admin/studio", "/admin/studio/ligestilling", "/admin/studio/equality-2061"} {
		// The layout does not wait for the cards (their sizes are in the
		// page), so neither does the check.
		if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+page), chromedp.Poll[chromedp.Void](`document.readyState !== "loading" && (!document.getElementById("studio") || document.getElementById("studio").dataset.state === "ready")`)); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		out, err := chromedp.Run(ctx, chromedp.Evaluate[string](wide))
		if err != nil {
			t.Fatal(err)
		}
		if out != "" {
			t.Errorf("%s is wider than a phone: %s", page, out)
		}
	}
}
