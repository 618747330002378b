package server

import (
	"bytes"
	"compress/gzip"
	"image"
	_ "image/jpeg"
	_ "image/png"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testcampaign"
)

// declineForm is a browser posting the invitation page's decline form.
var declineForm = map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Origin": "https://invitation.example.dk"}

// declineCookie posts the decline and returns the answer and the cookie
// it sets, as a Cookie header value.
func (f *fixture) decline(t *testing.T, tok string, cookie string) (*httptest.ResponseRecorder, string) {
	t.Helper()
	h := map[string]string{}
	for k, v := range declineForm {
		h[k] = v
	}
	if cookie != "" {
		h["Cookie"] = cookie
	}
	w := f.do(req{method: "POST", path: "/i/" + tok + "/decline", header: h})
	for _, c := range w.Result().Cookies() {
		if c.Name == declinedCookie {
			return w, c.Name + "=" + c.Value
		}
	}
	return w, ""
}

// directSet is the shipped campaigns with ligestilling set to decline
// straight to the learning site.
func directSet(t *testing.T) *campaign.Set {
	return testcampaign.Edited(t, map[string]func(string) string{
		"ligestilling.yaml": func(s string) string { return strings.Replace(s, "decline: confirm", "decline: direct", 1) },
	})
}

// noCardSet is the shipped campaigns with ligestilling's "I declined"
// card taken out.
func noCardSet(t *testing.T) *campaign.Set {
	return testcampaign.Edited(t, map[string]func(string) string{
		"ligestilling.yaml": func(s string) string {
			i := strings.Index(s, "\ndeclined:\n")
			if i < 0 {
				t.Fatal("ligestilling.yaml has no declined: section")
			}
			return s[:i+1]
		},
	})
}

// TestDeclineAnswers: declining counts the decline before anything else,
// remembers it on the device, and leads on to the confirmation, or
// straight to the learning site where the campaign says decline: direct.
func TestDeclineAnswers(t *testing.T) {
	tests := []struct {
		name     string
		set      func(*testing.T) *campaign.Set
		campaign string
		wantPath string // "" : the learning site
		learning int    // learning clicks counted by the decline itself
	}{
		{"confirm (the default) leads to the thanks", nil, "ligestilling", "/declined", 0},
		{"the English campaign confirms too", nil, "equality-2061", "/declined", 0},
		{"direct leads straight to the learning site", directSet, "ligestilling", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.set != nil {
				f = newFixtureWith(t, tt.set(t))
			}
			tok := f.token(invite.Invitation{Campaign: tt.campaign, Name: "Lars Hansen"})
			w, cookie := f.decline(t, tok, "")
			wantStatus(t, w, http.StatusSeeOther)
			if f.events.Count(stats.Decline) != 1 || f.events.Count(stats.LearningClick) != tt.learning {
				t.Errorf("counted %d declines and %d learning clicks, want 1 and %d", f.events.Count(stats.Decline), f.events.Count(stats.LearningClick), tt.learning)
			}
			loc := w.Header().Get("Location")
			if tt.wantPath != "" {
				if loc != "/i/"+tok+tt.wantPath+"?lang="+defaultLangOf[tt.campaign] {
					t.Fatalf("Location %q, want the confirmation", loc)
				}
			} else {
				camp, _ := f.app.share.Campaigns().Lookup(tt.campaign)
				want, _ := share.LearningURL(camp, tok)
				if loc != want {
					t.Fatalf("Location %q, want the learning site %q", loc, want)
				}
			}
			if w.Header().Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", w.Header().Get("Cache-Control"))
			}
			if cookie == "" {
				t.Fatal("no declined cookie")
			}
		})
	}
}

// TestTheDeclinedCookie: the cookie holds a mark per invitation and no
// name or token, is the site's own (HttpOnly, SameSite=Lax, Secure under
// https, Path /i/), lasts half a year, and stays small however many
// invitations one device declines.
func TestTheDeclinedCookie(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	w, _ := f.decline(t, tok, "")
	var c *http.Cookie
	for _, ck := range w.Result().Cookies() {
		if ck.Name == declinedCookie {
			c = ck
		}
	}
	if c == nil {
		t.Fatal("no cookie")
	}
	if c.Path != "/i/" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || !c.Secure || c.MaxAge != 180*24*3600 {
		t.Errorf("cookie %+v", c)
	}
	if c.Value != declinedMark(tok) || strings.Contains(c.Value, "Lars") || strings.Contains(tok, c.Value) {
		t.Errorf("cookie value %q", c.Value)
	}

	cookie := ""
	var toks []string
	for i := 0; i < declinedMarks+5; i++ {
		tok := f.token(invitation("Person " + strings.Repeat("a", i+1)))
		toks = append(toks, tok)
		_, cookie = f.decline(t, tok, cookie)
	}
	value := strings.TrimPrefix(cookie, declinedCookie+"=")
	if marks := strings.Split(value, "."); len(marks) != declinedMarks || marks[0] != declinedMark(toks[len(toks)-1]) {
		t.Errorf("%d marks, newest %q", len(marks), marks[0])
	}
	if len(cookie) > 300 {
		t.Errorf("the cookie is %d bytes", len(cookie))
	}
	// Declining again keeps one mark for it, first.
	_, again := f.decline(t, toks[3], cookie)
	if v := strings.TrimPrefix(again, declinedCookie+"="); strings.Count(v, declinedMark(toks[3])) != 1 || !strings.HasPrefix(v, declinedMark(toks[3])) {
		t.Errorf("declined again: %q", v)
	}
	// A cookie someone wrote by hand is read without harm and cleaned.
	_, clean := f.decline(t, tok, declinedCookie+"=zz.<script>."+strings.Repeat("a", 5000))
	if v := strings.TrimPrefix(clean, declinedCookie+"="); v != declinedMark(tok) {
		t.Errorf("a forged cookie became %q", v)
	}
}

// metas reads a page's meta tags.
func metas(body string) map[string]string {
	m := map[string]string{}
	for _, x := range metaRE.FindAllStringSubmatch(body, -1) {
		m[x[1]] = x[2]
	}
	return m
}

var buttonHrefRE = regexp.MustCompile(`<a class="btn( primary)?" href="([^"]+)"`)

// TestTheConfirmationPage: the decliner is thanked, with the learning site
// as the one primary action and their "I declined" card to share; the
// page's preview is the card; anyone the page is shared with sees what
// the card says and the way to learn.
func TestTheConfirmationPage(t *testing.T) {
	tests := []struct {
		campaign, heading, visitorHeading, learn, download string
	}{
		{"ligestilling", "Tak, fordi du takkede nej", "Lars Hansen har takket nej til festen i 2061 – den skal komme før", "Lær, hvordan vi når det før", "lars-hansen-takket-nej-story.png"},
		{"equality-2061", "Thank you for declining", "Lars Hansen has declined the party in 2061 – it must come sooner", "Learn how we get there sooner", "lars-hansen-declined-story.png"},
	}
	for _, tt := range tests {
		t.Run(tt.campaign, func(t *testing.T) {
			f := newFixture(t)
			tok := f.token(invite.Invitation{Campaign: tt.campaign, Name: "Lars Hansen"})
			_, cookie := f.decline(t, tok, "")
			w := f.do(req{method: "GET", path: "/i/" + tok + "/declined", header: map[string]string{"Cookie": cookie}})
			wantStatus(t, w, 200)
			body := w.Body.String()
			if !strings.Contains(body, "<h1 dir=\"auto\">"+tt.heading+"</h1>") {
				t.Errorf("no heading %q", tt.heading)
			}
			if f.events.Count(stats.Decline) != 1 || f.events.Count(stats.PageView) != 0 {
				t.Errorf("the decliner's own view counted: %d declines, %d page views", f.events.Count(stats.Decline), f.events.Count(stats.PageView))
			}
			if cc, v := w.Header().Get("Cache-Control"), strings.Join(w.Header().Values("Vary"), ", "); cc != "private, no-store" || !strings.Contains(v, "Cookie") {
				t.Errorf("Cache-Control %q, Vary %q", cc, v)
			}
			// One primary action: the learning site, through the counted
			// redirect, which lands with the UTM tags.
			links := buttonHrefRE.FindAllStringSubmatch(body, -1)
			primary := 0
			for _, l := range links {
				if l[1] != "" {
					primary++
					if l[2] != "/i/"+tok+"/learn?lang="+defaultLangOf[tt.campaign] {
						t.Errorf("primary action %q", l[2])
					}
				}
			}
			if primary != 1 || !strings.Contains(body, ">"+tt.learn+"</a>") {
				t.Errorf("%d primary actions; labelled %q?", primary, tt.learn)
			}
			lw := f.do(req{method: "GET", path: "/i/" + tok + "/learn"})
			wantStatus(t, lw, http.StatusSeeOther)
			camp, _ := f.app.share.Campaigns().Lookup(tt.campaign)
			want, _ := share.LearningURL(camp, tok)
			if lw.Header().Get("Location") != want || !strings.Contains(want, "utm_source=sharecard") {
				t.Errorf("learn Location %q, want %q", lw.Header().Get("Location"), want)
			}
			if f.events.Count(stats.LearningClick) != 1 {
				t.Errorf("learning clicks %d", f.events.Count(stats.LearningClick))
			}
			// The card, its LinkedIn share and its Instagram downloads.
			m := metas(body)
			wantImage := "https://invitation.example.dk/i/" + tok + "/declined/og.jpg?v="
			if !strings.HasPrefix(m["og:image"], wantImage) || m["og:image:type"] != "image/jpeg" || m["og:image:width"] != "1200" || m["og:image:height"] != "630" ||
				m["og:image:secure_url"] != m["og:image"] || m["og:image:alt"] == "" || m["twitter:image:alt"] != m["og:image:alt"] || m["twitter:card"] != "summary_large_image" {
				t.Errorf("image tags %v", m)
			}
			if m["og:url"] != "https://invitation.example.dk/i/"+tok+"/declined" || !strings.Contains(body, `<link rel="canonical" href="`+m["og:url"]+`">`) {
				t.Errorf("og:url %q", m["og:url"])
			}
			if n := utf8.RuneCountInString(m["og:title"]); n == 0 || n > campaign.MaxTitle {
				t.Errorf("og:title %q is %d characters", m["og:title"], n)
			}
			if n := utf8.RuneCountInString(m["og:description"]); n == 0 || n > campaign.MaxDescription {
				t.Errorf("og:description %q is %d characters", m["og:description"], n)
			}
			if m["og:site_name"] == "" || m["og:locale"] != camp.Locale {
				t.Errorf("site name %q, locale %q", m["og:site_name"], m["og:locale"])
			}
			if !strings.Contains(body, `href="/i/`+tok+`/declined/share"`) {
				t.Error("no LinkedIn share of the confirmation")
			}
			sw := f.do(req{method: "GET", path: "/i/" + tok + "/declined/share"})
			wantStatus(t, sw, http.StatusSeeOther)
			if sw.Header().Get("Location") != share.LinkedInShare("https://invitation.example.dk/i/"+tok+"/declined") || f.events.Count(stats.ShareClick) != 1 {
				t.Errorf("share Location %q, %d share clicks", sw.Header().Get("Location"), f.events.Count(stats.ShareClick))
			}
			for _, v := range []string{"square", "portrait", "story"} {
				if !strings.Contains(body, `href="/i/`+tok+`/declined/download/`+v+`.png?v=`) {
					t.Errorf("no %s download", v)
				}
			}
			dl := f.do(req{method: "GET", path: "/i/" + tok + "/declined/download/story.png"})
			wantStatus(t, dl, 200)
			if _, p, _ := mime.ParseMediaType(dl.Header().Get("Content-Disposition")); p["filename"] != tt.download {
				t.Errorf("download named %q, want %q", p["filename"], tt.download)
			}
			if ev, _ := f.events.Last(stats.Download); ev.Variant != "declined-story" {
				t.Errorf("download counted as %q", ev.Variant)
			}

			// Anyone else (no cookie): what the card says, a page view.
			v := f.do(req{method: "GET", path: "/i/" + tok + "/declined"})
			wantStatus(t, v, 200)
			vb := v.Body.String()
			if !strings.Contains(vb, ">"+tt.visitorHeading+"</h1>") || strings.Contains(vb, tt.heading) {
				t.Errorf("a visitor's heading is not %q", tt.visitorHeading)
			}
			if !strings.Contains(vb, `href="/c/`+tt.campaign+`?lang=`+defaultLangOf[tt.campaign]+`"`) || strings.Contains(vb, "/declined/download/") {
				t.Error("a visitor is not offered their own invitation, or is offered the decliner's downloads")
			}
			if f.events.Count(stats.PageView) != 1 {
				t.Errorf("a visitor's view counted %d times", f.events.Count(stats.PageView))
			}
			// A platform unfurling the shared link: a preview.
			f.do(req{method: "GET", path: "/i/" + tok + "/declined", header: map[string]string{"User-Agent": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"}})
			if f.events.Count(stats.PreviewFetch) != 1 || f.events.Count(stats.PageView) != 1 {
				t.Errorf("a crawler counted as %d previews, %d page views", f.events.Count(stats.PreviewFetch), f.events.Count(stats.PageView))
			}
			if f.events.Count(stats.Decline) != 1 {
				t.Errorf("%d declines after the page was seen", f.events.Count(stats.Decline))
			}
		})
	}
}

// TestTheDeclinedCardImages: the "I declined" card in all four sizes for
// both shipped campaigns, at addresses of its own.
func TestTheDeclinedCardImages(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		file, ctype string
		w, h        int
	}{
		{"og.jpg", "image/jpeg", 1200, 630},
		{"square.png", "image/png", 1080, 1080},
		{"portrait.png", "image/png", 1080, 1350},
		{"story.png", "image/png", 1080, 1920},
	}
	for _, id := range []string{"ligestilling", "equality-2061"} {
		tok := f.token(invite.Invitation{Campaign: id, Name: "Lars Hansen"})
		for _, tt := range tests {
			t.Run(id+" "+tt.file, func(t *testing.T) {
				w := f.do(req{method: "GET", path: "/i/" + tok + "/declined/" + tt.file})
				wantStatus(t, w, 200)
				if ct := w.Header().Get("Content-Type"); ct != tt.ctype {
					t.Errorf("Content-Type %q", ct)
				}
				cfg, _, err := image.DecodeConfig(bytes.NewReader(w.Body.Bytes()))
				if err != nil || cfg.Width != tt.w || cfg.Height != tt.h {
					t.Errorf("%dx%d (%v), want %dx%d", cfg.Width, cfg.Height, err, tt.w, tt.h)
				}
				inv := f.do(req{method: "GET", path: "/i/" + tok + "/" + tt.file})
				if inv.Header().Get("ETag") == w.Header().Get("ETag") || bytes.Equal(inv.Body.Bytes(), w.Body.Bytes()) {
					t.Error("the declined card shares the invitation's address or bytes")
				}
				head := f.do(req{method: "HEAD", path: "/i/" + tok + "/declined/" + tt.file})
				wantStatus(t, head, 200)
				if head.Body.Len() != 0 || head.Header().Get("Content-Length") != itoa(w.Body.Len()) {
					t.Error("HEAD differs from GET")
				}
			})
		}
	}
	// The served event names the card, so the numbers keep them apart.
	tok := f.token(invitation("Lars Hansen"))
	f.do(req{method: "GET", path: "/i/" + tok + "/declined/square.png"})
	if ev, _ := f.events.Last(stats.ImageServed); ev.Variant != "declined-square" || ev.Format != "png" {
		t.Errorf("image_served %+v", ev)
	}
}

// TestTheInvitationRemembersTheDecline: the device that declined sees
// its declined state instead of the button; no one else does, from the
// page cache or a shared one.
func TestTheInvitationRemembersTheDecline(t *testing.T) {
	tests := []struct {
		name     string
		set      func(*testing.T) *campaign.Set
		campaign string
		state    string
		cardLink bool
	}{
		{"Danish", nil, "ligestilling", "Du har takket nej – tak", true},
		{"English", nil, "equality-2061", "You declined – thank you", true},
		{"a campaign without the card", noCardSet, "ligestilling", "Du har takket nej – tak", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			if tt.set != nil {
				f = newFixtureWith(t, tt.set(t))
			}
			tok := f.token(invite.Invitation{Campaign: tt.campaign, Name: "Lars Hansen"})
			page := "/i/" + tok
			// Everyone's page first, so the page cache holds it.
			before := f.do(req{method: "GET", path: page, header: map[string]string{"Accept-Encoding": "gzip"}})
			wantStatus(t, before, 200)
			_, cookie := f.decline(t, tok, "")
			for _, enc := range []string{"", "gzip"} {
				w := f.do(req{method: "GET", path: page, header: map[string]string{"Cookie": cookie, "Accept-Encoding": enc}})
				wantStatus(t, w, 200)
				body := readBody(t, w)
				if !strings.Contains(body, tt.state) || strings.Contains(body, `action="/i/`+tok+`/decline?lang=`) {
					t.Errorf("%q: no declined state, or still the decline button", enc)
				}
				if !strings.Contains(body, `class="btn primary" href="/i/`+tok+`/learn?lang=`) {
					t.Error("no way to the learning site")
				}
				if got := strings.Contains(body, `href="/i/`+tok+`/declined?lang=`); got != tt.cardLink {
					t.Errorf("link to the card: %v, want %v", got, tt.cardLink)
				}
				if cc := w.Header().Get("Cache-Control"); cc != "private, no-store" || !strings.Contains(w.Header().Get("Vary"), "Cookie") {
					t.Errorf("declined page Cache-Control %q, Vary %q", cc, w.Header().Get("Vary"))
				}
			}
			// Another client, and another invitation's cookie, get the
			// page everyone gets.
			other := f.token(invite.Invitation{Campaign: tt.campaign, Name: "Tove Ditlevsen"})
			_, otherCookie := f.decline(t, other, "")
			for name, h := range map[string]map[string]string{
				"no cookie":                   {"Accept-Encoding": "gzip"},
				"another invitation's cookie": {"Accept-Encoding": "gzip", "Cookie": otherCookie},
				"no cookie, no gzip":          {},
			} {
				w := f.do(req{method: "GET", path: page, header: h})
				body := readBody(t, w)
				if strings.Contains(body, tt.state) || !strings.Contains(body, `action="/i/`+tok+`/decline?lang=`) {
					t.Errorf("%s: sees the declined state", name)
				}
				if cc := w.Header().Get("Cache-Control"); cc != "public, max-age=300" || !strings.Contains(w.Header().Get("Vary"), "Cookie") {
					t.Errorf("%s: Cache-Control %q, Vary %q", name, cc, w.Header().Get("Vary"))
				}
			}
		})
	}
}

func readBody(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	if w.Header().Get("Content-Encoding") != "gzip" {
		return w.Body.String()
	}
	zr, err := gzip.NewReader(w.Body)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestACampaignWithoutTheCard: the thanks without a card to share, whose
// preview is the invitation; the card's addresses are 404.
func TestACampaignWithoutTheCard(t *testing.T) {
	f := newFixtureWith(t, noCardSet(t))
	tok := f.token(invitation("Lars Hansen"))
	_, cookie := f.decline(t, tok, "")
	w := f.do(req{method: "GET", path: "/i/" + tok + "/declined", header: map[string]string{"Cookie": cookie}})
	wantStatus(t, w, 200)
	body := w.Body.String()
	if strings.Contains(body, "declined-card") || strings.Contains(body, "/declined/") {
		t.Error("a campaign without the card shows a card section")
	}
	if m := metas(body); !strings.HasPrefix(m["og:image"], "https://invitation.example.dk/i/"+tok+"/og.jpg?v=") {
		t.Errorf("og:image %q, want the invitation's", m["og:image"])
	}
	// An invitation that offers only some sizes previews the first it has.
	story := f.token(invite.Invitation{Campaign: "ligestilling", Name: "Lars Hansen", Variants: []string{"story"}})
	sw := f.do(req{method: "GET", path: "/i/" + story + "/declined"})
	if m := metas(sw.Body.String()); !strings.HasPrefix(m["og:image"], "https://invitation.example.dk/i/"+story+"/story.png?v=") || m["og:image:height"] != "1920" {
		t.Errorf("og:image %q (%s high), want the invitation's story", m["og:image"], m["og:image:height"])
	}
	for _, p := range []string{"/declined/og.jpg", "/declined/download/story.png"} {
		wantError(t, f.do(req{method: "GET", path: "/i/" + tok + p}), 404, "no card of that kind")
	}
}

// TestBadTokensAfterTheDecline: the new addresses refuse a bad link as
// the others do: 404, a branded page for a browser, JSON otherwise.
func TestBadTokensAfterTheDecline(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	bad := tok[:len(tok)-4]
	gone := f.token(invitation("Tove Ditlevsen"))
	if _, err := f.app.share.Revoke(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, method, path string
		code               int
	}{
		{"a truncated link's confirmation", "GET", "/i/" + bad + "/declined", 404},
		{"a truncated link's card", "GET", "/i/" + bad + "/declined/og.jpg", 404},
		{"a truncated link's card download", "GET", "/i/" + bad + "/declined/download/story.png", 404},
		{"a truncated link's card share", "GET", "/i/" + bad + "/declined/share", 404},
		{"a truncated link's way to learn", "GET", "/i/" + bad + "/learn", 404},
		{"a truncated link's decline", "POST", "/i/" + bad + "/decline", 404},
		{"an unknown size of the card", "GET", "/i/" + tok + "/declined/banner.png", 404},
		{"an unknown extension of the card", "GET", "/i/" + tok + "/declined/og.gif", 404},
		{"a revoked invitation's confirmation", "GET", "/i/" + gone + "/declined", 410},
		{"a revoked invitation's card", "GET", "/i/" + gone + "/declined/og.jpg", 410},
		{"a revoked invitation's decline", "POST", "/i/" + gone + "/decline", 410},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.do(req{method: tt.method, path: tt.path, header: declineForm}), tt.code, "")
			h := map[string]string{"Accept": chromeAccept}
			for k, v := range declineForm {
				h[k] = v
			}
			w := f.do(req{method: tt.method, path: tt.path, header: h})
			wantStatus(t, w, tt.code)
			if ct := w.Header().Get("Content-Type"); tt.method == "GET" && !strings.HasPrefix(ct, "text/html") {
				t.Errorf("a browser gets %q", ct)
			}
		})
	}
	if f.events.Count(stats.Decline) != 0 {
		t.Error("a bad link's decline was counted")
	}
}

// TestDeclineWordsDefault: a campaign that leaves out the declined_*
// texts gets the service's own words, in its language.
func TestDeclineWordsDefault(t *testing.T) {
	strip := func(s string) string {
		var out []string
		skipping := false
		for _, line := range strings.Split(s, "\n") {
			if strings.HasPrefix(line, "  declined_") {
				skipping = true
				continue
			}
			if skipping && strings.HasPrefix(line, "    ") {
				continue
			}
			skipping = false
			out = append(out, line)
		}
		return strings.Join(out, "\n")
	}
	f := newFixtureWith(t, testcampaign.Edited(t, map[string]func(string) string{"ligestilling.yaml": strip, "equality-2061.yaml": strip}))
	tests := []struct {
		campaign, body, title, state string
	}{
		{"ligestilling", declinedText["da"].Body, "Lars Hansen har takket nej", declinedText["da"].State},
		{"equality-2061", declinedText["en"].Body, "Lars Hansen has declined", declinedText["en"].State},
	}
	for _, tt := range tests {
		t.Run(tt.campaign, func(t *testing.T) {
			camp, _ := f.app.share.Campaigns().Lookup(tt.campaign)
			if camp.Texts.DeclinedBody != "" {
				t.Fatal("the texts were not taken out")
			}
			tok := f.token(invite.Invitation{Campaign: tt.campaign, Name: "Lars Hansen"})
			_, cookie := f.decline(t, tok, "")
			body := f.do(req{method: "GET", path: "/i/" + tok + "/declined", header: map[string]string{"Cookie": cookie}}).Body.String()
			if !strings.Contains(body, tt.body) || metas(body)["og:title"] != tt.title {
				t.Errorf("body without %q, or og:title %q", tt.body, metas(body)["og:title"])
			}
			if page := f.do(req{method: "GET", path: "/i/" + tok, header: map[string]string{"Cookie": cookie}}).Body.String(); !strings.Contains(page, tt.state) {
				t.Errorf("the invitation page does not say %q", tt.state)
			}
		})
	}
}

// TestTheConfirmationIsCompressed: gzip when asked, and the answer still
// varies by cookie.
func TestTheConfirmationIsCompressed(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	w := f.do(req{method: "GET", path: "/i/" + tok + "/declined", header: map[string]string{"Accept-Encoding": "gzip"}})
	wantStatus(t, w, 200)
	vary := strings.Join(w.Header().Values("Vary"), ", ")
	if w.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(vary, "Accept-Encoding") || !strings.Contains(vary, "Cookie") {
		t.Errorf("Content-Encoding %q, Vary %q", w.Header().Get("Content-Encoding"), vary)
	}
	size := w.Body.Len()
	if body := readBody(t, w); !strings.Contains(body, "</html>") || size >= len(body) {
		t.Errorf("the compressed page (%d bytes) does not read back smaller", size)
	}
	t.Logf("%d bytes gzip", size)
}

// defaultLangOf is each built-in campaign's language, the one a request
// that names none gets (links within the site then carry it).
var defaultLangOf = map[string]string{"ligestilling": "da", "equality-2061": "en"}
