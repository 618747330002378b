package server

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"image/jpeg"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testredis"
)

// selfServe posts the campaign form and returns the response.
func (f *fixture) selfServe(campaignID string, vals map[string]string) (code int, location, body string) {
	f.t.Helper()
	b, h := form(vals)
	w := f.do(req{method: "POST", path: "/c/" + campaignID, body: b, header: h})
	return w.Code, w.Header().Get("Location"), w.Body.String()
}

var hrefRE = regexp.MustCompile(`<a class="btn small" href="([^"]*)"[^>]*>([^<]+)</a>`)

// shareHrefs maps a network's name on the send page to its link.
func shareHrefs(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		out[m[2]] = html.UnescapeString(m[1])
	}
	return out
}

func TestSelfServiceLeadsToTheSendPage(t *testing.T) {
	f := newFixture(t)
	code, loc, _ := f.selfServe("ligestilling", map[string]string{"name": "Åse Holm", "title": "Adm. direktør", "org": "Novo Nordisk"})
	if code != http.StatusSeeOther || !strings.HasSuffix(loc, "/send?lang=da") {
		t.Fatalf("%d %q, want 303 to /i/{token}/send", code, loc)
	}
	token := strings.TrimSuffix(strings.TrimPrefix(loc, "/i/"), "/send?lang=da")
	page := "https://invitation.example.dk/i/" + token
	before := len(f.events.All())

	w := f.do(req{method: "GET", path: loc})
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()

	t.Run("nothing is counted", func(t *testing.T) {
		if after := f.events.All(); len(after) != before {
			t.Errorf("the send page recorded %v", after[before:])
		}
	})
	t.Run("it is kept out of search engines and shared caches", func(t *testing.T) {
		if !strings.Contains(body, `<meta name="robots" content="noindex, nofollow">`) || w.Header().Get("X-Robots-Tag") != "noindex, nofollow" {
			t.Error("no noindex")
		}
		if cc := w.Header().Get("Cache-Control"); cc != "private, no-store" {
			t.Errorf("Cache-Control %q", cc)
		}
		if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP %q", csp)
		}
	})
	t.Run("the link is in a read-only field with a copy button for the script", func(t *testing.T) {
		for _, want := range []string{
			`<input id="link" type="url" value="` + page + `" readonly`,
			`<button type="button" id="copy" class="btn primary">Kopiér linket</button>`,
			`<p id="send-status" class="status" role="status" aria-live="polite"></p>`,
			`<script src="/static/send.js?v=`,
			`<h1>Send invitationen</h1>`,
			`Invitationen til Åse Holm er klar.`,
			`<html lang="da">`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("send page lacks %s", want)
			}
		}
		if strings.Contains(body, "<script>") || strings.Contains(body, " style=") || strings.Contains(body, "onclick") {
			t.Error("inline script or style")
		}
	})
	t.Run("the QR code is an image with a PNG download", func(t *testing.T) {
		for _, want := range []string{
			`<img src="/i/` + token + `/qr.svg?v=` + share.QRVersion + `" width="200" height="200" alt="QR-kode med linket til invitationen">`,
			`<a href="/i/` + token + `/qr.png?v=` + share.QRVersion + `" download>Hent QR-koden (PNG)</a>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("send page lacks %s", want)
			}
		}
	})
	t.Run("the invitation can be opened as the invitee sees it", func(t *testing.T) {
		if !strings.Contains(body, `<a href="/i/`+token+`">Åbn invitationen</a>`) {
			t.Error("no link to the invitation")
		}
	})
	t.Run("the share sheet button carries the link and the cards", func(t *testing.T) {
		m := regexp.MustCompile(`data-files="([^"]*)"`).FindStringSubmatch(body)
		if m == nil {
			t.Fatal("no data-files")
		}
		var files []struct{ URL, Name string }
		if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &files); err != nil {
			t.Fatal(err)
		}
		if len(files) != 3 {
			t.Fatalf("files %+v, want square, portrait and story", files)
		}
		for i, v := range []string{"square", "portrait", "story"} {
			if !strings.HasPrefix(files[i].URL, "/i/"+token+"/"+v+".png?v=") || files[i].Name != "aase-holm-"+v+".png" {
				t.Errorf("file %d = %+v", i, files[i])
			}
			// The file the share sheet fetches is really there.
			u, _ := url.Parse(files[i].URL)
			if w := f.do(req{method: "HEAD", path: u.Path}); w.Code != 200 {
				t.Errorf("HEAD %s: %d", u.Path, w.Code)
			}
		}
		if !strings.Contains(body, `id="share" class="btn primary" hidden data-url="`+page+`"`) {
			t.Error("the share button is not hidden until the script finds Web Share, or lacks the link")
		}
	})
	t.Run("every network link carries the page, encoded", func(t *testing.T) {
		links := shareHrefs(t, body)
		title := "Åse Holm, du er inviteret til Festen for ligestilling i 2061"
		for _, tc := range []struct {
			network, prefix, param, want string
		}{
			{"LinkedIn", "https://www.linkedin.com/sharing/share-offsite/?", "url", page},
			{"Facebook", "https://www.facebook.com/sharer/sharer.php?", "u", page},
			{"X", "https://twitter.com/intent/tweet?", "url", page},
			{"WhatsApp", "https://wa.me/?", "text", title + " " + page},
			{"Messenger", "fb-messenger://share?", "link", page},
			{"E-mail", "mailto:?", "subject", title},
		} {
			href, ok := links[tc.network]
			if !ok {
				t.Errorf("no %s link among %v", tc.network, links)
				continue
			}
			if !strings.HasPrefix(href, tc.prefix) {
				t.Errorf("%s link %q, want it to start %q", tc.network, href, tc.prefix)
				continue
			}
			q, err := url.ParseQuery(href[len(tc.prefix):])
			if err != nil || q.Get(tc.param) != tc.want {
				t.Errorf("%s link %q: %s = %q (%v), want %q", tc.network, href, tc.param, q.Get(tc.param), err, tc.want)
			}
			if strings.ContainsAny(href[len(tc.prefix):], " /:") && tc.network != "Messenger" {
				// A raw slash or colon in a query value is legal, but these
				// are all escaped: the page URL must arrive whole.
				t.Errorf("%s link %q has unescaped characters", tc.network, href)
			}
		}
		mail := links["E-mail"]
		if strings.Contains(mail, "+") || !strings.Contains(mail, "%20") {
			t.Errorf("mailto %q: spaces must be %%20, never +", mail)
		}
		if body, _ := url.PathUnescape(mail[strings.Index(mail, "body=")+5:]); !strings.HasSuffix(body, "\r\n\r\n"+page) {
			t.Errorf("mailto body %q does not end with the link", body)
		}
		if !strings.Contains(body, `<li class="touch-only"><a class="btn small" href="fb-messenger://share?link=`) {
			t.Error("Messenger's app link is not marked for phones only")
		}
	})
}

func TestSendPageSpeaksTheCampaignsLanguage(t *testing.T) {
	f := newFixture(t)
	_, loc, _ := f.selfServe("equality-2061", map[string]string{"name": "Jane Doe"})
	w := f.do(req{method: "GET", path: loc})
	wantStatus(t, w, http.StatusOK)
	body := w.Body.String()
	for _, want := range []string{`<html lang="en">`, "<h1>Send the invitation</h1>", "The invitation for Jane Doe is ready.", ">Copy the link<", ">Open the invitation<", ">Email<", "Download the QR code (PNG)"} {
		if !strings.Contains(body, want) {
			t.Errorf("English send page lacks %s", want)
		}
	}
	for _, bad := range []string{"Kopiér", "Åbn", "invitationen"} {
		if strings.Contains(body, bad) {
			t.Errorf("English send page has the Danish %q", bad)
		}
	}
}

func TestSendPageOfABadLink(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + tok[:len(tok)-3] + "/send"}), http.StatusNotFound)
	wantStatus(t, f.do(req{method: "DELETE", path: "/api/v1/invitations/" + tok, header: admin()}), http.StatusNoContent)
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + tok + "/send"}), http.StatusGone)
}

func TestSelfServiceRefusesBlockedWords(t *testing.T) {
	for _, tc := range []struct {
		name     string
		campaign string
		form     map[string]string
		message  string
	}{
		{"a name", "ligestilling", map[string]string{"name": "Fuck Hansen"}, "Navnet kan ikke bruges på kampagnens kort. Skriv et andet."},
		{"a spaced-out name", "ligestilling", map[string]string{"name": "f u c k"}, "Navnet kan ikke bruges"},
		{"a title with digits for letters", "ligestilling", map[string]string{"name": "Lars Hansen", "title": "Sh1t Direktør"}, "Titlen kan ikke bruges på kampagnens kort. Skriv en anden."},
		{"an organisation in Danish", "ligestilling", map[string]string{"name": "Lars Hansen", "org": "Lortefirma A/S"}, "Organisationen kan ikke bruges"},
		{"a name on the English campaign", "equality-2061", map[string]string{"name": "C.U.N.T"}, "The name cannot be used on the campaign's card. Please write another."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			code, loc, body := f.selfServe(tc.campaign, tc.form)
			if code != http.StatusUnprocessableEntity || loc != "" {
				t.Fatalf("%d %q, want 422 and no link", code, loc)
			}
			if !strings.Contains(body, `<p class="error" role="alert" id="form-error">`+html.EscapeString(tc.message)) {
				t.Errorf("the form does not say %q", tc.message)
			}
			for field, typed := range tc.form {
				if !strings.Contains(body, `name="`+field+`"`) || !strings.Contains(body, `value="`+html.EscapeString(typed)+`"`) {
					t.Errorf("the form does not keep the %s %q", field, typed)
				}
			}
			if f.events.Count(stats.Minted) != 0 {
				t.Error("a refused entry was minted")
			}
			if f.events.Count(stats.SelfServiceRefused) != 1 {
				t.Fatalf("refusals counted %d times, want once", f.events.Count(stats.SelfServiceRefused))
			}
			ev, _ := f.events.Last(stats.SelfServiceRefused)
			if ev.Campaign != tc.campaign || ev.Token != "" || ev.IP != "" || ev.UserAgent != "" || ev.Variant != "" {
				t.Errorf("the refusal event carries more than its campaign: %+v", ev)
			}
		})
	}
}

func TestSelfServiceLetsOrdinaryNamesThrough(t *testing.T) {
	f := newFixture(t)
	for _, name := range []string{"Dick Hansen", "Anne Scunthorpe", "Bo Assens", "Lis Hellerup", "Kim Grevinge", "Jo Sussex"} {
		if code, loc, _ := f.selfServe("ligestilling", map[string]string{"name": name}); code != http.StatusSeeOther {
			t.Errorf("%q: %d %q, want it made", name, code, loc)
		}
		f = newFixture(t) // a fresh rate limit for each
	}
}

func TestTheCampaignTeamIsNotFiltered(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "POST", path: "/api/v1/invitations", header: admin(), body: `{"campaign":"ligestilling","name":"Fuck Hansen"}`})
	wantStatus(t, w, http.StatusCreated)
	w = f.do(req{method: "POST", path: "/api/v1/invitations/batch?campaign=ligestilling", header: admin("Content-Type", "text/csv"), body: "name,title,org\nLars Lort,Sh1t,Lortefirma\n"})
	wantStatus(t, w, http.StatusOK)
	if strings.Contains(w.Body.String(), "cannot be used") || f.events.Count(stats.Minted) != 2 {
		t.Errorf("the batch was filtered: %s", w.Body.String())
	}
	if f.events.Count(stats.SelfServiceRefused) != 0 {
		t.Error("the campaign team's own invitations were counted as refusals")
	}
}

// TestRefusalsAreCountedWithoutTheText: the counter reaches Redis, and
// no key or value there holds what was typed.
func TestRefusalsAreCountedWithoutTheText(t *testing.T) {
	rdb, prefix := testredis.Client(t)
	rec := stats.NewRecorder(stats.Options{Redis: rdb, Prefix: prefix})
	t.Cleanup(func() { rec.Close(context.Background()) })
	signer, err := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	e, _ := build(t, parts{cfg: testConfig(), signer: signer, cache: cache.New(cache.Options{MemoryBytes: 16 << 20}), stats: rec})
	f := &fixture{t: t, e: e, signer: signer}
	typed := []map[string]string{{"name": "Fuckerson Unique"}, {"name": "Lars Zyxwv", "org": "Lortefirma"}}
	for _, vals := range typed {
		if code, _, _ := f.selfServe("ligestilling", vals); code != http.StatusUnprocessableEntity {
			t.Fatalf("%v: %d", vals, code)
		}
	}
	if err := rec.Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
	r, err := rec.Report(context.Background(), stats.Query{Campaign: "ligestilling", From: time.Now().Add(-time.Hour), To: time.Now().Add(time.Hour), Granularity: stats.Hour})
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.SelfServiceRefused != 2 {
		t.Errorf("refusals = %d, want 2", r.Totals.SelfServiceRefused)
	}
	ctx := context.Background()
	keys, err := rdb.Keys(ctx, prefix+"*").Result()
	if err != nil || len(keys) == 0 {
		t.Fatalf("keys %v, %v", keys, err)
	}
	var all bytes.Buffer
	for _, k := range keys {
		all.WriteString(k + "\n")
		switch rdb.Type(ctx, k).Val() {
		case "hash":
			for f, v := range rdb.HGetAll(ctx, k).Val() {
				all.WriteString(f + "=" + v + "\n")
			}
		case "string":
			all.WriteString(rdb.Get(ctx, k).Val() + "\n")
		case "set":
			all.WriteString(strings.Join(rdb.SMembers(ctx, k).Val(), "\n"))
		case "zset":
			all.WriteString(strings.Join(rdb.ZRange(ctx, k, 0, -1).Val(), "\n"))
		}
	}
	if !strings.Contains(all.String(), "self_service_refused") {
		t.Errorf("no refusal counter in Redis:\n%s", all.String())
	}
	for _, secret := range []string{"fuck", "Fuckerson", "Unique", "Zyxwv", "Lorte", "lorte"} {
		if strings.Contains(all.String(), secret) {
			t.Errorf("Redis holds %q:\n%s", secret, all.String())
		}
	}
}

func TestDraftPreview(t *testing.T) {
	for _, tc := range []struct {
		name, path string
		status     int
		message    string
	}{
		{"a name", "/c/ligestilling/preview.jpg?name=Lars+Hansen&title=Adm.+direkt%C3%B8r&org=Novo+Nordisk", 200, ""},
		{"no name", "/c/ligestilling/preview.jpg?name=", 422, "Skriv et navn."},
		{"a name too long", "/c/ligestilling/preview.jpg?name=" + strings.Repeat("a", invite.MaxNameChars+1), 422, "Navnet er for langt"},
		{"a character no font draws", "/c/ligestilling/preview.jpg?name=%E1%8F%A3%E1%8E%B3%E1%8E%A9", 422, "kortet ikke kan vise"},
		{"a blocked word", "/c/ligestilling/preview.jpg?name=f.u.c.k", 422, "Navnet kan ikke bruges på kampagnens kort."},
		{"a blocked word in the organisation", "/c/ligestilling/preview.jpg?name=Lars&org=Lortefirma", 422, "Organisationen kan ikke bruges"},
		{"a blocked word in English", "/c/equality-2061/preview.jpg?name=Lars&title=Sh1t", 422, "The title cannot be used"},
		{"an unknown campaign", "/c/nope/preview.jpg?name=Lars", 404, "no such campaign"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			w := f.do(req{method: "GET", path: tc.path})
			wantStatus(t, w, tc.status)
			if tc.status == 200 {
				if ct := w.Header().Get("Content-Type"); ct != "image/jpeg" {
					t.Errorf("Content-Type %q", ct)
				}
				if cc := w.Header().Get("Cache-Control"); cc != "private, max-age=60" {
					t.Errorf("Cache-Control %q: a draft is kept briefly, by the browser only", cc)
				}
				img, err := jpeg.Decode(bytes.NewReader(w.Body.Bytes()))
				if err != nil {
					t.Fatal(err)
				}
				if b := img.Bounds(); b.Dx() != share.DraftWidth || b.Dy() != 315 {
					t.Errorf("draft is %v, want 600×315", b)
				}
			} else {
				var body map[string]string
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || !strings.Contains(body["error"], tc.message) {
					t.Errorf("body %s, want an error saying %q", w.Body.String(), tc.message)
				}
				if strings.Contains(strings.ToLower(w.Body.String()), "fuck") {
					t.Error("the refusal repeats the word")
				}
			}
			for _, k := range []stats.Kind{stats.Minted, stats.ImageRendered, stats.SelfServiceRefused, stats.PageView} {
				if n := f.events.Count(k); n != 0 {
					t.Errorf("a draft recorded %d %s", n, k)
				}
			}
		})
	}
}

func TestDraftDrawsWhatWasTyped(t *testing.T) {
	f := newFixture(t)
	a := f.do(req{method: "GET", path: "/c/ligestilling/preview.jpg?name=Lars+Hansen"})
	b := f.do(req{method: "GET", path: "/c/ligestilling/preview.jpg?name=Mette+Frederiksen"})
	wantStatus(t, a, 200)
	wantStatus(t, b, 200)
	if bytes.Equal(a.Body.Bytes(), b.Body.Bytes()) {
		t.Error("two names drew the same draft")
	}
}

func TestDraftPreviewIsRateLimitedApartFromMaking(t *testing.T) {
	f := newFixture(t) // SelfServiceRate 3: 18 drafts a minute
	allowed := testConfig().SelfServiceRate * draftsPerInvitation
	for i := 0; i < allowed; i++ {
		// Refused entries are cheap and count against the limit too.
		if w := f.do(req{method: "GET", path: "/c/ligestilling/preview.jpg?name="}); w.Code != 422 {
			t.Fatalf("draft %d: %d", i+1, w.Code)
		}
	}
	w := f.do(req{method: "GET", path: "/c/ligestilling/preview.jpg?name=Lars"})
	wantError(t, w, http.StatusTooManyRequests, "too many previews")
	if ra := w.Header().Get("Retry-After"); ra == "" || ra == "0" {
		t.Errorf("Retry-After %q", ra)
	}
	// Making the invitation has a limit of its own.
	if code, _, _ := f.selfServe("ligestilling", map[string]string{"name": "Lars Hansen"}); code != http.StatusSeeOther {
		t.Errorf("after many previews, making the invitation answered %d", code)
	}
}

func TestCampaignPageHasTheLivePreview(t *testing.T) {
	f := newFixture(t)
	w := f.do(req{method: "GET", path: "/c/ligestilling"})
	wantStatus(t, w, 200)
	body := w.Body.String()
	for _, want := range []string{
		`<script src="/static/preview.js?v=`,
		`<figure class="preview" data-preview="/c/ligestilling/preview.jpg"`,
		`<img id="preview" src="/c/ligestilling/og.jpg?v=`,
		`width="600" height="315" alt="Kampagnens kort" aria-describedby="preview-status">`,
		`<p id="preview-status" class="status" role="status" aria-live="polite"></p>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("campaign page lacks %s", want)
		}
	}
	for _, path := range []string{"/static/preview.js", "/static/send.js"} {
		w := f.do(req{method: "GET", path: path})
		wantStatus(t, w, 200)
		if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
	}
}
