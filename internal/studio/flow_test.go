package studio

import (
	"bytes"
	"image/jpeg"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/variant"
)

func (f *fixture) preview(yaml, name, v string) []byte {
	f.t.Helper()
	w := f.post(post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": yaml, "name": name, "variant": v}})
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "image/jpeg" {
		f.t.Fatalf("preview %s for %q: %d %s %.300s", v, name, w.Code, w.Header().Get("Content-Type"), w.Body.String())
	}
	return w.Body.Bytes()
}

// A draft's previews show the draft, at every size, and leave the
// published version alone.
func TestPreviewsShowTheDraftAndPublishNothing(t *testing.T) {
	f := newFixture(t)
	good := demoYAML(t)
	draft := strings.Replace(good, `text: {da: "Kære {{name}}"`, `text: {da: "Hej {{name}}"`, -1)
	if draft == good {
		t.Fatal("the demo file no longer greets with Kære {{name}}; change the test's edit")
	}
	version := f.current("ligestilling")
	for _, v := range variant.All() {
		before, after := f.preview(good, "Anne-Sofie Østergaard-Kjærsgaard", v.Name), f.preview(draft, "Anne-Sofie Østergaard-Kjærsgaard", v.Name)
		if bytes.Equal(before, after) {
			t.Errorf("%s: the draft's preview is the published card's", v.Name)
		}
		img, err := jpeg.Decode(bytes.NewReader(after))
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		if b := img.Bounds(); b.Dx() != v.Width || b.Dy() != v.Height {
			t.Errorf("%s: %v, want %d×%d", v.Name, b, v.Width, v.Height)
		}
	}
	if got := f.current("ligestilling"); got != version {
		t.Errorf("previewing published %s (was %s)", got, version)
	}
	if live, _ := f.lib.Lookup("ligestilling"); live.Version != version {
		t.Errorf("the live campaign is %s, want %s", live.Version, version)
	}
	if n := f.h.drafts.len(); n > keptDrafts {
		t.Errorf("%d drafts kept, at most %d", n, keptDrafts)
	}
	// More drafts than are kept: the oldest go.
	for i := 0; i < keptDrafts+3; i++ {
		f.preview(good+"\n# "+strings.Repeat("x", i)+"\n", "Bo", "og")
	}
	if n := f.h.drafts.len(); n != keptDrafts {
		t.Errorf("%d drafts kept after %d, want %d", n, keptDrafts+3, keptDrafts)
	}
}

// The page is drawn on the server: the file, every stress name and
// variant, every platform by name, the versions.
func TestThePageNamesEveryPreviewAndPlatform(t *testing.T) {
	f := newFixture(t)
	w := f.get("/admin/studio/ligestilling", true)
	if w.Code != http.StatusOK {
		t.Fatalf("%d", w.Code)
	}
	if csp := w.Header().Get("Content-Security-Policy"); csp != CSP {
		t.Errorf("CSP %q", csp)
	}
	body := w.Body.String()
	want := []string{"id: ligestilling", f.current("ligestilling"), "Instagram (story)", `href="/admin/static/studio.css"`, `src="/admin/static/studio.js"`}
	for _, n := range stressNames(campaign.TypicalFields.Name) {
		want = append(want, n.Why)
	}
	for _, p := range platforms {
		want = append(want, p.Name)
	}
	for _, v := range variant.All() {
		want = append(want, v.Name+"-kortet")
	}
	for _, s := range want {
		if !strings.Contains(body, s) && !strings.Contains(body, htmlEscape(s)) {
			t.Errorf("the page lacks %q", s)
		}
	}
	for _, s := range []string{"http://", "https://cdn", "<script>"} {
		if strings.Contains(strings.ReplaceAll(body, "https://www.ligestillingitoppen.dk", ""), s) {
			t.Errorf("the page has %q: nothing may come from elsewhere or run inline", s)
		}
	}
}

func htmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;", "+", "&#43;").Replace(s)
}

// Publishing: the diff names the change, the publish goes through the
// store's compare-and-set, and a second publish from the same base
// (another designer's) is refused with a message, not interleaved.
func TestPublishShowsTheDiffAndRefusesAStaleBase(t *testing.T) {
	f := newFixture(t)
	good := demoYAML(t)
	base := f.current("ligestilling")
	draft := strings.Replace(good, "Afslå invitationen", "Sig nej tak", 1)
	w := f.post(post{path: "/admin/studio/ligestilling/diff", fields: map[string]string{"yaml": draft}, json: true})
	d := decode[diffView](t, w)
	var added, removed bool
	for _, l := range d.Lines {
		added = added || l.Kind == "add" && strings.Contains(l.Text, "Sig nej tak")
		removed = removed || l.Kind == "del" && strings.Contains(l.Text, "Afslå invitationen")
	}
	if d.Base != base || !d.Changed || !added || !removed {
		t.Errorf("diff %+v: want the change against %s", d, base)
	}
	if d := decode[diffView](t, f.post(post{path: "/admin/studio/ligestilling/diff", fields: map[string]string{"yaml": good}, json: true})); d.Changed {
		t.Errorf("the published file differs from itself: %+v", d.Lines)
	}
	// The plain form's review page shows the same diff and a confirm.
	if w := f.post(post{path: "/admin/studio/ligestilling/diff", fields: map[string]string{"yaml": draft}}); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<span class="add">&#43;  decline: {da: Sig nej tak, en: Decline the invitation}</span>`) {
		t.Errorf("review page %d lacks the diff", w.Code)
	}

	w = f.post(post{path: "/admin/studio/ligestilling/publish", fields: map[string]string{"yaml": draft, "base": base}, json: true})
	res := decode[campaign.Result](t, w)
	if w.Code != http.StatusOK || res.Version == "" || res.Version == base || f.current("ligestilling") != res.Version {
		t.Fatalf("publish: %d %+v, current %s", w.Code, res, f.current("ligestilling"))
	}
	if live, _ := f.lib.Lookup("ligestilling"); live.Texts.Decline != "Sig nej tak" {
		t.Errorf("the live campaign declines with %q", live.Texts.Decline)
	}
	// Someone else had the old version open.
	w = f.post(post{path: "/admin/studio/ligestilling/publish", fields: map[string]string{"yaml": good, "base": base}, json: true})
	if got := decode[failJSON](t, w); w.Code != http.StatusConflict || !strings.Contains(got.Message, res.Version) {
		t.Errorf("stale publish: %d %q, want 409 naming %s", w.Code, got.Message, res.Version)
	}
	if f.current("ligestilling") != res.Version {
		t.Error("the stale publish changed the current version")
	}
	// The version list has both, and rollback makes the first current.
	page := f.get("/admin/studio/ligestilling", true).Body.String()
	if !strings.Contains(page, base) || !strings.Contains(page, res.Version) {
		t.Error("the page does not list both versions")
	}
	w = f.post(post{path: "/admin/studio/ligestilling/rollback", fields: map[string]string{"version": base}})
	if w.Code != http.StatusSeeOther || f.current("ligestilling") != base {
		t.Errorf("rollback: %d, current %s, want %s", w.Code, f.current("ligestilling"), base)
	}
}

// A new campaign starts as a copy: nothing is published until the
// designer publishes, and then it is a campaign like any other.
func TestANewCampaignStartsAsACopy(t *testing.T) {
	f := newFixture(t)
	w := f.post(post{path: "/admin/studio", fields: map[string]string{"id": "ligestilling-2", "from": "ligestilling"}})
	if w.Code != http.StatusSeeOther || w.Header().Get("Location") != "/admin/studio/ligestilling-2?from=ligestilling" {
		t.Fatalf("create: %d %s", w.Code, w.Header().Get("Location"))
	}
	if _, ok := f.lib.Lookup("ligestilling-2"); ok {
		t.Fatal("creating published the copy")
	}
	page := f.get("/admin/studio/ligestilling-2?from=ligestilling", true)
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "id: ligestilling-2") {
		t.Fatalf("page %d lacks the rewritten id", page.Code)
	}
	yaml := strings.Replace(demoYAML(t), "id: ligestilling", "id: ligestilling-2", 1)
	fields := map[string]string{"yaml": yaml, "from": "ligestilling", "name": "Bo", "variant": "story"}
	if w := f.post(post{path: "/admin/studio/ligestilling-2/preview", fields: fields}); w.Code != http.StatusOK {
		t.Fatalf("preview of the new campaign: %d %.300s", w.Code, w.Body.String())
	}
	w = f.post(post{path: "/admin/studio/ligestilling-2/publish", fields: fields, json: true})
	if w.Code != http.StatusOK {
		t.Fatalf("publish the new campaign: %d %.300s", w.Code, w.Body.String())
	}
	if _, ok := f.lib.Lookup("ligestilling-2"); !ok {
		t.Error("the new campaign is not live")
	}
	// A second "first" publish (someone made it meanwhile) is refused.
	if w := f.post(post{path: "/admin/studio/ligestilling-2/publish", fields: fields, json: true}); w.Code != http.StatusConflict {
		t.Errorf("a second first publish: %d", w.Code)
	}
}

func TestClipCutsAsThePlatformsDo(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		limit    int
		want     string
		cut      bool
	}{
		{"a text within the limit stays whole", "Kære Mette", 70, "Kære Mette", false},
		{"a text at the limit stays whole", strings.Repeat("a", 70), 70, strings.Repeat("a", 70), false},
		{"a longer one is cut at a word with an ellipsis", "Sig nej tak – og lær, hvordan vi når ligestilling", 30, "Sig nej tak – og lær, hvordan…", true},
		{"a long word is cut inside", strings.Repeat("ø", 40), 10, strings.Repeat("ø", 9) + "…", true},
		{"a platform that shows none shows none", "Kære Mette", 0, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := clip(tc.in, tc.limit)
			if got.Text != tc.want || got.Cut != tc.cut {
				t.Errorf("clip(%q, %d) = %+v, want %q cut=%v", tc.in, tc.limit, got, tc.want, tc.cut)
			}
			if n := len([]rune(got.Text)); n > tc.limit {
				t.Errorf("%d characters, over %d", n, tc.limit)
			}
		})
	}
}

// A name with letters no font of the campaign has is previewed (with the
// holes) and the answer names the letters, which minting would refuse.
func TestPreviewNamesMissingLetters(t *testing.T) {
	f := newFixture(t)
	w := f.post(post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": demoYAML(t), "name": "Ada 𒀀", "variant": "og"}})
	if w.Code != http.StatusOK || w.Header().Get("X-Missing-Letters") != url.QueryEscape("𒀀") {
		t.Errorf("%d, X-Missing-Letters %q", w.Code, w.Header().Get("X-Missing-Letters"))
	}
	w = f.post(post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": demoYAML(t), "name": "Ada Østergaard", "variant": "og"}})
	if got := w.Header().Get("X-Missing-Letters"); got != "" {
		t.Errorf("a Danish name misses %q", got)
	}
}
