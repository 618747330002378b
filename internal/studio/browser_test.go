package studio

import (
	"context"
	"image/color"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/sharecard/sharecard/internal/testbrowser"
)

// TestLanguageAndDeclinedInABrowser: the designer sees every name's
// "I declined" card under its invitation, switches the language to
// English and sees the invitation, the declined card and the share's
// texts change; axe-core finds nothing on the page either way. A name the
// designer adds survives a reload until it is removed; an upload keeps
// the draft being typed.
func TestLanguageAndDeclinedInABrowser(t *testing.T) {
	f := newFixture(t)
	srv := httptest.NewServer(f.e)
	t.Cleanup(srv.Close)
	ctx := testbrowser.New(t, 1366, 900, 90*time.Second)
	cctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	messages := chromedp.Console(cctx)

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		testbrowser.Step(t, ctx, 45*time.Second, name, actions...)
	}
	eval := func(js string) string { t.Helper(); return testbrowser.Eval(t, ctx, js) }
	// Every card of the first row, kind and variant: its address and
	// its pixels (drawn on a canvas: the CSP keeps fetch off blob: URLs).
	cards := `Array.from(document.querySelectorAll('#names li:first-child .cards img')).map(img => {
		const c = document.createElement("canvas"); c.width = img.naturalWidth; c.height = img.naturalHeight;
		c.getContext("2d").drawImage(img, 0, 0);
		return img.closest(".cards").dataset.kind + "/" + img.dataset.variant + " " + img.naturalWidth + "x" + img.naturalHeight + " " + img.src.slice(0, 5) + " " + c.toDataURL("image/png") }).join("\n")`
	state := `document.getElementById("studio").dataset.state`

	step("log in and open the studio",
		chromedp.Navigate(srv.URL+"/admin/login?next=/admin/studio/ligestilling"),
		chromedp.WaitVisible(chromedp.ID("token")),
		chromedp.SendKeys(chromedp.ID("token"), token),
		chromedp.Submit(chromedp.ID("token")),
		chromedp.WaitVisible(chromedp.ID("lang")),
		chromedp.Poll[chromedp.Void](state+` === "ready"`),
		// The published cards, both kinds, loaded from the server.
		chromedp.Poll[chromedp.Void](`Array.from(document.querySelectorAll('#names li:first-child .cards img')).every(i => i.complete && i.naturalWidth > 0)`),
	)
	if v := testbrowser.Axe(t, ctx); len(v) > 0 {
		t.Errorf("axe-core on the studio in Danish:\n%s", strings.Join(v, "\n"))
	}
	da := strings.Split(eval(cards), "\n")
	title := `document.querySelector('[data-platform="facebook"] .pl-title').textContent`
	daTitle := eval(title)

	step("choose English",
		chromedp.SetValue(chromedp.ID("lang"), "en"),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("lang").dispatchEvent(new Event("change"))`),
		chromedp.Poll[chromedp.Void](state+` === "rendering"`),
		chromedp.Poll[chromedp.Void](state+` === "ready"`),
	)
	en := strings.Split(eval(cards), "\n")
	if len(da) != 8 || len(en) != 8 {
		t.Fatalf("the first row has %d cards in Danish, %d in English; want 4 invitation and 4 declined", len(da), len(en))
	}
	want := []string{"invitation/og 1200x630", "invitation/square 1080x1080", "invitation/portrait 1080x1350", "invitation/story 1080x1920",
		"declined/og 1200x630", "declined/square 1080x1080", "declined/portrait 1080x1350", "declined/story 1080x1920"}
	for i, w := range want {
		if !strings.HasPrefix(da[i], w+" ") || !strings.HasPrefix(en[i], w+" blob:") {
			t.Errorf("card %d: Danish %.60s, English %.60s; want %s (English a rendered blob:)", i, da[i], en[i], w)
			continue
		}
		pixels := func(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }
		if pixels(da[i]) == pixels(en[i]) {
			t.Errorf("%s: the English card is the Danish one", w)
		}
	}
	if enTitle := eval(title); enTitle == daTitle {
		t.Errorf("the share's title did not change with the language: %q", enTitle)
	}
	if v := testbrowser.Axe(t, ctx); len(v) > 0 {
		t.Errorf("axe-core on the studio in English:\n%s", strings.Join(v, "\n"))
	}

	// A name the designer adds gets its row and cards, and is still there
	// after a reload (kept on this device), until it is removed.
	added := `Array.from(document.querySelectorAll('#names li.added')).map(r => r.dataset.name + " " + r.querySelectorAll('.cards[data-kind="invitation"] img[src^="blob:"]').length).join("|")`
	step("add a name",
		chromedp.SendKeys(chromedp.ID("new-name"), "Zoë Ærø-Łukasiewicz"),
		chromedp.Click(chromedp.CSS("#add-name button[type=submit]")),
		chromedp.Poll[chromedp.Void](added+` === "Zoë Ærø-Łukasiewicz 4"`),
	)
	step("reload the studio",
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("lang")),
		chromedp.Poll[chromedp.Void](state+` === "ready"`),
	)
	if got := eval(added); got != "Zoë Ærø-Łukasiewicz 4" {
		t.Errorf("after a reload the added names are %q, want the one added with its 4 cards", got)
	}
	step("remove it and reload",
		chromedp.Click(chromedp.CSS("#names li.added button.remove")),
		chromedp.Reload(),
		chromedp.WaitVisible(chromedp.ID("lang")),
		chromedp.Poll[chromedp.Void](state+` === "ready"`),
	)
	if got := eval(added); got != "" {
		t.Errorf("a removed name came back after a reload: %q", got)
	}

	// An upload from the studio: the file is listed, a new version is
	// current (one "aktuel" in the list), and the draft being typed stays.
	file := filepath.Join(t.TempDir(), "plet.png")
	if err := os.WriteFile(file, pngFile(t, 20, 20, color.NRGBA{0, 120, 60, 255}), 0o644); err != nil {
		t.Fatal(err)
	}
	before := eval(`document.getElementById("base-version").textContent`)
	step("type a draft, then upload a file",
		chromedp.SendKeys(chromedp.ID("yaml"), "# kladde\n"),
		chromedp.SetUploadFiles(chromedp.ID("asset-file"), []string{file}),
		chromedp.Click(chromedp.CSS("#upload-form button[type=submit]")),
		// The list and the version change with the message, in one
		// task; the previews render again after, which the checks
		// below need not wait for.
		chromedp.Poll[chromedp.Void](`document.getElementById("upload-status").textContent.includes("plet.png er lagt op")`),
	)
	if got := eval(`Array.from(document.querySelectorAll("#asset-list code")).map(c => c.textContent).join(",")`); got != "plet.png" {
		t.Errorf("the file list shows %q after the upload", got)
	}
	after := eval(`document.getElementById("base-version").textContent`)
	if cur, _ := f.lib.Lookup("ligestilling"); after == before || after != cur.Version {
		t.Errorf("the page shows version %s after the upload (before %s); the campaign is at %s", after, before, cur.Version)
	}
	if got := eval(`Array.from(document.querySelectorAll(".versions strong.tag")).map(t => t.parentNode.querySelector("code").textContent).join(",")`); got != after {
		t.Errorf("the version list marks %q as current, want %s", got, after)
	}
	if got := eval(`document.getElementById("yaml").value.slice(0, 9)`); got != "# kladde\n" {
		t.Errorf("the draft in the editor was lost: it begins %q", got)
	}
	if v := testbrowser.Axe(t, ctx); len(v) > 0 {
		t.Errorf("axe-core on the studio after an upload:\n%s", strings.Join(v, "\n"))
	}
	// And deleting it again, from the list the script drew.
	step("delete the file",
		chromedp.Click(chromedp.CSS("#asset-list form.delete-asset button")),
		chromedp.Poll[chromedp.Void](`document.getElementById("upload-status").textContent.includes("plet.png er slettet")`),
	)
	if got := eval(`document.getElementById("asset-list").textContent`); got != "Ingen endnu." {
		t.Errorf("after the delete the file list reads %q", got)
	}
	if cur, _ := f.lib.Lookup("ligestilling"); eval(`document.getElementById("base-version").textContent`) != cur.Version || cur.Version == after {
		t.Errorf("after the delete the page shows version %s; the campaign is at %s", eval(`document.getElementById("base-version").textContent`), cur.Version)
	}
	if p := testbrowser.Problems(t, ctx, messages); len(p) > 0 {
		t.Errorf("the page's console:\n%s", strings.Join(p, "\n"))
	}
}
