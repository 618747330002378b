// Command replay plays a campaign of the size this service was built for
// through sharecard's real handlers and stats pipeline, in-process, over
// six simulated days, and checks that the numbers a manager reads back —
// the stats API, the CSV export and the one-page report — are what
// happened: page views, declines and minutes exactly, unique visitors
// within HyperLogLog's error (2 %), average time to the second.
//
//	go run ./scripts/replay                                 # embedded (memory)
//	go run ./scripts/replay -redis redis://127.0.0.1:6379/0 # through Redis
//
// The days pass through a clock the service takes as a dependency (the
// server's, the share core's, the recorder's and the campaigns'), never
// through a backdoor in the public API. It is bounded (some 15,000
// requests) and stops by itself; with Redis it writes under a private key
// prefix and removes it afterwards.
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	sharecard "github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/server"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

// The campaign of 2022, as it was reported: 3,739 visitors over six days,
// 5,761 page views, 3:32 of engaged time on average per page view, and
// 877,209 impressions entered from LinkedIn and Facebook.
const (
	days        = 6
	visitors    = 3739
	pageViews   = 5761
	avgSeconds  = 212 // 3:32
	invitations = 800
	impressions = 877209
)

// perDay spreads the visitors over the six days, most at the launch.
var perDay = [days]int{1210, 906, 602, 480, 331, 210}

// crawlers unfurl shared links: one preview each, as platforms do.
var crawlers = map[string]string{
	"linkedin": "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)",
	"facebook": "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
	"twitter":  "Twitterbot/1.0",
	"slack":    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
	"whatsapp": "WhatsApp/2.23.20.0",
}

const browser = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"

// clock is the simulated time every part of the service reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// expected is what the replay did, to compare the reports with.
type expected struct {
	pageViews, visitors, declines, rawDeclines, shares, downloads, previews int64
	seconds                                                                 float64
}

func run(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	redisURL := fs.String("redis", "", "play through this Redis (empty: embedded, in memory)")
	keep := fs.String("report", "", "write the one-page report (PDF and PNG) to this path prefix")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ctx := context.Background()
	start := time.Date(2022, 3, 8, 0, 0, 0, 0, time.UTC) // International Women's Day
	clk := &clock{t: start}

	camps, err := campaign.Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		return err
	}
	camps.SetClock(clk.now)
	signer, err := invite.NewSigner([][]byte{[]byte(randomHex(32))})
	if err != nil {
		return err
	}
	var rdb redis.UniversalClient
	prefix := "sharecard:replay:" + randomHex(6) + ":"
	if *redisURL != "" {
		opt, err := redis.ParseURL(*redisURL)
		if err != nil {
			return err
		}
		rdb = redis.NewClient(opt)
		defer rdb.Close()
		if err := rdb.Ping(ctx).Err(); err != nil {
			return fmt.Errorf("redis: %w", err)
		}
		defer cleanup(rdb, prefix)
	}
	rec := stats.NewRecorder(stats.Options{Redis: rdb, Prefix: prefix, Now: clk.now, FlushInterval: time.Hour, Zone: dashboard.Zones(camps)})
	defer rec.Close(context.Background())
	const admin = "replay-admin-token-0123456789"
	cfg := config.Config{Env: "development", BaseURL: "https://invitation.example.dk", AdminToken: admin, JPEGQuality: 88,
		RenderConcurrency: 2, RenderQueue: 64, SelfServiceRate: 1000, RequestTimeout: time.Minute, RedisTimeout: time.Second}
	c := cache.New(cache.Options{MemoryBytes: 64 << 20})
	defer c.Close()
	reg := prometheus.NewRegistry()
	core, err := share.New(share.Deps{Campaigns: camps, Signer: signer, Cache: c, Stats: rec, BaseURL: cfg.BaseURL,
		Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality}, RenderConcurrency: 2, RenderQueue: 64,
		MissTimeout: time.Minute, Registry: reg, Now: clk.now})
	if err != nil {
		return err
	}
	h, err := server.New(server.Deps{Config: cfg, Share: core, Cache: c, Stats: rec, Registry: reg, Now: clk.now,
		Log:       slog.New(slog.DiscardHandler),
		Dashboard: dashboard.New(dashboard.Deps{Stats: rec, Campaigns: camps, AdminToken: admin, Now: clk.now})})
	if err != nil {
		return err
	}
	do := func(method, path, body, ip, ua string, hdr ...string) *httptest.ResponseRecorder {
		var r io.Reader
		if body != "" {
			r = strings.NewReader(body)
		}
		req := httptest.NewRequest(method, path, r)
		req.RemoteAddr = ip + ":40000"
		req.Header.Set("User-Agent", ua)
		for i := 0; i+1 < len(hdr); i += 2 {
			req.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w
	}

	// The invitations, minted through the admin API the day before.
	clk.set(start.Add(-12 * time.Hour))
	tokens := make([]string, invitations)
	for i := range tokens {
		body := fmt.Sprintf(`{"campaign":"ligestilling","name":%q,"title":"Adm. direktør"}`, name(i))
		w := do("POST", "/api/v1/invitations", body, "192.0.2.1", "replay", "Authorization", "Bearer "+admin, "Content-Type", "application/json")
		if w.Code != http.StatusCreated {
			return fmt.Errorf("mint %d: %d %s", i, w.Code, w.Body)
		}
		var res share.Result
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
			return err
		}
		tokens[i] = res.Token
	}

	var want expected
	v := 0 // visitors so far
	for d := 0; d < days; d++ {
		day := start.AddDate(0, 0, d)
		// A quarter of the invitations are shared today: each platform
		// unfurls the link (page and image: one preview), LinkedIn again
		// two minutes later (the same preview) and twenty minutes later (a
		// new one).
		for i := d; i < invitations; i += 4 * days {
			for p, ua := range crawlers {
				at := day.Add(time.Duration(8*60+i%600) * time.Minute)
				for _, later := range []time.Duration{0, 2 * time.Minute, 20 * time.Minute} {
					if later > 0 && p != "linkedin" {
						continue
					}
					clk.set(at.Add(later))
					tok := tokens[i]
					if w := do("GET", "/i/"+tok, "", "198.51.100.7", ua); w.Code != 200 {
						return fmt.Errorf("%s unfurl: %d", p, w.Code)
					}
					if w := do("GET", "/i/"+tok+"/og.jpg", "", "198.51.100.7", ua); w.Code != 200 {
						return fmt.Errorf("%s og.jpg: %d", p, w.Code)
					}
					if later != 2*time.Minute {
						want.previews++
					}
				}
			}
		}
		// Today's visitors, spread over the day's waking hours.
		for k := 0; k < perDay[d]; k++ {
			i := v + k
			ip := fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256)
			tok := tokens[i%invitations]
			clk.set(day.Add(7*time.Hour + time.Duration(k)*15*time.Hour/time.Duration(perDay[d])))
			views := 1
			if i < pageViews-visitors { // 2,022 visitors come back to the page once more that day
				views = 2
			}
			for range views {
				if w := do("GET", "/i/"+tok, "", ip, browser); w.Code != 200 {
					return fmt.Errorf("page view: %d", w.Code)
				}
				want.pageViews++
				secs := float64(avgSeconds)
				if want.pageViews < pageViews { // pairs of 150 and 274 seconds; the odd one out 212
					secs = map[bool]float64{true: 150, false: 274}[want.pageViews%2 == 0]
				}
				if w := do("POST", "/i/"+tok+"/beacon", strconv.FormatFloat(secs, 'f', -1, 64), ip, browser, "Content-Type", "text/plain"); w.Code != 204 {
					return fmt.Errorf("beacon: %d %s", w.Code, w.Body)
				}
				want.seconds += secs
			}
			want.visitors++
			if i%3 == 0 { // a third decline; every third of those presses twice
				presses := 1 + map[bool]int{true: 1, false: 0}[i%9 == 0]
				var thanks *httptest.ResponseRecorder
				for range presses {
					if thanks = do("POST", "/i/"+tok+"/decline", "", ip, browser); thanks.Code != http.StatusSeeOther {
						return fmt.Errorf("decline: %d", thanks.Code)
					}
					want.rawDeclines++
				}
				want.declines++
				// The decliner is thanked (their own view of the thanks
				// is not a page view) and follows its one primary action
				// to the learning site.
				cookie := ""
				if c := thanks.Result().Cookies(); len(c) > 0 {
					cookie = c[0].Name + "=" + c[0].Value
				}
				if w := do("GET", thanks.Header().Get("Location"), "", ip, browser, "Cookie", cookie); w.Code != http.StatusOK {
					return fmt.Errorf("decline confirmation: %d", w.Code)
				}
				if w := do("GET", "/i/"+tok+"/learn", "", ip, browser, "Cookie", cookie); w.Code != http.StatusSeeOther {
					return fmt.Errorf("learn: %d", w.Code)
				}
			}
			if i%7 == 0 {
				if w := do("GET", "/i/"+tok+"/share", "", ip, browser); w.Code != http.StatusSeeOther {
					return fmt.Errorf("share: %d", w.Code)
				}
				want.shares++
			}
			if i%11 == 0 {
				if w := do("GET", "/i/"+tok+"/download/story.png", "", ip, browser); w.Code != 200 {
					return fmt.Errorf("download: %d", w.Code)
				}
				want.downloads++
			}
		}
		v += perDay[d]
		// The day's events are counted before the clock leaves the day
		// (the visitor salt lives a day).
		clk.set(day.Add(23 * time.Hour))
		if err := rec.Flush(ctx); err != nil {
			return fmt.Errorf("flush day %d: %w", d+1, err)
		}
	}
	for _, e := range []struct {
		platform string
		n        int64
	}{{"linkedin", 612409}, {"facebook", impressions - 612409}} {
		if err := rec.SetImpressions(ctx, "ligestilling", start.AddDate(0, 0, 1), e.platform, e.n); err != nil {
			return err
		}
	}

	// Read it back as a manager would, the day after.
	clk.set(start.AddDate(0, 0, days).Add(9 * time.Hour))
	rng := "from=" + start.Format(time.DateOnly) + "&to=" + start.AddDate(0, 0, days-1).Format(time.DateOnly)
	w := do("GET", "/api/v1/campaigns/ligestilling/stats?granularity=day&"+rng, "", "192.0.2.1", "replay", "Authorization", "Bearer "+admin)
	if w.Code != 200 {
		return fmt.Errorf("stats API: %d %s", w.Code, w.Body)
	}
	var r stats.Report
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
		return err
	}
	w = do("GET", "/api/v1/campaigns/ligestilling/stats.csv?sep=semicolon&"+rng, "", "192.0.2.1", "replay", "Authorization", "Bearer "+admin)
	csvSums, err := sumCSV(w.Body.String())
	if err != nil {
		return fmt.Errorf("CSV: %w", err)
	}

	mode := "embedded (memory)"
	if rdb != nil {
		mode = "Redis " + *redisURL
	}
	t := r.Totals
	fmt.Fprintf(out, "replay: %d days from %s, %s; %d requests\n", days, start.Format(time.DateOnly), mode, countRequests(want))
	fmt.Fprintf(out, "%-22s %12s %12s %12s\n", "number", "played", "stats API", "CSV")
	var problems []string
	check := func(label string, played, api int64, csvCol string, tolerance float64) {
		csvV := "–"
		if csvCol != "" {
			csvV = strconv.FormatInt(csvSums[csvCol], 10)
			if csvSums[csvCol] != api {
				problems = append(problems, fmt.Sprintf("%s: the CSV says %d, the API %d", label, csvSums[csvCol], api))
			}
		}
		fmt.Fprintf(out, "%-22s %12d %12d %12s\n", label, played, api, csvV)
		if d := math.Abs(float64(api - played)); d > tolerance*float64(played) {
			problems = append(problems, fmt.Sprintf("%s: played %d, reported %d", label, played, api))
		}
	}
	uniqueTolerance := 0.0
	if rdb != nil {
		uniqueTolerance = 0.02 // HyperLogLog
	}
	check("impressions (entered)", impressions, t.ImpressionsEntered, "impressions_entered", 0)
	check("visitors", want.visitors, t.UniqueVisitors, "unique_visitors", uniqueTolerance)
	check("page views", want.pageViews, t.PageViews, "page_views", 0)
	check("declines", want.declines, t.Declines, "declines", 0)
	check("declines (raw)", want.rawDeclines, r.Raw.Declines, "", 0)
	check("learning clicks", want.declines, t.LearningClicks, "learning_clicks", 0)
	check("share clicks", want.shares, t.ShareClicks, "share_clicks", 0)
	check("downloads", want.downloads, t.Downloads, "downloads", 0)
	check("previews", want.previews, t.PreviewFetches, "preview_fetches", 0)
	minutes := want.seconds / 60
	fmt.Fprintf(out, "%-22s %12.2f %12.2f\n", "total minutes", minutes, r.EngagedTime.TotalMinutes)
	fmt.Fprintf(out, "%-22s %12s %12s\n", "average time", minSec(want.seconds/float64(want.pageViews)), minSec(r.EngagedTime.AverageSeconds))
	if math.Abs(r.EngagedTime.TotalMinutes-minutes) > 0.005 {
		problems = append(problems, fmt.Sprintf("minutes: played %.2f, reported %.2f", minutes, r.EngagedTime.TotalMinutes))
	}
	if minSec(r.EngagedTime.AverageSeconds) != minSec(want.seconds/float64(want.pageViews)) {
		problems = append(problems, "average time differs")
	}
	for _, p := range r.Platforms {
		fmt.Fprintf(out, "  previews from %-9s %d\n", p.Platform, p.PreviewFetches)
	}

	// The one-page report, through the dashboard with a session.
	pdf, png, err := reports(do, admin)
	if err != nil {
		return err
	}
	if *keep != "" {
		_ = os.WriteFile(*keep+".pdf", pdf, 0o644)
		_ = os.WriteFile(*keep+".png", png, 0o644)
	}
	if text, err := pdfText(pdf); err == nil {
		for _, n := range []int64{t.PageViews, t.Declines, impressions} {
			if !strings.Contains(text, danish(n)) {
				problems = append(problems, fmt.Sprintf("the report PDF lacks %s", danish(n)))
			}
		}
		fmt.Fprintf(out, "report: the PDF (%d bytes) shows %s page views, %s declines, %s impressions; PNG %d bytes\n",
			len(pdf), danish(t.PageViews), danish(t.Declines), danish(impressions), len(png))
	} else {
		fmt.Fprintf(out, "report: PDF %d bytes, PNG %d bytes (%v: its text not checked)\n", len(pdf), len(png), err)
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	fmt.Fprintln(out, "every number matches what was played")
	return nil
}

// reports logs in as the manager does and fetches the PDF and PNG report.
func reports(do func(method, path, body, ip, ua string, hdr ...string) *httptest.ResponseRecorder, admin string) ([]byte, []byte, error) {
	w := do("POST", "/admin/login", url.Values{"token": {admin}}.Encode(), "192.0.2.1", browser,
		"Content-Type", "application/x-www-form-urlencoded", "Origin", "http://example.com")
	cookie := w.Header().Get("Set-Cookie")
	if w.Code != http.StatusSeeOther || cookie == "" {
		return nil, nil, fmt.Errorf("login: %d %s", w.Code, w.Body)
	}
	cookie, _, _ = strings.Cut(cookie, ";")
	var out [2][]byte
	for i, ext := range []string{"pdf", "png"} {
		w := do("GET", "/admin/campaigns/ligestilling/report."+ext+"?range=7d", "", "192.0.2.1", browser, "Cookie", cookie)
		if w.Code != 200 {
			return nil, nil, fmt.Errorf("report.%s: %d %s", ext, w.Code, w.Body)
		}
		out[i] = w.Body.Bytes()
	}
	return out[0], out[1], nil
}

// pdfText is the PDF's text by pdftotext (poppler-utils), when installed.
func pdfText(pdf []byte) (string, error) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		return "", errors.New("pdftotext is not installed")
	}
	dir, err := os.MkdirTemp("", "replay")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(dir)
	p := filepath.Join(dir, "r.pdf")
	if err := os.WriteFile(p, pdf, 0o600); err != nil {
		return "", err
	}
	b, err := exec.Command(bin, p, "-").Output()
	return string(b), err
}

// sumCSV adds up each column of the daily CSV (after its byte-order mark).
func sumCSV(body string) (map[string]int64, error) {
	rest, ok := strings.CutPrefix(body, "\ufeff")
	if !ok {
		return nil, errors.New("no byte-order mark")
	}
	r := csv.NewReader(strings.NewReader(rest))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil || len(rows) < 2 {
		return nil, fmt.Errorf("%d rows: %v", len(rows), err)
	}
	sums := map[string]int64{}
	for _, row := range rows[1:] {
		for i, h := range rows[0] {
			if n, err := strconv.ParseInt(row[i], 10, 64); err == nil {
				sums[h] += n
			}
		}
	}
	return sums, nil
}

func countRequests(e expected) int64 {
	return invitations + e.pageViews*2 + e.rawDeclines + e.shares + e.downloads + e.previews*2 + e.previews/6
}

// name is the i-th invitee: names a Danish board might hold.
func name(i int) string {
	first := []string{"Lars", "Anne", "Mette", "Henrik", "Sofie", "Jens", "Ida", "Peter", "Camilla", "Søren"}
	last := []string{"Hansen", "Jensen", "Nielsen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"}
	return first[i%len(first)] + " " + last[i/len(first)%len(last)] + " " + letters(i)
}

// letters spells i in letters only (names allow no digits).
func letters(i int) string {
	s := []byte{byte('a' + i%26)}
	for i /= 26; i > 0; i /= 26 {
		s = append([]byte{byte('a' + i%26)}, s...)
	}
	return "A" + string(s)
}

func minSec(sec float64) string {
	s := int64(sec + 0.5)
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// danish writes n as a Danish report does: 877.209.
func danish(n int64) string {
	s := strconv.FormatInt(n, 10)
	var b bytes.Buffer
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte('.')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// cleanup removes the replay's keys from Redis.
func cleanup(rdb redis.UniversalClient, prefix string) {
	ctx := context.Background()
	iter := rdb.Scan(ctx, 0, prefix+"*", 1000).Iterator()
	var keys []string
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	for len(keys) > 0 {
		n := min(len(keys), 500)
		rdb.Del(ctx, keys[:n]...)
		keys = keys[n:]
	}
}
