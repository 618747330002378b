package server

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
)

func invitation(name string) invite.Invitation {
	return invite.Invitation{Campaign: "ligestilling", Name: name, Title: "Adm. direktør", Org: "Novo Nordisk"}
}

var metaRE = regexp.MustCompile(`<meta (?:property|name)="([^"]+)" content="([^"]*)">`)

func TestInvitationPageHead(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	w := f.do(req{method: "GET", path: "/i/" + tok})
	wantStatus(t, w, 200)
	body := w.Body.String()
	head := body[strings.Index(body, "<head>")+len("<head>") : strings.Index(body, "</head>")]
	metas := metaRE.FindAllStringSubmatch(head, -1)
	wantOrder := []string{"og:title", "og:description", "og:url", "og:image", "og:image:width", "og:image:height", "og:image:alt", "og:type", "og:locale", "twitter:card"}
	if len(metas) < len(wantOrder) {
		t.Fatalf("head has %d meta tags: %s", len(metas), head)
	}
	if !strings.HasPrefix(strings.TrimSpace(head), `<meta property="og:title"`) {
		t.Errorf("<head> does not begin with og:title: %.80s", head)
	}
	got := map[string]string{}
	for i, want := range wantOrder {
		if metas[i][1] != want {
			t.Errorf("meta %d is %s, want %s", i, metas[i][1], want)
		}
		got[metas[i][1]] = metas[i][2]
	}
	checks := map[string]string{
		"og:url":          "https://invitation.example.dk/i/" + tok,
		"og:image:width":  "1200",
		"og:image:height": "630",
		"og:type":         "website",
		"og:locale":       "da_DK",
		"twitter:card":    "summary_large_image",
	}
	for k, v := range checks {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	if !strings.HasPrefix(got["og:image"], "https://invitation.example.dk/i/"+tok+"/og.jpg?v=") {
		t.Errorf("og:image %q is not the absolute og JPEG", got["og:image"])
	}
	if !strings.Contains(got["og:title"], "Lars Hansen") || !strings.Contains(got["og:image:alt"], "Lars Hansen") {
		t.Errorf("title/alt not personal: %q / %q", got["og:title"], got["og:image:alt"])
	}
	// The three actions.
	for _, want := range []string{`action="/i/` + tok + `/decline?lang=da"`, `href="/i/` + tok + `/share"`, `/download/square.png`, `/download/portrait.png`, `/download/story.png`, "Afslå invitationen", "Del på LinkedIn", "Hent til Instagram"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	csp := w.Header().Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "form-action 'self' https://www.ligestillingitoppen.dk"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(body, "http://") || strings.Contains(body, "style=") || strings.Contains(body, "<script>") {
		t.Error("the page uses an external or inline resource")
	}
	if w.Header().Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
}

func TestALinkWithoutOGPreviewsItsFirstVariant(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invite.Invitation{Campaign: "ligestilling", Name: "Lars", Variants: []string{"square", "story"}})
	w := f.do(req{method: "GET", path: "/i/" + tok})
	wantStatus(t, w, 200)
	body := w.Body.String()
	for _, want := range []string{`content="https://invitation.example.dk/i/` + tok + `/square.png?v=`, `og:image:width" content="1080"`, `<img src="/i/` + tok + `/square.png?v=`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %s", want)
		}
	}
	if strings.Contains(body, "/og.jpg") || strings.Contains(body, "download/portrait") {
		t.Error("the page offers a variant the link does not")
	}
}

func TestInvitationPageIsSmallGzipAndHEAD(t *testing.T) {
	f := newFixture(t)
	// What a browser fetches before the image: the page, its stylesheet and
	// its script, gzip as served, for the longest name and title allowed.
	long := invite.Invitation{Campaign: "ligestilling", Name: strings.Repeat("Æ", invite.MaxNameChars), Title: strings.Repeat("Ø", invite.MaxExtraChars), Org: strings.Repeat("Å", invite.MaxExtraChars)}
	gzipped := map[string]string{"Accept-Encoding": "gzip"}
	total := 0
	for _, p := range []string{"/i/" + f.token(long), "/c/ligestilling/style.css", "/static/beacon.js"} {
		w := f.do(req{method: "GET", path: p, header: gzipped})
		wantStatus(t, w, 200)
		t.Logf("%s: %d bytes on the wire", p[:min(len(p), 24)], w.Body.Len())
		total += w.Body.Len()
	}
	if total >= 10*1024 {
		t.Errorf("%d bytes before the image, want under 10 KB", total)
	}
	tok := f.token(invitation("Lars Hansen"))
	page := f.do(req{method: "GET", path: "/i/" + tok})
	if page.Body.Len() >= 10*1024 {
		t.Errorf("the uncompressed page alone is %d bytes", page.Body.Len())
	}

	gz := f.do(req{method: "GET", path: "/i/" + tok, header: map[string]string{"Accept-Encoding": "gzip"}})
	wantStatus(t, gz, 200)
	if gz.Header().Get("Content-Encoding") != "gzip" {
		t.Fatal("the page is not served gzip")
	}
	zr, err := gzip.NewReader(gz.Body)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if !bytes.Equal(plain, page.Body.Bytes()) {
		t.Error("gzip body differs from the plain page")
	}
	head := f.do(req{method: "HEAD", path: "/i/" + tok})
	wantStatus(t, head, 200)
	if head.Body.Len() != 0 || !strings.HasPrefix(head.Header().Get("Content-Type"), "text/html") {
		t.Errorf("HEAD: %d body bytes, type %q", head.Body.Len(), head.Header().Get("Content-Type"))
	}
	if _, ok := f.events.Last(stats.PreviewFetch); !ok {
		t.Error("a HEAD request was not counted as a preview fetch")
	}
}

func TestHostileNamesAreEscaped(t *testing.T) {
	// These names are refused by validation; the tokens here are signed
	// directly, as if validation had been bypassed, to show the page still
	// escapes them.
	names := []string{
		`<script>alert(1)</script>`,
		`"><img src=x onerror=alert(1)>`,
		"Lars \u202Enesnah",
		`' onmouseover='alert(1)`,
		strings.Repeat("A", 300),
	}
	f := newFixture(t)
	for _, name := range names {
		tok := f.token(invite.Invitation{Campaign: "ligestilling", Name: name, Title: name, Org: name})
		w := f.do(req{method: "GET", path: "/i/" + tok})
		wantStatus(t, w, 200)
		body := w.Body.String()
		for _, raw := range []string{"<script>alert", "<img src=x", `" onerror`, `' onmouseover='`} {
			if strings.Contains(body, raw) {
				t.Errorf("name %.40q reflected raw: %q found", name, raw)
			}
		}
	}
	// Through the API they never get that far.
	for _, name := range append(names, strings.Repeat("A", 5000)) {
		w := f.do(req{method: "POST", path: "/api/v1/invitations", header: admin(), body: `{"campaign":"ligestilling","name":` + jsonString(name) + `}`})
		wantStatus(t, w, 422)
		if strings.Contains(w.Body.String(), "<script>") || strings.Contains(w.Body.String(), "<img") {
			t.Errorf("the 422 answer reflects markup: %s", w.Body.String())
		}
	}
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

func TestPageViewsAndPreviewFetches(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	f.do(req{method: "GET", path: "/i/" + tok})
	ev, ok := f.events.Last(stats.PageView)
	if !ok || ev.IP != "192.0.2.10" || ev.UserAgent == "" || ev.Campaign != "ligestilling" || ev.Token != tok {
		t.Errorf("page view %+v", ev)
	}
	f.do(req{method: "GET", path: "/i/" + tok, header: map[string]string{"User-Agent": "LinkedInBot/1.0 (compatible; Mozilla/5.0)"}})
	if f.events.Count(stats.PageView) != 1 {
		t.Error("a crawler's fetch became a page view")
	}
	if ev, _ := f.events.Last(stats.PreviewFetch); ev.Platform != "linkedin" {
		t.Errorf("preview fetch platform %q", ev.Platform)
	}
}

func TestBadTokensAre404(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	other, _ := invite.NewSigner([][]byte{[]byte("another-key-0123456789abcdefghij")})
	foreign, _ := other.Encode(invitation("Lars Hansen"))
	unknownCampaign := f.token(invite.Invitation{Campaign: "gone", Name: "Lars"})
	tests := []struct{ name, path string }{
		{"a truncated token", "/i/" + tok[:len(tok)-4]},
		{"a tampered token", "/i/" + tok[:10] + flip(tok[10]) + tok[11:]},
		{"a token signed with another key", "/i/" + foreign},
		{"a token for a campaign that is gone", "/i/" + unknownCampaign},
		{"garbage", "/i/%3Cscript%3E"},
		{"a truncated token's image", "/i/" + tok[:len(tok)-4] + "/og.jpg"},
		{"an unknown variant", "/i/" + tok + "/banner.jpg"},
		{"an unknown extension", "/i/" + tok + "/og.gif"},
		{"no extension", "/i/" + tok + "/og"},
		{"a tampered token's decline", "/i/" + tok[:len(tok)-4] + "/share"},
		{"an unknown path", "/nope"},
		{"an unknown campaign page", "/c/nope"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantError(t, f.do(req{method: "GET", path: tt.path}), 404, "")
		})
	}
	subset := f.token(invite.Invitation{Campaign: "ligestilling", Name: "Lars", Variants: []string{"og"}})
	wantError(t, f.do(req{method: "GET", path: "/i/" + subset + "/story.png"}), 404, "og.png")
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

func TestImage(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	camp, _ := demoCampaigns(t).Lookup("ligestilling")
	og, _ := camp.Variant("og")
	w := f.do(req{method: "GET", path: "/i/" + tok + "/og.jpg?v=" + url.QueryEscape(og.Version)})
	wantStatus(t, w, 200)
	h := w.Header()
	if h.Get("Content-Type") != "image/jpeg" || h.Get("Content-Length") != itoa(w.Body.Len()) || w.Body.Len() < 1000 {
		t.Errorf("type %q, length %q for %d bytes", h.Get("Content-Type"), h.Get("Content-Length"), w.Body.Len())
	}
	if !bytes.HasPrefix(w.Body.Bytes(), []byte{0xff, 0xd8}) {
		t.Error("not a JPEG")
	}
	if h.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("Cache-Control %q for a versioned URL", h.Get("Cache-Control"))
	}
	etag := h.Get("ETag")
	if !regexp.MustCompile(`^"[0-9a-f]{16,}"$`).MatchString(etag) {
		t.Errorf("ETag %q is not strong", etag)
	}
	// 304 on If-None-Match, with no render.
	renders := f.events.Count(stats.ImageRendered)
	nm := f.do(req{method: "GET", path: "/i/" + tok + "/og.jpg?v=" + url.QueryEscape(og.Version), header: map[string]string{"If-None-Match": `"x", ` + etag}})
	wantStatus(t, nm, 304)
	if nm.Body.Len() != 0 || nm.Header().Get("ETag") != etag {
		t.Error("304 with a body or without the ETag")
	}
	// An old version still answers, briefly cacheable.
	old := f.do(req{method: "GET", path: "/i/" + tok + "/og.jpg?v=old"})
	wantStatus(t, old, 200)
	if old.Header().Get("Cache-Control") == "public, max-age=31536000, immutable" || !bytes.Equal(old.Body.Bytes(), w.Body.Bytes()) {
		t.Error("an old version URL is immutable or differs")
	}
	if got := f.events.Count(stats.ImageRendered); got != renders {
		t.Errorf("%d renders for cached or 304 answers", got-renders)
	}
	png := f.do(req{method: "GET", path: "/i/" + tok + "/story.png"})
	wantStatus(t, png, 200)
	if png.Header().Get("Content-Type") != "image/png" || !bytes.HasPrefix(png.Body.Bytes(), []byte("\x89PNG")) {
		t.Error("story.png is not a PNG")
	}
	head := f.do(req{method: "HEAD", path: "/i/" + tok + "/story.png"})
	wantStatus(t, head, 200)
	if head.Body.Len() != 0 || head.Header().Get("Content-Length") != itoa(png.Body.Len()) {
		t.Errorf("HEAD: body %d, Content-Length %q", head.Body.Len(), head.Header().Get("Content-Length"))
	}
	dl := f.do(req{method: "GET", path: "/i/" + tok + "/download/square.png"})
	wantStatus(t, dl, 200)
	if cd := dl.Header().Get("Content-Disposition"); cd != `attachment; filename="lars-hansen-square.png"; filename*=UTF-8''lars-hansen-square.png` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if f.events.Count(stats.Download) != 1 {
		t.Errorf("downloads counted %d", f.events.Count(stats.Download))
	}
	served, _ := f.events.Last(stats.ImageServed)
	if served.Variant != "square" || served.Format != "png" || !served.Human {
		t.Errorf("image_served %+v", served)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestRenderQueueFullIs503: the share core's ErrBusy (its own test fills
// the queue) reaches a client as 503 with Retry-After.
func TestRenderQueueFullIs503(t *testing.T) {
	f := newFixture(t)
	f.e.GET("/busy", func(echo.Context) error { return fmt.Errorf("render: %w", share.ErrBusy) })
	w := f.do(req{method: "GET", path: "/busy"})
	wantError(t, w, 503, "busy")
	if w.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}

func TestShareAndDecline(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	w := f.do(req{method: "GET", path: "/i/" + tok + "/share"})
	wantStatus(t, w, http.StatusSeeOther)
	want := "https://www.linkedin.com/sharing/share-offsite/?url=" + url.QueryEscape("https://invitation.example.dk/i/"+tok)
	if loc := w.Header().Get("Location"); loc != want {
		t.Errorf("share Location %q, want %q", loc, want)
	}
	if f.events.Count(stats.ShareClick) != 1 {
		t.Error("share click not counted")
	}

	// A campaign that declines straight to the learning site (decline:
	// direct) sends the decliner there; the shipped ones thank them first
	// (TestDeclineAnswers).
	f = newFixtureWith(t, directSet(t))
	w = f.do(req{method: "POST", path: "/i/" + tok + "/decline?next=https://evil.example", body: "url=https://evil.example",
		header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}})
	wantStatus(t, w, http.StatusSeeOther)
	loc, err := url.Parse(w.Header().Get("Location"))
	if err != nil || loc.Host != "www.ligestillingitoppen.dk" || loc.Path != "/laer" {
		t.Fatalf("decline Location %q", w.Header().Get("Location"))
	}
	q := loc.Query()
	if q.Get("utm_source") != "sharecard" || q.Get("utm_medium") != "invitation" || q.Get("utm_campaign") != "ligestilling" || q.Get("utm_content") != stats.InvitationID(tok) {
		t.Errorf("UTM parameters %v", q)
	}
	if strings.Contains(loc.String(), "Lars") || strings.Contains(loc.String(), tok) {
		t.Error("the learning site gets the name or token")
	}
	if f.events.Count(stats.Decline) != 1 || f.events.Count(stats.LearningClick) != 1 {
		t.Error("decline and learning click not counted")
	}
	w = f.do(req{method: "GET", path: "/i/" + tok + "/decline"})
	wantError(t, w, 405, "method not allowed")
	if w.Header().Get("Allow") != "POST" {
		t.Errorf("Allow %q", w.Header().Get("Allow"))
	}
}

func TestBeacon(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		header map[string]string
		code   int
		want   float64 // -1: nothing recorded
	}{
		{"seconds are recorded", "42", nil, 204, 42},
		{"a huge value is clamped to 30 minutes", "99999", nil, 204, 1800},
		{"a negative value records nothing", "-5", nil, 204, -1},
		{"Do-Not-Track records nothing", "42", map[string]string{"DNT": "1"}, 204, -1},
		{"Global Privacy Control records nothing", "42", map[string]string{"Sec-GPC": "1"}, 204, -1},
		{"a crawler records nothing", "42", map[string]string{"User-Agent": "Slackbot 1.0"}, 204, -1},
		{"a non-number is 400", "lots", nil, 400, -1},
		{"NaN is 400", "NaN", nil, 400, -1},
		{"a body over 1 KiB is 413", strings.Repeat("1", 2000), nil, 413, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tok := f.token(invitation("Lars Hansen"))
			w := f.do(req{method: "POST", path: "/i/" + tok + "/beacon", body: tt.body, header: tt.header})
			wantStatus(t, w, tt.code)
			ev, ok := f.events.Last(stats.EngagedTime)
			if tt.want < 0 {
				if ok {
					t.Errorf("recorded %+v", ev)
				}
				return
			}
			if !ok || ev.Seconds != tt.want {
				t.Errorf("recorded %+v, want %v seconds", ev, tt.want)
			}
		})
	}
	f := newFixture(t)
	wantError(t, f.do(req{method: "POST", path: "/i/bad/beacon", body: "1"}), 404, "")
}

func TestAcceptsGzip(t *testing.T) {
	for header, want := range map[string]bool{
		"gzip": true, "gzip, deflate, br": true, "br;q=1.0, gzip;q=0.8": true, "*": true, "GZIP": true,
		"": false, "identity": false, "br": false, "gzip;q=0": false, "gzip; q=0.000": false, "deflate, gzip;q=0": false,
	} {
		if got := acceptsGzip(header); got != want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", header, got, want)
		}
	}
}

func TestAnImageThatMissesTheRequestDeadlineIs503(t *testing.T) {
	f := newFixture(t, func(c *config.Config) { c.RequestTimeout = time.Nanosecond })
	tok := f.token(invitation("Lars Hansen"))
	w := f.do(req{method: "GET", path: "/i/" + tok + "/og.jpg"})
	wantStatus(t, w, 503)
	if w.Header().Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
	// The render others wait for is not cancelled with the request: once it
	// is in memory, the same URL answers without a deadline.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if w = f.do(req{method: "GET", path: "/i/" + tok + "/og.jpg"}); w.Code == 200 || time.Now().After(deadline) {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	wantStatus(t, w, 200)
}

func TestCountedPostsFromAnotherSiteAreRefused(t *testing.T) {
	tests := []struct {
		name   string
		header map[string]string
		want   int
	}{
		{"a post from the invitation page itself", map[string]string{"Origin": "http://example.com", "Sec-Fetch-Site": "same-origin"}, 303},
		{"a post naming the public base URL", map[string]string{"Origin": "https://invitation.example.dk"}, 303},
		{"a client that sends neither header", nil, 303},
		{"a browser saying cross-site", map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"another site's origin", map[string]string{"Origin": "https://evil.example"}, 403},
		{"an opaque origin alone", map[string]string{"Origin": "null"}, 303},
		{"an opaque origin from another site", map[string]string{"Origin": "null", "Sec-Fetch-Site": "cross-site"}, 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			tok := f.token(invitation("Lars Hansen"))
			w := f.do(req{method: "POST", path: "/i/" + tok + "/decline", header: tt.header})
			wantStatus(t, w, tt.want)
			declines := f.events.Count(stats.Decline)
			if (tt.want == 303) != (declines == 1) {
				t.Errorf("declines counted %d for status %d", declines, tt.want)
			}
			b := f.do(req{method: "POST", path: "/i/" + tok + "/beacon", body: "30", header: tt.header})
			if tt.want == 403 && b.Code != 403 {
				t.Errorf("beacon answered %d, want 403", b.Code)
			}
		})
	}
}

func TestShareCountsPeopleNotCrawlers(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	wantStatus(t, f.do(req{method: "HEAD", path: "/i/" + tok + "/share"}), 303)
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + tok + "/share", header: map[string]string{"User-Agent": "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"}}), 303)
	if n := f.events.Count(stats.ShareClick); n != 0 {
		t.Errorf("crawler and HEAD counted %d share clicks", n)
	}
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + tok + "/share"}), 303)
	if n := f.events.Count(stats.ShareClick); n != 1 {
		t.Errorf("a person's click counted %d times", n)
	}
}

// TestPersonalTextFollowsItsDirection: an Arabic name reads right to
// left on the page as on the card; the form's fields take any direction.
func TestPersonalTextFollowsItsDirection(t *testing.T) {
	f := newFixture(t)
	page := f.do(req{method: "GET", path: "/i/" + f.token(invitation("محمد علي"))}).Body.String()
	if !strings.Contains(page, `<h1 dir="auto">`) || !strings.Contains(page, "محمد علي") {
		t.Errorf("the heading does not follow the name's direction: %.1500s", page)
	}
	form := f.do(req{method: "GET", path: "/c/ligestilling"}).Body.String()
	for _, field := range []string{"name", "title", "org"} {
		if !strings.Contains(form, `name="`+field+`" dir="auto"`) {
			t.Errorf("the %s field has no dir=auto", field)
		}
	}
}

// TestDownloadIsNamedAfterThePerson: the attachment's name is the
// person's, in ASCII and, for clients that read RFC 5987, in their own
// letters.
func TestDownloadIsNamedAfterThePerson(t *testing.T) {
	f := newFixture(t)
	for _, tt := range []struct{ person, ascii, utf8 string }{
		{"Åse Holm", "aase-holm-story.png", "åse-holm-story.png"},
		{"王伟", "ligestilling-", "王伟-story.png"},
	} {
		t.Run(tt.person, func(t *testing.T) {
			tok := f.token(invite.Invitation{Campaign: "ligestilling", Name: tt.person})
			w := f.do(req{method: "HEAD", path: "/i/" + tok + "/download/story.png"})
			wantStatus(t, w, 200)
			cd := w.Header().Get("Content-Disposition")
			ascii := regexp.MustCompile(`filename="([\x20-\x7e]+)"`).FindStringSubmatch(cd)
			if ascii == nil || !strings.HasPrefix(ascii[1], tt.ascii) || !strings.HasSuffix(ascii[1], "-story.png") {
				t.Errorf("Content-Disposition %q: ASCII name %v, want %s…", cd, ascii, tt.ascii)
			}
			// mime prefers filename* (RFC 2231/5987) when both are there.
			disp, params, err := mime.ParseMediaType(cd)
			if err != nil || disp != "attachment" || params["filename"] != tt.utf8 {
				t.Errorf("Content-Disposition %q parses as %q %v (%v), want filename %q", cd, disp, params, err, tt.utf8)
			}
		})
	}
}
