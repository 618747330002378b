package stats

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/testredis"
)

// clock is a test clock that only moves when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// testStart is 10:00 UTC today: Redis tests need a clock near real time,
// because salts expire at real (EXAT) times.
func testStart() time.Time { return dayStart(time.Now()).Add(10 * time.Hour) }

// eachStore runs fn against memory (embedded mode) and a real Redis.
func eachStore(t *testing.T, fn func(t *testing.T, o Options)) {
	t.Run("embedded", func(t *testing.T) { fn(t, Options{}) })
	t.Run("redis", func(t *testing.T) {
		c, prefix := testredis.Client(t)
		fn(t, Options{Redis: c, Prefix: prefix})
	})
}

func newTestRecorder(t *testing.T, o Options, clk *clock) *Buffered {
	t.Helper()
	o.Now = clk.Now
	o.FlushInterval = 20 * time.Millisecond
	b := NewRecorder(o)
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	return b
}

func flush(t *testing.T, b *Buffered) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := b.Flush(ctx); err != nil {
		t.Fatalf("flush: %v", err)
	}
}

func report(t *testing.T, r Reader, from, to time.Time, g Granularity) *Report {
	t.Helper()
	rep, err := r.Report(context.Background(), Query{Campaign: "ligestilling", From: from, To: to, Granularity: g})
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	return rep
}

const (
	chrome    = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"
	linkedin  = "LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)"
	tokenLars = "v1.k1.TGFycyBIYW5zZW4.sig"
)

func TestEachEventIsCountedOnce(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		clk := &clock{t: testStart()}
		b := newTestRecorder(t, o, clk)
		ev := func(k Kind) Event {
			return Event{Kind: k, Campaign: "ligestilling", Token: tokenLars, IP: "198.51.100.7", UserAgent: chrome, Human: true}
		}
		b.Record(ev(Minted))
		b.Record(Event{Kind: PreviewFetch, Campaign: "ligestilling", Token: tokenLars, Platform: "linkedin", UserAgent: linkedin})
		b.Record(Event{Kind: ImageServed, Campaign: "ligestilling", Token: tokenLars, Variant: "og", Format: "jpg", Human: false, UserAgent: linkedin})
		b.Record(Event{Kind: ImageServed, Campaign: "ligestilling", Token: tokenLars, Variant: "square", Format: "png", Human: true})
		b.Record(Event{Kind: ImageRendered, Campaign: "ligestilling", Token: tokenLars, Variant: "og", Format: "jpg"})
		b.Record(ev(PageView))
		b.Record(ev(Decline))
		b.Record(ev(ShareClick))
		d := ev(Download)
		d.Variant = "story"
		b.Record(d)
		b.Record(ev(LearningClick))
		e := ev(EngagedTime)
		e.Seconds = 42.5
		b.Record(e)
		flush(t, b)

		r := report(t, b, clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour), Hour)
		want := Totals{Minted: 1, PreviewFetches: 1, PageViews: 1, UniqueVisitors: 1, Declines: 1, ShareClicks: 1, Downloads: 1,
			LearningClicks: 1, ImagesServedHuman: 1, ImagesServedCrawler: 1, ImagesRendered: 1}
		if r.Totals != want {
			t.Errorf("totals = %+v\nwant     %+v", r.Totals, want)
		}
		if r.EngagedTime.TotalSeconds != 42.5 || r.EngagedTime.Beacons != 1 || r.EngagedTime.AverageSeconds != 42.5 {
			t.Errorf("engaged time = %+v, want 42.5 s in 1 beacon, 42.5 s per view", r.EngagedTime)
		}
		wantP := PlatformCount{Platform: "linkedin", PreviewFetches: 1}
		wantP.Raw.PreviewFetches = 1
		if r.Raw != (RawCounts{PreviewFetches: 1, Declines: 1, ShareClicks: 1, Downloads: 1, LearningClicks: 1}) {
			t.Errorf("raw = %+v, want one of each", r.Raw)
		}
		if len(r.Platforms) != 1 || r.Platforms[0] != wantP {
			t.Errorf("platforms = %+v, want linkedin 1", r.Platforms)
		}
		wantV := map[string]VariantCount{
			"og":     {Variant: "og", ServedCrawler: 1, Rendered: 1},
			"square": {Variant: "square", ServedHuman: 1},
			"story":  {Variant: "story", Downloads: 1},
		}
		story := wantV["story"]
		story.Raw.Downloads = 1
		wantV["story"] = story
		if len(r.Variants) != len(wantV) {
			t.Errorf("variants = %+v, want %d of them", r.Variants, len(wantV))
		}
		for _, v := range r.Variants {
			w := wantV[v.Variant]
			v.ByFormat = nil
			if !reflect.DeepEqual(v, w) {
				t.Errorf("variant %s = %+v, want %+v", v.Variant, v, w)
			}
		}
		if len(r.TopInvitations) != 1 {
			t.Fatalf("top invitations = %+v, want one", r.TopInvitations)
		}
		inv := r.TopInvitations[0]
		wantInv := InvitationStat{ID: InvitationID(tokenLars), PageViews: 1, PreviewFetches: 1, Declines: 1, ShareClicks: 1, Downloads: 1, LearningClicks: 1, EngagedSeconds: 42.5,
			Raw: RawCounts{PreviewFetches: 1, Declines: 1, ShareClicks: 1, Downloads: 1, LearningClicks: 1}}
		if inv != wantInv {
			t.Errorf("invitation = %+v\nwant         %+v", inv, wantInv)
		}
		steps := []string{}
		for _, s := range r.Funnel {
			steps = append(steps, s.Step)
			if s.Count != 1 {
				t.Errorf("funnel step %s = %d, want 1", s.Step, s.Count)
			}
		}
		if got := strings.Join(steps, ">"); got != "invitation_minted>preview_fetch>page_view>unique_visitor>decline>learning_click" {
			t.Errorf("funnel order = %s", got)
		}
	})
}

func TestACrawlerFetchNeverBecomesAPageView(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		clk := &clock{t: testStart()}
		b := newTestRecorder(t, o, clk)
		// The server should have sent these as preview fetches; the
		// recorder checks again.
		for _, ua := range []string{linkedin, "facebookexternalhit/1.1", "Twitterbot/1.0", ""} {
			b.Record(Event{Kind: PageView, Campaign: "ligestilling", Token: tokenLars, IP: "198.51.100.7", UserAgent: ua})
		}
		flush(t, b)
		r := report(t, b, clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour), Day)
		if r.Totals.PageViews != 0 || r.Totals.UniqueVisitors != 0 {
			t.Errorf("crawlers counted as %d page views and %d visitors, want 0", r.Totals.PageViews, r.Totals.UniqueVisitors)
		}
		if r.Totals.PreviewFetches != 4 {
			t.Errorf("preview fetches = %d, want 4", r.Totals.PreviewFetches)
		}
		if len(r.TopInvitations) != 0 {
			t.Errorf("crawler fetches put an invitation in the top list: %+v", r.TopInvitations)
		}
	})
}

func TestUniqueVisitorsAreCountedPerDay(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		day1 := testStart()
		clk := &clock{t: day1}
		b := newTestRecorder(t, o, clk)
		view := func(ip, ua string) {
			b.Record(Event{Kind: PageView, Campaign: "ligestilling", Token: tokenLars, IP: ip, UserAgent: ua})
		}
		view("198.51.100.7", chrome)
		clk.Set(day1.Add(3 * time.Hour))
		view("198.51.100.7", chrome) // same person, same day
		view("198.51.100.8", chrome) // another person
		flush(t, b)
		clk.Set(day1.Add(24 * time.Hour))
		view("198.51.100.7", chrome) // the first person again, next day
		flush(t, b)

		r := report(t, b, dayStart(day1), dayStart(day1).Add(48*time.Hour), Day)
		if r.Totals.PageViews != 4 {
			t.Errorf("page views = %d, want 4", r.Totals.PageViews)
		}
		if r.Totals.UniqueVisitors != 3 {
			t.Errorf("unique visitors over two days = %d, want 2 + 1 = 3", r.Totals.UniqueVisitors)
		}
		if r.UniqueVisitorsMethod.Method != "sum_of_daily_uniques" || r.UniqueVisitorsMethod.Days != 2 {
			t.Errorf("uniques method = %+v, want a sum over 2 days", r.UniqueVisitorsMethod)
		}
		if len(r.Series) != 2 || *r.Series[0].UniqueVisitors != 2 || *r.Series[1].UniqueVisitors != 1 {
			t.Errorf("daily series = %+v, want 2 then 1 visitors", r.Series)
		}
		r1 := report(t, b, dayStart(day1), dayStart(day1).Add(24*time.Hour), Hour)
		if r1.Totals.UniqueVisitors != 2 || len(r1.Series) != 24 || r1.Series[0].UniqueVisitors != nil {
			t.Errorf("day one: %d visitors in %d hourly points, want 2 in 24 without hourly uniques", r1.Totals.UniqueVisitors, len(r1.Series))
		}
	})
}

func TestTheDailySaltRotates(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		day1 := testStart()
		clk := &clock{t: day1}
		b := newTestRecorder(t, o, clk)
		// No events are recorded until the end, so the loop goroutine,
		// which owns the salts, is idle while the test asks for them.
		s1 := append([]byte(nil), b.salts.forDay(day1, nil)...)
		s1again := b.salts.forDay(day1.Add(time.Hour), nil)
		s2 := b.salts.forDay(day1.Add(24*time.Hour), nil)
		if len(s1) != 32 || string(s1) != string(s1again) {
			t.Fatalf("the salt changed within a day")
		}
		if string(s1) == string(s2) {
			t.Fatalf("the next day has the same salt")
		}
		key := b.k.salt(day1)
		if rc := o.Redis; rc != nil {
			// A second replica gets the same salt for the day.
			other := newTestRecorder(t, o, clk)
			if string(other.salts.forDay(day1, nil)) != string(s1) {
				t.Errorf("a second recorder on the same Redis uses another salt")
			}
			ttl, err := rc.TTL(context.Background(), key).Result()
			if err != nil {
				t.Fatal(err)
			}
			limit := time.Until(dayStart(day1).Add(25*time.Hour)) + time.Second
			if ttl <= 0 || ttl > limit {
				t.Errorf("salt TTL = %v, want at most %v (the end of its day plus an hour)", ttl, limit)
			}
			return
		}
		// Embedded: a day and an hour after its day the salt is gone.
		clk.Set(dayStart(day1).Add(49 * time.Hour))
		b.salts.forDay(clk.Now(), nil)
		if _, ok := b.salts.byDay[dayStart(day1).Format(dayLayout)]; ok {
			t.Errorf("the recorder still holds day one's salt")
		}
		mem := b.be.(*memory)
		b.Record(Event{Kind: Minted, Campaign: "ligestilling"})
		flush(t, b)
		mem.mu.Lock()
		_, kept := mem.strs[key]
		mem.mu.Unlock()
		if kept {
			t.Errorf("the store still holds day one's salt")
		}
		if b.salts.forDay(day1, nil) != nil {
			t.Errorf("a late event for an expired day still gets a salt")
		}
	})
}

func TestNoIPOrUserAgentIsStored(t *testing.T) {
	const (
		ip    = "203.0.113.77"
		ua    = "Mozilla/5.0 (X11; Linux x86_64) PrivacyProbe/7.3.1 Chrome/124.0"
		token = "v1.k1.TWV0dGUgRnJlZGVyaWtzZW4.sig"
	)
	eachStore(t, func(t *testing.T, o Options) {
		clk := &clock{t: testStart()}
		b := newTestRecorder(t, o, clk)
		for _, k := range Kinds {
			b.Record(Event{Kind: k, Campaign: "ligestilling", Token: token, Variant: "og", Format: "jpg", Platform: "linkedin", Human: true, IP: ip, UserAgent: ua, Seconds: 3})
		}
		b.Record(Event{Kind: PreviewFetch, Campaign: "ligestilling", Token: token, Platform: "linkedin", IP: ip, UserAgent: linkedin})
		flush(t, b)
		if err := b.SetImpressions(context.Background(), "ligestilling", clk.Now(), "linkedin", 877209); err != nil {
			t.Fatal(err)
		}
		var seen int
		check := func(key, value string) {
			seen++
			for _, secret := range []string{ip, ua, "PrivacyProbe", token, "TWV0dGUgRnJlZGVyaWtzZW4", linkedin} {
				if strings.Contains(key, secret) || strings.Contains(value, secret) {
					t.Errorf("%q found in key %q / value %q", secret, key, value)
				}
			}
		}
		if o.Redis == nil {
			b.be.(*memory).dump(check)
		} else {
			dumpRedis(t, o, check)
		}
		if seen < 10 {
			t.Fatalf("only %d values scanned; the scan is not looking at the store", seen)
		}
	})
}

// dumpRedis calls fn for every key under the prefix and every field,
// member and value in it.
func dumpRedis(t *testing.T, o Options, fn func(key, value string)) {
	t.Helper()
	ctx := context.Background()
	c := o.Redis
	iter := c.Scan(ctx, 0, o.Prefix+"*", 100).Iterator()
	for iter.Next(ctx) {
		k := iter.Val()
		typ, err := c.Type(ctx, k).Result()
		if err != nil {
			t.Fatal(err)
		}
		switch typ {
		case "hash":
			for f, v := range c.HGetAll(ctx, k).Val() {
				fn(k, f+"="+v)
			}
		case "zset":
			for _, m := range c.ZRangeWithScores(ctx, k, 0, -1).Val() {
				fn(k, m.Member.(string))
			}
		case "set":
			for _, m := range c.SMembers(ctx, k).Val() {
				fn(k, m)
			}
		case "string": // HyperLogLogs and salts
			fn(k, c.Get(ctx, k).Val())
		case "list": // the history of entered impressions
			for _, e := range c.LRange(ctx, k, 0, -1).Val() {
				fn(k, e)
			}
		default:
			t.Errorf("unexpected key type %s for %s", typ, k)
		}
	}
	if err := iter.Err(); err != nil {
		t.Fatal(err)
	}
}

func TestEmbeddedVisitorSetsShrinkToCountsOnceTheirDayIsOver(t *testing.T) {
	day1 := dayStart(time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC)).Add(10 * time.Hour)
	clk := &clock{t: day1}
	b := newTestRecorder(t, Options{}, clk)
	for i := 0; i < 30; i++ {
		b.Record(Event{Kind: PageView, Campaign: "ligestilling", IP: fmt.Sprint("198.51.100.", i), UserAgent: chrome})
	}
	flush(t, b)
	clk.Set(day1.Add(3 * 24 * time.Hour))
	b.Record(Event{Kind: Decline, Campaign: "ligestilling"})
	flush(t, b)

	mem := b.be.(*memory)
	key := b.k.uniques("ligestilling", day1)
	mem.mu.Lock()
	_, hashes := mem.sets[key]
	frozen := mem.frozen[key]
	mem.mu.Unlock()
	if hashes || frozen != 30 {
		t.Errorf("day one's set kept its hashes: %v, frozen count %d; want no hashes and a count of 30", hashes, frozen)
	}
	r := report(t, b, dayStart(day1), dayStart(day1).Add(4*24*time.Hour), Day)
	if r.Totals.UniqueVisitors != 30 || *r.Series[0].UniqueVisitors != 30 {
		t.Errorf("unique visitors after freezing = %d, want 30", r.Totals.UniqueVisitors)
	}
}

// TestEmbeddedReportsIncludeWhatIsBuffered: in embedded mode a report
// right after an event shows it, without waiting for the next flush.
func TestEmbeddedReportsIncludeWhatIsBuffered(t *testing.T) {
	clk := &clock{t: testStart()}
	b := NewRecorder(Options{FlushInterval: time.Hour, Now: clk.Now})
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	b.Record(Event{Kind: Decline, Campaign: "ligestilling", Token: tokenLars})
	r := report(t, b, clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour), Day)
	if r.Totals.Declines != 1 {
		t.Errorf("a report right after a decline shows %d declines, want 1", r.Totals.Declines)
	}
}

func TestOptionsDefaults(t *testing.T) {
	tests := []struct {
		name string
		in   Options
		want Options
	}{
		{"zero values get the defaults", Options{},
			Options{BufferSize: DefaultBufferSize, FlushInterval: DefaultFlushInterval, Prefix: DefaultPrefix, Retention: DefaultRetention, MaxPending: DefaultMaxPending, Timeout: DefaultTimeout}},
		{"negative values get the defaults too", Options{BufferSize: -1, FlushInterval: -time.Second, Retention: -1, MaxPending: -5, Timeout: -time.Millisecond},
			Options{BufferSize: DefaultBufferSize, FlushInterval: DefaultFlushInterval, Prefix: DefaultPrefix, Retention: DefaultRetention, MaxPending: DefaultMaxPending, Timeout: DefaultTimeout}},
		{"values that are set are kept", Options{BufferSize: 3, FlushInterval: time.Minute, Prefix: "p:", Retention: time.Hour, MaxPending: 7, Timeout: time.Second},
			Options{BufferSize: 3, FlushInterval: time.Minute, Prefix: "p:", Retention: time.Hour, MaxPending: 7, Timeout: time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.in.withDefaults()
			if got.Log == nil || got.Now == nil {
				t.Fatal("no default logger or clock")
			}
			got.Log, got.Now = nil, nil
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
