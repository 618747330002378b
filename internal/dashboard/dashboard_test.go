package dashboard

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testcampaign"
)

const adminToken = "s3cret-admin-token-for-tests"

// seedTime is mid-afternoon UTC of the day the test binary started, taken
// once, so a run that crosses midnight still sees one day.
var seedTime = func() time.Time {
	t := time.Now().UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 15, 30, 0, 0, time.UTC)
}()

// seedNow is the clock of every dashboard test.
func seedNow() time.Time { return seedTime }

// seeded records a known day of traffic in embedded mode. The totals are
// what the page and the API must show.
func seeded(t testing.TB) *stats.Buffered {
	t.Helper()
	now := seedNow()
	// The clock follows the events, as if they happened live: a day's
	// visitor salt exists only around its day.
	var mu sync.Mutex
	clk := now
	rec := stats.NewRecorder(stats.Options{Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return clk }})
	t.Cleanup(func() { rec.Close(context.Background()) })
	// The seed is played in time order, as it would happen live, and each
	// event is waited for: the recorder reads the clock when its goroutine
	// takes an event, and a day's visitor salt exists only until an hour
	// after its day, so a clock running ahead of (or back behind) the
	// events would drop or split visitors depending on scheduling.
	type seedEvent struct {
		e   stats.Event
		seq int
	}
	var events []seedEvent
	ev := func(k stats.Kind, tok string, at time.Time, mod func(*stats.Event)) {
		e := stats.Event{Kind: k, Campaign: "ligestilling", Token: tok, At: at, Human: true,
			IP: "198.51.100.1", UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0"}
		if mod != nil {
			mod(&e)
		}
		events = append(events, seedEvent{e, len(events)})
	}
	day := now.Add(-24 * time.Hour)
	for i := 0; i < 40; i++ {
		ev(stats.Minted, fmt.Sprint("tok", i), day, nil)
	}
	for i := 0; i < 3; i++ {
		ev(stats.SelfServiceRefused, "", day, nil)
	}
	platforms := []string{"linkedin", "linkedin", "linkedin", "facebook", "slack"}
	for i := 0; i < 25; i++ {
		ev(stats.PreviewFetch, fmt.Sprint("tok", i%10), day.Add(time.Duration(i)*time.Hour/2), func(e *stats.Event) { e.Platform = platforms[i%5]; e.Human = false })
	}
	// 1234 page views from 300 visitors over two days; 87 declines, 61
	// learning clicks, 2 minutes 30 s of reading per view.
	for i := 0; i < 1234; i++ {
		at, ip := seedVisit(day, i)
		ev(stats.PageView, fmt.Sprint("tok", i%30), at, func(e *stats.Event) { e.IP = ip })
		ev(stats.EngagedTime, fmt.Sprint("tok", i%30), at, func(e *stats.Event) { e.Seconds = 150 })
	}
	// Each decline, learning click and download comes from the visitor of
	// the page view with the same number: they count once per invitation
	// and visitor, so from one address they would count once.
	for i := 0; i < 87; i++ {
		at, ip := seedVisit(day, i)
		ev(stats.Decline, fmt.Sprint("tok", i%30), at, func(e *stats.Event) { e.IP = ip })
	}
	for i := 0; i < 61; i++ {
		at, ip := seedVisit(day, i)
		ev(stats.LearningClick, fmt.Sprint("tok", i%30), at, func(e *stats.Event) { e.IP = ip })
	}
	for i := 0; i < 9; i++ {
		_, ip := seedVisit(day, i)
		ev(stats.Download, "tok1", day, func(e *stats.Event) { e.Variant = "story"; e.Format = "png"; e.IP = ip })
		ev(stats.ImageServed, "tok1", day, func(e *stats.Event) { e.Variant = "og"; e.Format = "jpg"; e.Human = i%3 == 0 })
	}
	sort.Slice(events, func(i, j int) bool {
		if !events[i].e.At.Equal(events[j].e.At) {
			return events[i].e.At.Before(events[j].e.At)
		}
		return events[i].seq < events[j].seq
	})
	for _, se := range events {
		mu.Lock()
		clk = se.e.At
		mu.Unlock()
		rec.Record(se.e)
		if err := rec.Flush(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	clk = now
	mu.Unlock()
	if err := rec.SetImpressions(context.Background(), "ligestilling", day, "linkedin", 877209); err != nil {
		t.Fatal(err)
	}
	return rec
}

// seedVisit is the time and address of the seed's i-th page view: 300
// addresses over 20 hours that straddle midnight UTC.
func seedVisit(day time.Time, i int) (time.Time, string) {
	return day.Add(time.Duration(i%40) * time.Hour / 2), fmt.Sprint("203.0.113.", i%300)
}

// seedUniques counts the seed's distinct visitors per UTC day, added up.
func seedUniques() int64 {
	seen := map[string]bool{}
	day := seedNow().Add(-24 * time.Hour)
	for i := 0; i < 1234; i++ {
		at, ip := seedVisit(day, i)
		seen[at.Format(time.DateOnly)+ip] = true
	}
	return int64(len(seen))
}

// demoCampaigns are the shipped campaigns, loaded once.
func demoCampaigns(t testing.TB) *campaign.Set { return testcampaign.Set(t) }

// newServer mounts the handlers as the server's routes.go does.
func newServer(t testing.TB, d Deps) *httptest.Server {
	t.Helper()
	if d.Campaigns == nil {
		d.Campaigns = demoCampaigns(t)
	}
	if d.AdminToken == "" {
		d.AdminToken = adminToken
	}
	if d.Now == nil {
		d.Now = seedNow
	}
	h := New(d)
	e := echo.New()
	e.HideBanner = true
	bearer := func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().Header.Get("Authorization") != "Bearer "+adminToken {
				return c.JSON(http.StatusUnauthorized, map[string]string{"error": "admin token required"})
			}
			return next(c)
		}
	}
	e.GET("/admin/login", h.LoginForm)
	e.POST("/admin/login", h.Login)
	e.POST("/admin/logout", h.Logout)
	e.GET("/admin/campaigns/:id", h.Campaign, h.RequireSession)
	e.POST("/admin/campaigns/:id/impressions", h.Impressions, h.RequireSession)
	e.GET("/admin/campaigns/:id/report.pdf", h.ReportPDF, h.RequireSession)
	e.GET("/admin/campaigns/:id/report.png", h.ReportPNG, h.RequireSession)
	e.GET("/admin/campaigns/:id/stats.csv", h.StatsCSV, h.RequireSession)
	e.GET("/admin/campaigns/:id/live", h.Live, h.RequireSession)
	e.GET("/admin/static/dashboard.js", h.Script)
	e.GET("/api/v1/campaigns/:id/stats.csv", h.StatsCSV, bearer)
	e.GET("/api/v1/campaigns/:id/stats", h.StatsJSON, bearer)
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	return srv
}

func noRedirect(jar http.CookieJar) *http.Client {
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func get(t *testing.T, c *http.Client, u string, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	return send(t, c, req, hdr)
}

func post(t *testing.T, c *http.Client, u string, form url.Values, hdr ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("POST", u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return send(t, c, req, hdr)
}

// send sets the header pairs in hdr on req, sends it and reads the body.
func send(t *testing.T, c *http.Client, req *http.Request, hdr []string) (*http.Response, string) {
	t.Helper()
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

// login returns a client holding a session cookie.
func login(t *testing.T, srv *httptest.Server) *http.Client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := noRedirect(jar)
	resp, _ := post(t, c, srv.URL+"/admin/login", url.Values{"token": {adminToken}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login answered %d, want 303", resp.StatusCode)
	}
	return c
}

func TestLogin(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	tests := []struct {
		name     string
		form     url.Values
		hdr      []string
		status   int
		location string
		cookie   bool
	}{
		{"the right token logs in and lands on the campaign", url.Values{"token": {adminToken}}, nil, 303, "/admin/campaigns/ligestilling", true},
		{"the right token returns to the page asked for", url.Values{"token": {adminToken}, "next": {"/admin/campaigns/ligestilling?range=30d"}}, nil, 303, "/admin/campaigns/ligestilling?range=30d", true},
		{"a next pointing elsewhere is ignored", url.Values{"token": {adminToken}, "next": {"//evil.example/admin/"}}, nil, 303, "/admin/campaigns/ligestilling", true},
		{"a wrong token is refused", url.Values{"token": {"guess"}}, nil, 401, "", false},
		{"an empty token is refused", url.Values{}, nil, 401, "", false},
		{"a post from another site is refused", url.Values{"token": {adminToken}}, []string{"Origin", "https://evil.example"}, 403, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := post(t, noRedirect(nil), srv.URL+"/admin/login", tt.form, tt.hdr...)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body %.200s", resp.StatusCode, tt.status, body)
			}
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("Location = %q, want %q", got, tt.location)
			}
			var ck *http.Cookie
			for _, c := range resp.Cookies() {
				if c.Name == cookieName {
					ck = c
				}
			}
			if (ck != nil) != tt.cookie {
				t.Fatalf("session cookie set = %v, want %v", ck != nil, tt.cookie)
			}
			if ck != nil && (!ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Secure) {
				t.Errorf("cookie flags: HttpOnly=%v SameSite=%v Secure=%v; want HttpOnly, Strict, not Secure over plain HTTP", ck.HttpOnly, ck.SameSite, ck.Secure)
			}
		})
	}
}

func TestTheCookieIsSecureBehindHTTPS(t *testing.T) {
	for _, tt := range []struct {
		name string
		deps Deps
		hdr  []string
	}{
		{"when configured", Deps{SecureCookies: true}, nil},
		{"when the proxy says https", Deps{}, []string{"X-Forwarded-Proto", "https"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.deps.Stats = stats.NewStore(stats.Options{})
			srv := newServer(t, tt.deps)
			resp, _ := post(t, noRedirect(nil), srv.URL+"/admin/login", url.Values{"token": {adminToken}}, tt.hdr...)
			cs := resp.Cookies()
			if len(cs) != 1 || !cs[0].Secure {
				t.Errorf("cookies = %v, want one Secure session cookie", cs)
			}
		})
	}
}

func TestThePagesNeedASession(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	anon := noRedirect(nil)
	resp, _ := get(t, anon, srv.URL+"/admin/campaigns/ligestilling?range=30d")
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin/login?next=%2Fadmin%2Fcampaigns%2Fligestilling%3Frange%3D30d" {
		t.Errorf("anonymous dashboard: %d to %q, want 303 to the login form", resp.StatusCode, resp.Header.Get("Location"))
	}
	forged := &http.Cookie{Name: cookieName, Value: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.AAAA"}
	req, _ := http.NewRequest("GET", srv.URL+"/admin/campaigns/ligestilling", nil)
	req.AddCookie(forged)
	r2, err := anon.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	r2.Body.Close()
	if r2.StatusCode != 303 {
		t.Errorf("forged cookie: %d, want 303 to login", r2.StatusCode)
	}
	resp, _ = post(t, anon, srv.URL+"/admin/campaigns/ligestilling/impressions", url.Values{"day": {"2026-01-01"}, "platform": {"linkedin"}, "count": {"5"}})
	if resp.StatusCode != 401 {
		t.Errorf("anonymous impressions post: %d, want 401", resp.StatusCode)
	}
}

func TestTheDashboardShowsTheNumbers(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	c := login(t, srv)
	resp, body := get(t, c, srv.URL+"/admin/campaigns/ligestilling")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d: %.300s", resp.StatusCode, body)
	}
	for _, want := range []string{"877.209", "1.234", "87", "61", ">25<", "Tragten", "<svg", "indtastet", `<script src="/admin/static/dashboard.js" defer>`, "Minutter i alt", "2 min 30 s",
		`href="/admin/campaigns/ligestilling/report.pdf?range=7d&amp;from=&amp;to="`,
		"Afvist i selvbetjening for et blokeret ord: <strong>3</strong>"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	for _, bad := range []string{"<script>", "http://", "https://", "198.51.100", "203.0.113", "Chrome/124"} {
		if strings.Contains(body, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
	csp := resp.Header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") {
		t.Errorf("CSP = %q, want default-src 'none', scripts from this site only, nothing unsafe", csp)
	}
	if strings.Contains(body, `http-equiv="refresh"`) {
		t.Error("the dashboard still reloads itself, throwing away what is typed")
	}
	resp, _ = get(t, c, srv.URL+"/admin/campaigns/nope")
	if resp.StatusCode != 404 {
		t.Errorf("unknown campaign page: %d, want 404", resp.StatusCode)
	}
}

func TestEnteringImpressions(t *testing.T) {
	rec := seeded(t)
	srv := newServer(t, Deps{Stats: rec})
	c := login(t, srv)
	_, page := get(t, c, srv.URL+"/admin/campaigns/ligestilling")
	csrf := between(page, `name="csrf" value="`, `"`)
	if csrf == "" {
		t.Fatal("no CSRF token in the page")
	}
	today := seedNow().Format(time.DateOnly)
	tests := []struct {
		name     string
		form     url.Values
		hdr      []string
		status   int
		location string
	}{
		{"a valid entry is saved", url.Values{"csrf": {csrf}, "day": {today}, "platform": {"facebook"}, "count": {"12.500"}}, nil, 303, "/admin/campaigns/ligestilling?saved=1#indtast"},
		{"a bad count is sent back", url.Values{"csrf": {csrf}, "day": {today}, "platform": {"facebook"}, "count": {"many"}}, nil, 303, "/admin/campaigns/ligestilling?error=count#indtast"},
		{"a future day is sent back", url.Values{"csrf": {csrf}, "day": {"2999-01-01"}, "platform": {"facebook"}, "count": {"1"}}, nil, 303, "/admin/campaigns/ligestilling?error=day#indtast"},
		{"an unknown platform is sent back", url.Values{"csrf": {csrf}, "day": {today}, "platform": {"<b>"}, "count": {"1"}}, nil, 303, "/admin/campaigns/ligestilling?error=platform#indtast"},
		{"a post without the CSRF token is refused", url.Values{"day": {today}, "platform": {"facebook"}, "count": {"1"}}, nil, 403, ""},
		{"a post from another site is refused", url.Values{"csrf": {csrf}, "day": {today}, "platform": {"facebook"}, "count": {"1"}}, []string{"Origin", "https://evil.example"}, 403, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, _ := post(t, c, srv.URL+"/admin/campaigns/ligestilling/impressions", tt.form, tt.hdr...)
			if resp.StatusCode != tt.status || resp.Header.Get("Location") != tt.location {
				t.Errorf("got %d to %q, want %d to %q", resp.StatusCode, resp.Header.Get("Location"), tt.status, tt.location)
			}
		})
	}
	r, err := rec.Report(context.Background(), stats.Query{Campaign: "ligestilling", From: seedNow().Add(-48 * time.Hour), To: seedNow(), Granularity: stats.Day})
	if err != nil {
		t.Fatal(err)
	}
	if r.Totals.ImpressionsEntered != 877209+12500 {
		t.Errorf("entered impressions = %d, want %d", r.Totals.ImpressionsEntered, 877209+12500)
	}

	// A correction and a deletion, each with its trace in the history.
	for _, form := range []url.Values{
		{"csrf": {csrf}, "day": {today}, "platform": {"facebook"}, "count": {"125.000"}},
		{"csrf": {csrf}, "day": {today}, "platform": {"facebook"}, "delete": {"1"}},
	} {
		if resp, _ := post(t, c, srv.URL+"/admin/campaigns/ligestilling/impressions", form); resp.StatusCode != 303 {
			t.Fatalf("%v: %d", form, resp.StatusCode)
		}
	}
	_, page = get(t, c, srv.URL+"/admin/campaigns/ligestilling?saved=2")
	for _, want := range []string{"Visningerne er slettet.", "Ændringer", "<td>12.500</td><td>125.000</td>", "<td>125.000</td><td>–</td>", `name="delete" value="1"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	r, err = rec.Report(context.Background(), stats.Query{Campaign: "ligestilling", From: seedNow().Add(-48 * time.Hour), To: seedNow(), Granularity: stats.Day})
	if err != nil || r.Totals.ImpressionsEntered != 877209 {
		t.Errorf("after the deletion: %d, %v; want 877,209", r.Totals.ImpressionsEntered, err)
	}
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	j := strings.Index(s, b)
	if j < 0 {
		return ""
	}
	return s[:j]
}

func TestStatsAPI(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	c := noRedirect(nil)
	auth := []string{"Authorization", "Bearer " + adminToken}
	day := seedNow().Add(-24 * time.Hour).Format(time.DateOnly)
	tests := []struct {
		name   string
		path   string
		status int
		want   string // in the body
	}{
		{"the default is the last seven days by day", "/api/v1/campaigns/ligestilling/stats", 200, `"page_views":1234`},
		{"a date range by hour works", "/api/v1/campaigns/ligestilling/stats?from=" + day + "&to=" + day + "&granularity=hour", 200, `"granularity":"hour"`},
		{"RFC 3339 times work", "/api/v1/campaigns/ligestilling/stats?from=" + day + "T00:00:00Z&to=" + day + "T12:00:00Z", 200, `"sum_of_daily_uniques"`},
		{"an unknown campaign is 404", "/api/v1/campaigns/nope/stats", 404, `{"error":"campaign \"nope\" not found"}`},
		{"a bad from says what to fix", "/api/v1/campaigns/ligestilling/stats?from=yesterday", 400, `from: \"yesterday\" is neither RFC 3339`},
		{"a bad granularity says what to fix", "/api/v1/campaigns/ligestilling/stats?granularity=week", 400, `granularity must be hour or day`},
		{"a reversed range says what to fix", "/api/v1/campaigns/ligestilling/stats?from=2026-03-08&to=2026-03-01", 400, `must be before`},
		{"too long an hourly range says what to fix", "/api/v1/campaigns/ligestilling/stats?from=2026-01-01&to=2026-03-01&granularity=hour", 400, `at most 31 days`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, c, srv.URL+tt.path, auth...)
			if resp.StatusCode != tt.status || !strings.Contains(body, tt.want) {
				t.Errorf("got %d %.300s\nwant %d containing %s", resp.StatusCode, body, tt.status, tt.want)
			}
			if !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
				t.Errorf("Content-Type = %q", resp.Header.Get("Content-Type"))
			}
		})
	}
	_, body := get(t, c, srv.URL+"/api/v1/campaigns/ligestilling/stats", auth...)
	var r stats.Report
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatal(err)
	}
	want := stats.Totals{Minted: 40, PreviewFetches: 25, PageViews: 1234, UniqueVisitors: seedUniques(), Declines: 87, LearningClicks: 61,
		Downloads: 9, ImagesServedHuman: 3, ImagesServedCrawler: 6, ImpressionsEntered: 877209, SelfServiceRefused: 3}
	if r.Totals != want {
		t.Errorf("totals = %+v\nwant     %+v", r.Totals, want)
	}
	if len(r.Funnel) != 6 || r.Funnel[1].ByPlatform["linkedin"] != 15 {
		t.Errorf("funnel = %+v", r.Funnel)
	}
	if r.EngagedTime.AverageSeconds != 150 {
		t.Errorf("average time = %v, want 150 s", r.EngagedTime.AverageSeconds)
	}
}

func TestRepeatedWrongTokensAreSlowedDown(t *testing.T) {
	srv := newServer(t, Deps{Stats: stats.NewStore(stats.Options{})})
	c := noRedirect(nil)
	var last int
	for i := 0; i < 12; i++ {
		resp, _ := post(t, c, srv.URL+"/admin/login", url.Values{"token": {"guess"}})
		last = resp.StatusCode
	}
	if last != http.StatusTooManyRequests {
		t.Errorf("12th wrong token answered %d, want 429", last)
	}
	// The right token is never locked out, not even from the address
	// that failed (an office NAT, a proxy the service cannot see through).
	if resp, _ := post(t, c, srv.URL+"/admin/login", url.Values{"token": {adminToken}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the right token from the throttled address answered %d, want 303", resp.StatusCode)
	}
	// And another address is not throttled at all.
	form := url.Values{"token": {adminToken}}.Encode()
	r := httptest.NewRequest("POST", "/admin/login", strings.NewReader(form))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.RemoteAddr = "198.51.100.7:5000"
	w := httptest.NewRecorder()
	srv.Config.Handler.ServeHTTP(w, r)
	if w.Code != http.StatusSeeOther {
		t.Errorf("the right token from another address answered %d, want 303", w.Code)
	}
}

func TestASessionEnds(t *testing.T) {
	now := seedNow()
	var mu sync.Mutex
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := newServer(t, Deps{Stats: stats.NewStore(stats.Options{}), Now: clock})
	c := login(t, srv)
	if resp, _ := get(t, c, srv.URL+"/admin/campaigns/ligestilling"); resp.StatusCode != 200 {
		t.Fatalf("fresh session: %d", resp.StatusCode)
	}
	mu.Lock()
	now = now.Add(sessionLife + time.Minute)
	mu.Unlock()
	if resp, _ := get(t, c, srv.URL+"/admin/campaigns/ligestilling"); resp.StatusCode != 303 {
		t.Errorf("expired session: %d, want 303 to login", resp.StatusCode)
	}
}

func TestLoggingOut(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	c := login(t, srv)
	_, page := get(t, c, srv.URL+"/admin/campaigns/ligestilling")
	csrf := between(page, `name="csrf" value="`, `"`)
	if resp, _ := post(t, c, srv.URL+"/admin/logout", url.Values{}); resp.StatusCode != 403 {
		t.Errorf("logout without the CSRF token: %d, want 403", resp.StatusCode)
	}
	resp, _ := post(t, c, srv.URL+"/admin/logout", url.Values{"csrf": {csrf}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin/login" {
		t.Fatalf("logout: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := get(t, c, srv.URL+"/admin/campaigns/ligestilling"); resp.StatusCode != 303 {
		t.Errorf("after logout the dashboard answered %d, want 303 to login", resp.StatusCode)
	}
}

// TestALoggedOutCookieIsDead: a copy of the session cookie taken before
// logging out (another tab, another machine, a stolen one) stops working
// too; and when the logout cannot be recorded, the manager is told and
// keeps the cookie to try again.
func TestALoggedOutCookieIsDead(t *testing.T) {
	for _, tc := range []struct {
		name     string
		ended    revoke.List
		wantCode int
		deadCopy bool
	}{
		{"the logout is recorded", revoke.NewMemory(), 303, true},
		{"the revocation list is unreachable", failingList{}, 503, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, Deps{Stats: seeded(t), Ended: tc.ended})
			c := login(t, srv)
			_, page := get(t, c, srv.URL+"/admin/campaigns/ligestilling")
			csrf := between(page, `name="csrf" value="`, `"`)
			u, _ := url.Parse(srv.URL + "/admin/campaigns/ligestilling")
			copyJar, _ := cookiejar.New(nil)
			copyJar.SetCookies(u, c.Jar.Cookies(u))
			other := noRedirect(copyJar)
			if resp, _ := get(t, other, u.String()); resp.StatusCode != 200 {
				t.Fatalf("the copied cookie before logout: %d, want 200", resp.StatusCode)
			}

			resp, body := post(t, c, srv.URL+"/admin/logout", url.Values{"csrf": {csrf}})
			if resp.StatusCode != tc.wantCode {
				t.Fatalf("logout: %d %s, want %d", resp.StatusCode, body, tc.wantCode)
			}
			resp, _ = get(t, other, srv.URL+"/admin/campaigns/ligestilling")
			if dead := resp.StatusCode == 303; dead != tc.deadCopy {
				t.Errorf("the copied cookie afterwards: %d (dead %v, want %v)", resp.StatusCode, dead, tc.deadCopy)
			}
		})
	}
}

type failingList struct{}

func (failingList) Revoke(context.Context, string) error {
	return errors.New("redis: connection refused")
}
func (failingList) Revoked(string) bool { return false }

func TestAnUnknownCampaignIsEscaped(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	c := login(t, srv)
	resp, body := get(t, c, srv.URL+"/admin/campaigns/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
	if resp.StatusCode != 404 || strings.Contains(body, "<script>") {
		t.Errorf("status %d, body reflects markup: %v", resp.StatusCode, strings.Contains(body, "<script>"))
	}
}

// TestACustomPeriod: ?from=&to= shows those whole days, and the links
// to the report, the CSV and the live numbers keep the period.
func TestACustomPeriod(t *testing.T) {
	srv := newServer(t, Deps{Stats: seeded(t)})
	c := login(t, srv)
	resp, body := get(t, c, srv.URL+"/admin/campaigns/ligestilling?from=2026-12-01&to=2026-12-02")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	for _, want := range []string{"1. dec. 2026 kl. 01:00", `value="2026-12-01"`, `value="2026-12-02"`,
		`report.pdf?range=custom&amp;from=2026-12-01&amp;to=2026-12-02`, `live?range=custom&amp;from=2026-12-01&amp;to=2026-12-02`} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	_, week := get(t, c, srv.URL+"/admin/campaigns/ligestilling?range=7d")
	if between(body, `<div class="value" data-label="Sidevisninger">`, "<") == between(week, `<div class="value" data-label="Sidevisninger">`, "<") {
		t.Error("two days show the page views of the whole week")
	}
}
