package server

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/report"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testcampaign"
	"github.com/sharecard/sharecard/internal/testredis"
	"github.com/sharecard/sharecard/internal/teststats"
)

// newTakedownFixture is the service as serve.go builds it, with the
// dashboard mounted and able to revoke, and reports kept in store.
func newTakedownFixture(t *testing.T, store report.Store) *fixture {
	t.Helper()
	cfg := testConfig()
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	c := cache.New(cache.Options{MemoryBytes: 16 << 20})
	rec := stats.NewRecorder(stats.Options{})
	t.Cleanup(func() { rec.Close(context.Background()) })
	reg := prometheus.NewRegistry()
	revoked := revoke.NewMemory()
	core, err := share.New(share.Deps{Campaigns: demoCampaigns(t), Signer: signer, Cache: c, Revoked: revoked, Stats: rec,
		BaseURL: cfg.BaseURL, Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality},
		RenderConcurrency: 2, RenderQueue: 8, MissTimeout: cfg.RequestTimeout, Registry: reg})
	if err != nil {
		t.Fatal(err)
	}
	// The fixed clock: reports are stamped 2026-12-02 12:00 UTC, 13:00 in
	// Copenhagen; the dashboard's session runs on real time.
	dash := dashboard.New(dashboard.Deps{Stats: rec, Campaigns: demoCampaigns(t), AdminToken: testAdmin, Ended: revoked,
		Reports: store, Revoker: core})
	e, a, err := newApp(Deps{Config: cfg, Share: core, Cache: c, Stats: rec, Dashboard: dash, Reports: store,
		Registry: reg, Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return testcampaign.Today }})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, e: e, app: a, signer: signer, events: &teststats.Events{}}
}

var formHeader = map[string]string{"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"}

func formWith(extra ...string) map[string]string {
	h := map[string]string{}
	for k, v := range formHeader {
		h[k] = v
	}
	for i := 0; i+1 < len(extra); i += 2 {
		h[extra[i]] = extra[i+1]
	}
	return h
}

func TestTheReportFormRefusesBadInputAndKeepsIt(t *testing.T) {
	f := newTakedownFixture(t, report.NewMemory())
	da := f.token(invitation("Lars Hansen"))
	en := f.token(invite.Invitation{Campaign: "equality-2061", Name: "Anne Smith"})
	long := strings.Repeat("x", report.MaxDetail+1)
	for _, tc := range []struct {
		name, token string
		form        url.Values
		want        []string // in the page, escaped as the page shows it
	}{
		{"no reason, in Danish", da, url.Values{"detail": {"<b>hej</b>"}}, []string{"Vælg, hvorfor du rapporterer kortet.", "&lt;b&gt;hej&lt;/b&gt;"}},
		{"no reason, in English", en, url.Values{"contact": {"anne@example.com"}}, []string{"Choose why you are reporting the card.", `value="anne@example.com"`}},
		{"an unknown reason", da, url.Values{"reason": {"because"}}, []string{"Vælg, hvorfor du rapporterer kortet."}},
		{"a detail too long, in Danish", da, url.Values{"reason": {"other"}, "detail": {long}}, []string{"højst 1.000 tegn", `value="other" checked`}},
		{"a detail too long, in English", en, url.Values{"reason": {"other"}, "detail": {long}}, []string{"at most 1,000 characters"}},
		{"a hidden character", da, url.Values{"reason": {"offensive"}, "detail": {"a\u202eb"}}, []string{"usynlige tegn", `value="offensive" checked`}},
		{"a contact that is neither", da, url.Values{"reason": {"about-me"}, "contact": {"ring til mig"}}, []string{"Skriv en e-mailadresse", `value="ring til mig"`, `aria-invalid="true"`}},
		{"a contact that is neither, in English", en, url.Values{"reason": {"misuse"}, "contact": {"call me"}}, []string{"Write an e-mail address", `value="call me"`}},
		{"a contact too long", da, url.Values{"reason": {"other"}, "contact": {strings.Repeat("1", 201)}}, []string{"højst 200 tegn"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := f.do(req{method: "POST", path: "/i/" + tc.token + "/report", header: formHeader, body: tc.form.Encode()})
			wantStatus(t, w, http.StatusUnprocessableEntity)
			body := w.Body.String()
			for _, want := range append(tc.want, `role="alert"`, `/privacy"`) {
				if !strings.Contains(body, want) {
					t.Errorf("the page lacks %q", want)
				}
			}
			if strings.Contains(body, "<b>hej") {
				t.Error("the detail was not escaped")
			}
		})
	}
	if rs, _ := f.app.reports.List(context.Background(), "ligestilling"); len(rs) != 0 {
		t.Errorf("refused forms stored %d reports", len(rs))
	}
}

func TestAReportIsStoredWithTheInvitationAndNothingAboutTheReporter(t *testing.T) {
	stores := map[string]func(t *testing.T) (report.Store, func() []string){
		"memory": func(t *testing.T) (report.Store, func() []string) {
			m := report.NewMemory()
			return m, func() []string {
				rs, _ := m.List(context.Background(), "ligestilling")
				b, _ := json.Marshal(rs)
				return []string{string(b)}
			}
		},
		"redis": func(t *testing.T) (report.Store, func() []string) {
			rdb, prefix := testredis.Client(t)
			return report.NewRedis(rdb, prefix, 0), func() []string {
				// Every key and value under the test's prefix.
				ctx := context.Background()
				var all []string
				keys, _ := rdb.Keys(ctx, prefix+"*").Result()
				for _, k := range keys {
					all = append(all, k)
					switch rdb.Type(ctx, k).Val() {
					case "hash":
						for f, v := range rdb.HGetAll(ctx, k).Val() {
							all = append(all, f, v)
						}
					case "zset":
						all = append(all, rdb.ZRange(ctx, k, 0, -1).Val()...)
					default:
						t.Errorf("unexpected key %s of type %s", k, rdb.Type(ctx, k).Val())
					}
				}
				if len(keys) == 0 {
					t.Error("nothing stored in Redis")
				}
				return all
			}
		},
	}
	for name, open := range stores {
		t.Run(name, func(t *testing.T) {
			store, dump := open(t)
			f := newTakedownFixture(t, store)
			tok := f.token(invitation("Lars Hansen"))
			const ip, ua, cookie = "203.0.113.77", "Reporter-Browser/9.9 (distinctive)", "reporter-cookie-value"
			w := f.do(req{method: "POST", path: "/i/" + tok + "/report", header: formWith("User-Agent", ua, "X-Forwarded-For", ip, "Cookie", "x="+cookie),
				body: url.Values{"reason": {"about-me"}, "detail": {"Det er mig, og jeg har ikke sagt ja."}, "contact": {"lars@example.dk"}}.Encode()})
			wantStatus(t, w, http.StatusSeeOther)
			if loc := w.Header().Get("Location"); loc != "/i/"+tok+"/report/sent?lang=da" {
				t.Errorf("redirect to %q", loc)
			}
			if c := w.Header().Get("Set-Cookie"); c != "" {
				t.Errorf("the report set a cookie: %s", c)
			}
			rs, err := store.List(context.Background(), "ligestilling")
			if err != nil || len(rs) != 1 {
				t.Fatalf("stored %v, %v; want one report", rs, err)
			}
			inv, _ := f.app.share.Resolve(tok)
			r := rs[0]
			if r.Fingerprint != inv.Fingerprint || r.Token != tok || r.Reason != report.AboutMe || r.Contact != "lars@example.dk" ||
				r.Status != report.Open || r.CreatedAt.IsZero() {
				t.Errorf("stored %+v", r)
			}
			for _, s := range dump() {
				for _, secret := range []string{ip, "192.0.2.10", ua, "Reporter-Browser", cookie, "iPhone"} {
					if strings.Contains(s, secret) {
						t.Errorf("the store holds the reporter's %q: %.200s", secret, s)
					}
				}
			}
			sent := f.do(req{method: "GET", path: "/i/" + tok + "/report/sent"})
			wantStatus(t, sent, http.StatusOK)
			for _, want := range []string{"Tak for din rapport", "trækker teamet linket tilbage", "Vi har ikke gemt din IP-adresse"} {
				if !strings.Contains(sent.Body.String(), want) {
					t.Errorf("the thank-you page lacks %q", want)
				}
			}
		})
	}
}

func TestReportPostsAreGuarded(t *testing.T) {
	good := url.Values{"reason": {"offensive"}}.Encode()
	for _, tc := range []struct {
		name   string
		header map[string]string
		body   string
		code   int
	}{
		{"a post another site's page makes is refused", formWith("Sec-Fetch-Site", "cross-site"), good, http.StatusForbidden},
		{"a post with another site's Origin is refused", formWith("Origin", "https://evil.example"), good, http.StatusForbidden},
		{"a post from this site passes", formWith("Sec-Fetch-Site", "same-origin", "Origin", "https://invitation.example.dk"), good, http.StatusSeeOther},
		{"a body over 16 KiB is refused", formHeader, good + "&detail=" + strings.Repeat("a", 17<<10), http.StatusRequestEntityTooLarge},
		{"a body that cannot be read is 400", formHeader, "reason=%zz", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newTakedownFixture(t, report.NewMemory())
			tok := f.token(invitation("Lars Hansen"))
			w := f.do(req{method: "POST", path: "/i/" + tok + "/report", header: tc.header, body: tc.body})
			wantStatus(t, w, tc.code)
			rs, _ := f.app.reports.List(context.Background(), "ligestilling")
			if stored := len(rs) == 1; stored != (tc.code == http.StatusSeeOther) {
				t.Errorf("stored %d reports", len(rs))
			}
		})
	}
}

func TestReportsAreRateLimitedPerClient(t *testing.T) {
	f := newTakedownFixture(t, report.NewMemory())
	tok := f.token(invitation("Lars Hansen"))
	form := url.Values{"reason": {"other"}, "detail": {"husk mig"}}.Encode()
	for i := range reportsPerMinute {
		wantStatus(t, f.do(req{method: "POST", path: "/i/" + tok + "/report", header: formHeader, body: form}), http.StatusSeeOther)
		_ = i
	}
	w := f.do(req{method: "POST", path: "/i/" + tok + "/report", header: formHeader, body: form})
	wantStatus(t, w, http.StatusTooManyRequests)
	if w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "Vent et minut") || !strings.Contains(w.Body.String(), "husk mig") {
		t.Errorf("the limit's answer lacks Retry-After, its message or the typed text: %.600s", w.Body.String())
	}
}

// fullStore is a report list at its bound.
type fullStore struct{ report.Store }

func (fullStore) Add(context.Context, report.Report) (report.Report, error) {
	return report.Report{}, report.ErrFull
}

func TestAFullReportListSaysSo(t *testing.T) {
	f := newTakedownFixture(t, fullStore{report.NewMemory()})
	tok := f.token(invitation("Lars Hansen"))
	w := f.do(req{method: "POST", path: "/i/" + tok + "/report", header: formHeader, body: "reason=offensive&detail=hej"})
	wantStatus(t, w, http.StatusServiceUnavailable)
	if !strings.Contains(w.Body.String(), "kan ikke tage imod flere") || !strings.Contains(w.Body.String(), ">hej</textarea>") {
		t.Errorf("the page does not say the list is full, or lost the text: %.800s", w.Body.String())
	}
}

func TestTheReportFormOfARevokedOrBadLink(t *testing.T) {
	f := newTakedownFixture(t, report.NewMemory())
	tok := f.token(invitation("Lars Hansen"))
	if _, err := f.app.share.Revoke(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/i/" + tok + "/report", "/i/" + tok + "/report/sent"} {
		wantStatus(t, f.do(req{method: "GET", path: path}), http.StatusGone)
	}
	wantStatus(t, f.do(req{method: "POST", path: "/i/" + tok + "/report", header: formHeader, body: "reason=offensive"}), http.StatusGone)
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + tok[:30] + "/report"}), http.StatusNotFound)
}

// TestRevokingAReportedLinkInOneClick: a card reported through its page
// is listed on the dashboard and in the admin API; one post from the
// dashboard revokes it, and the link answers the branded 410.
func TestRevokingAReportedLinkInOneClick(t *testing.T) {
	f := newTakedownFixture(t, report.NewMemory())
	lars := f.token(invitation("Lars Hansen"))
	anne := f.token(invitation("Anne Holm"))
	for _, p := range []struct{ tok, body string }{
		{lars, "reason=about-me&contact=%2B45+12+34+56+78"},
		{lars, "reason=offensive&detail=Grimt"},
		{anne, "reason=other&detail=Ingen+grund"},
	} {
		wantStatus(t, f.do(req{method: "POST", path: "/i/" + p.tok + "/report", header: formHeader, body: p.body}), http.StatusSeeOther)
	}

	// The admin API lists them.
	api := f.do(req{method: "GET", path: "/api/v1/campaigns/ligestilling/reports", header: admin()})
	wantStatus(t, api, http.StatusOK)
	var list struct {
		Open    int `json:"open"`
		Reports []struct {
			ID, Token, Status, Reason, Contact string
			PageURL                            string `json:"page_url"`
		} `json:"reports"`
	}
	if err := json.Unmarshal(api.Body.Bytes(), &list); err != nil {
		t.Fatal(err)
	}
	if list.Open != 3 || len(list.Reports) != 3 {
		t.Fatalf("the API lists %+v", list)
	}
	for _, r := range list.Reports {
		if r.PageURL != "https://invitation.example.dk/i/"+r.Token || r.Status != "open" || (r.Reason == "about-me") != (r.Contact == "+45 12 34 56 78") {
			t.Errorf("the API lists %+v", r)
		}
	}

	// The dashboard lists them, and its form revokes Lars's link.
	cookie := loginCookie(t, f)
	page := f.do(req{method: "GET", path: "/admin/campaigns/ligestilling", header: map[string]string{"Cookie": cookie}})
	wantStatus(t, page, http.StatusOK)
	body := html.UnescapeString(page.Body.String())
	for _, want := range []string{"Rapporter om kort", "3 åbne", "Handler om mig – fjern det", "+45 12 34 56 78", "Grimt", `href="/i/` + lars + `"`, "2. dec. 2026 kl. 13:00"} {
		if !strings.Contains(body, want) {
			t.Errorf("the dashboard lacks %q", want)
		}
	}
	csrf := between(body, `name="csrf" value="`, `"`)
	var larsReport string
	for _, r := range list.Reports {
		if r.Token == lars {
			larsReport = r.ID
		}
	}
	post := func(id, action, csrf string, extra ...string) *httptest.ResponseRecorder {
		h := formWith(append([]string{"Cookie", cookie}, extra...)...)
		return f.do(req{method: "POST", path: "/admin/campaigns/ligestilling/reports/" + id, header: h,
			body: url.Values{"csrf": {csrf}, "action": {action}}.Encode()})
	}
	wantStatus(t, post(larsReport, "revoke", ""), http.StatusForbidden)
	wantStatus(t, post(larsReport, "revoke", csrf, "Origin", "https://evil.example"), http.StatusForbidden)
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + lars}), http.StatusOK)

	w := post(larsReport, "revoke", csrf)
	wantStatus(t, w, http.StatusSeeOther)
	if loc := w.Header().Get("Location"); loc != "/admin/campaigns/ligestilling?reports=revoked#rapporter" {
		t.Errorf("back to %q", loc)
	}
	gone := f.do(req{method: "GET", path: "/i/" + lars, header: map[string]string{"Accept": "text/html"}})
	wantStatus(t, gone, http.StatusGone)
	if !strings.Contains(gone.Body.String(), "Invitationen er trukket tilbage") {
		t.Errorf("the revoked link is not the branded page: %.300s", gone.Body.String())
	}
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + anne}), http.StatusOK)

	rs, _ := f.app.reports.List(context.Background(), "ligestilling")
	for _, r := range rs {
		want := report.Open
		if r.Token == lars {
			want = report.Revoked // both of Lars's reports, with one click
		}
		if r.Status != want || (want != report.Open) != (r.HandledAt != nil) {
			t.Errorf("report %s (%s) is %s, want %s", r.ID, r.Reason, r.Status, want)
		}
	}

	// Dismissing Anne's report leaves her link alone; a second click is
	// told the report was handled.
	var anneReport string
	for _, r := range rs {
		if r.Token == anne {
			anneReport = r.ID
		}
	}
	w = post(anneReport, "dismiss", csrf)
	if wantStatus(t, w, http.StatusSeeOther); w.Header().Get("Location") != "/admin/campaigns/ligestilling?reports=dismissed#rapporter" {
		t.Errorf("back to %q", w.Header().Get("Location"))
	}
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + anne}), http.StatusOK)
	if w := post(anneReport, "revoke", csrf); w.Header().Get("Location") != "/admin/campaigns/ligestilling?reports=handled#rapporter" {
		t.Errorf("a handled report: %d to %q", w.Code, w.Header().Get("Location"))
	}
	wantStatus(t, f.do(req{method: "GET", path: "/i/" + anne}), http.StatusOK)
	if w := post("0123456789abcdef", "dismiss", csrf); w.Header().Get("Location") != "/admin/campaigns/ligestilling?reports=unknown#rapporter" {
		t.Errorf("an unknown report: %d to %q", w.Code, w.Header().Get("Location"))
	}
	page = f.do(req{method: "GET", path: "/admin/campaigns/ligestilling?reports=dismissed", header: map[string]string{"Cookie": cookie}})
	for _, want := range []string{"ingen åbne", "Rapporten er afvist.", "Linket er trukket tilbage", "Afvist – intet at gøre"} {
		if !strings.Contains(page.Body.String(), want) {
			t.Errorf("after handling, the dashboard lacks %q", want)
		}
	}
	if strings.Contains(page.Body.String(), `value="revoke"`) {
		t.Error("a handled report still offers the revoke button")
	}
}

// loginCookie logs in to the dashboard and returns the session cookie.
func loginCookie(t *testing.T, f *fixture) string {
	t.Helper()
	w := f.do(req{method: "POST", path: "/admin/login", header: formHeader, body: "token=" + url.QueryEscape(testAdmin)})
	wantStatus(t, w, http.StatusSeeOther)
	for _, c := range w.Result().Cookies() {
		if c.Name == dashboard.SessionCookie {
			return c.Name + "=" + c.Value
		}
	}
	t.Fatal("no session cookie")
	return ""
}

func TestTheReportsAPI(t *testing.T) {
	f := newTakedownFixture(t, report.NewMemory())
	wantError(t, f.do(req{method: "GET", path: "/api/v1/campaigns/ligestilling/reports"}), http.StatusUnauthorized, "admin token")
	wantError(t, f.do(req{method: "GET", path: "/api/v1/campaigns/nope/reports", header: admin()}), http.StatusNotFound, "nope")
	w := f.do(req{method: "GET", path: "/api/v1/campaigns/equality-2061/reports", header: admin()})
	wantStatus(t, w, http.StatusOK)
	if got := strings.TrimSpace(w.Body.String()); got != `{"campaign":"equality-2061","open":0,"reports":[]}` {
		t.Errorf("an empty list is %s", got)
	}
	if w.Header().Get("Cache-Control") != "no-store" {
		t.Error("the list may be cached")
	}
}

func TestThePrivacyPageSaysWhatIsProcessed(t *testing.T) {
	f := newFixture(t)
	for _, tc := range []struct {
		campaign, lang string
		want           []string
	}{
		{"ligestilling", "da", []string{
			`<html lang="da">`, "Privatliv og cookies", "Navne står i selve linket", "Ingen IP-adresser eller browser-id'er gemmes",
			"et tilfældigt tal, der skiftes hver dag", declinedCookie + ": når du takker nej", "husker den på denne enhed, at du har takket nej", dashboard.SessionCookie,
			"højst 12 timer", "400 dage", "1.000 seneste", "Rapportér / fjern dette kort", "Få et kort fjernet", "Do Not Track",
		}},
		{"equality-2061", "en", []string{
			`<html lang="en">`, "Privacy and cookies", "Names are inside the link itself", "No IP addresses or browser identifiers are stored",
			"a random number that changes every day", declinedCookie + ": when you decline", "remembers on this device that you declined", dashboard.SessionCookie,
			"at most 12 hours", "400 days", "latest 1,000", "Report / remove this card", "Having a card removed", "Do Not Track",
		}},
	} {
		t.Run(tc.campaign, func(t *testing.T) {
			w := f.do(req{method: "GET", path: "/c/" + tc.campaign + "/privacy"})
			wantStatus(t, w, http.StatusOK)
			body := html.UnescapeString(w.Body.String())
			for _, want := range tc.want {
				if !strings.Contains(body, want) {
					t.Errorf("the %s privacy page lacks %q", tc.lang, want)
				}
			}
			// The page's report-link words are the footer's, so the page
			// names the link people will actually see.
			if !strings.Contains(body, footerText[tc.lang].Report) {
				t.Errorf("the page does not name the report link as the footer words it")
			}
			other := map[string]string{"da": "Names are inside", "en": "Navne står"}[tc.lang]
			if strings.Contains(body, other) {
				t.Errorf("the %s page holds the other language's text", tc.lang)
			}
		})
	}
	wantStatus(t, f.do(req{method: "GET", path: "/c/nope/privacy"}), http.StatusNotFound)
}

func TestThePrivacyPageGivesTheCampaignsContact(t *testing.T) {
	f := newFixture(t)
	camp, _ := f.app.share.Campaigns().Lookup("ligestilling")
	// The shared campaign is changed for this test only, and back.
	old := camp.Contact
	camp.Contact = "privatliv@example.dk"
	t.Cleanup(func() { camp.Contact = old })
	body := f.do(req{method: "GET", path: "/c/ligestilling/privacy"}).Body.String()
	if !strings.Contains(body, `<a href="mailto:privatliv@example.dk">privatliv@example.dk</a>`) {
		t.Errorf("the page lacks the contact: %.2000s", body)
	}
	camp.Contact = ""
	if body := f.do(req{method: "GET", path: "/c/ligestilling/privacy"}).Body.String(); strings.Contains(body, "mailto:") {
		t.Error("a campaign without a contact shows one")
	}
}

// TestEveryPageHasTheFooter walks every GET route a visitor can reach for
// a campaign or an invitation (read from the router, so a page added later
// is walked too) plus the error pages, and checks each HTML answer links
// the campaign's privacy page; an invitation's pages also link the report
// form.
func TestEveryPageHasTheFooter(t *testing.T) {
	f := newTakedownFixture(t, report.NewMemory())
	pages, problems := footerProblems(t, f)
	for _, p := range problems {
		t.Error(p)
	}
	// The invitation, its report form and thank-you page, the campaign
	// page, its privacy page and six error pages at least.
	if pages < 11 {
		t.Errorf("only %d HTML pages walked", pages)
	}

	t.Run("a page added without the footer fails", func(t *testing.T) {
		f := newTakedownFixture(t, report.NewMemory())
		f.e.GET("/c/:campaign/new", func(c echo.Context) error { return c.HTML(http.StatusOK, "<main>new</main>") })
		_, problems := footerProblems(t, f)
		if len(problems) != 1 || !strings.Contains(problems[0], "/c/ligestilling/new") {
			t.Errorf("reported %q, want the new page alone", problems)
		}
	})
}

// footerProblems walks the visitor's pages of f and says which lack the
// footer's links.
func footerProblems(t *testing.T, f *fixture) (pages int, problems []string) {
	t.Helper()
	tok := f.token(invitation("Lars Hansen"))
	gone := f.token(invitation("Tove Ditlevsen"))
	if _, err := f.app.share.Revoke(t.Context(), gone); err != nil {
		t.Fatal(err)
	}
	fill := strings.NewReplacer(":token", tok, ":campaign", "ligestilling", ":file", "og.jpg")
	var paths []string
	for _, r := range f.e.Routes() {
		if r.Method != http.MethodGet || !(strings.HasPrefix(r.Path, "/i/") || strings.HasPrefix(r.Path, "/c/") || r.Path == "/") {
			continue
		}
		paths = append(paths, fill.Replace(r.Path))
	}
	if len(paths) < 10 {
		t.Fatalf("only %d visitor routes: %v", len(paths), paths)
	}
	// The error pages, and the form's answers that are pages too.
	paths = append(paths, "/i/"+tok[:30], "/i/"+gone, "/i/"+gone+"/report", "/c/nope", "/c/ligestilling/nope", "/i/"+tok+"/nope.gif")
	for _, p := range paths {
		w := f.do(req{method: "GET", path: p, header: map[string]string{"Accept": "text/html,*/*;q=0.8"}})
		if !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
			continue
		}
		pages++
		body := w.Body.String()
		if !strings.Contains(body, `<footer class="site-footer">`) || !strings.Contains(body, `href="/c/ligestilling/privacy"`) {
			problems = append(problems, fmt.Sprintf("GET %s (%d) has no footer linking the privacy page", p, w.Code))
		}
		if w.Code == http.StatusOK && strings.HasPrefix(p, "/i/"+tok) && !strings.Contains(body, `href="/i/`+tok+`/report"`) {
			problems = append(problems, fmt.Sprintf("GET %s has no report link", p))
		}
	}
	return pages, problems
}

// between is the text of s between the first a and the b after it.
func between(s, a, b string) string {
	_, s, ok := strings.Cut(s, a)
	if !ok {
		return ""
	}
	s, _, _ = strings.Cut(s, b)
	return s
}
