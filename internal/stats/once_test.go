package stats

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

func TestActionsCountOncePerInvitationVisitorAndDay(t *testing.T) {
	const other = "v1.k1.S2FyZW4gSmVuc2Vu.sig"
	type act struct {
		kind  Kind
		token string
		ip    string
		day   int // days after the first
	}
	repeat := func(n int, a act) []act {
		out := make([]act, n)
		for i := range out {
			out[i] = a
		}
		return out
	}
	lars := act{kind: Decline, token: tokenLars, ip: "198.51.100.7"}
	tests := []struct {
		name      string
		acts      []act
		kind      Kind
		want, raw int64
	}{
		{"five declines from one visitor count one", repeat(5, lars), Decline, 1, 5},
		{"two visitors count two", append(repeat(3, lars), act{Decline, tokenLars, "198.51.100.8", 0}), Decline, 2, 4},
		{"the same visitor the next day counts again", append(repeat(2, lars), act{Decline, tokenLars, "198.51.100.7", 1}), Decline, 2, 3},
		{"one visitor declining two invitations counts two", append(repeat(2, lars), act{Decline, other, "198.51.100.7", 0}), Decline, 2, 3},
		{"learning clicks count once too", repeat(4, act{LearningClick, tokenLars, "198.51.100.7", 0}), LearningClick, 1, 4},
		{"share clicks count once too", repeat(3, act{ShareClick, tokenLars, "198.51.100.7", 0}), ShareClick, 1, 3},
		{"downloads count once too", repeat(3, act{Download, tokenLars, "198.51.100.7", 0}), Download, 1, 3},
	}
	eachStore(t, func(t *testing.T, o Options) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				clk := &clock{t: testStart()}
				o := o
				o.Prefix += fmt.Sprint("once", i, ":")
				b := newTestRecorder(t, o, clk)
				for j, a := range tt.acts {
					b.Record(Event{Kind: a.kind, Campaign: "ligestilling", Token: a.token, Variant: "story", IP: a.ip, UserAgent: chrome,
						At: clk.Now().Add(time.Duration(a.day)*24*time.Hour + time.Duration(j)*time.Minute)})
					if j%2 == 1 {
						flush(t, b) // some repeats meet the store, some only the batch
					}
				}
				flush(t, b)
				r := report(t, b, dayStart(clk.Now()), dayStart(clk.Now()).Add(48*time.Hour), Day)
				got, raw := onceCount(r, tt.kind)
				if got != tt.want || raw != tt.raw {
					t.Errorf("%s: %d counted, %d raw; want %d and %d", tt.kind, got, raw, tt.want, tt.raw)
				}
				var series int64
				for _, p := range r.Series {
					series += pointCount(p, tt.kind)
				}
				if series != tt.want {
					t.Errorf("the daily series adds up to %d, want %d", series, tt.want)
				}
			})
		}
	})
}

func onceCount(r *Report, k Kind) (counted, raw int64) {
	switch k {
	case Decline:
		return r.Totals.Declines, r.Raw.Declines
	case LearningClick:
		return r.Totals.LearningClicks, r.Raw.LearningClicks
	case ShareClick:
		return r.Totals.ShareClicks, r.Raw.ShareClicks
	case Download:
		return r.Totals.Downloads, r.Raw.Downloads
	case PreviewFetch:
		return r.Totals.PreviewFetches, r.Raw.PreviewFetches
	}
	panic("not a kind that counts once: " + k)
}

func pointCount(p Point, k Kind) int64 {
	switch k {
	case Decline:
		return p.Declines
	case LearningClick:
		return p.LearningClicks
	case ShareClick:
		return p.ShareClicks
	case Download:
		return p.Downloads
	case PreviewFetch:
		return p.PreviewFetches
	}
	return 0
}

func TestAnUnfurlIsOnePreview(t *testing.T) {
	type fetch struct {
		kind   Kind // PageView with a crawler's User-Agent, or PreviewFetch of an image
		ua     string
		token  string
		offset time.Duration
	}
	const facebook = "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)"
	page := func(ua string, at time.Duration) fetch { return fetch{PageView, ua, tokenLars, at} }
	image := func(ua string, at time.Duration) fetch { return fetch{PreviewFetch, ua, tokenLars, at} }
	tests := []struct {
		name      string
		fetches   []fetch
		want, raw int64
	}{
		{"a page fetch and an image fetch by one crawler are one preview", []fetch{page(linkedin, 0), image(linkedin, 2*time.Second)}, 1, 2},
		{"the image fetched first changes nothing", []fetch{image(linkedin, 0), page(linkedin, time.Second)}, 1, 2},
		{"ten minutes later it is another preview", []fetch{page(linkedin, 0), image(linkedin, time.Second), page(linkedin, 10*time.Minute), image(linkedin, 10*time.Minute+time.Second)}, 2, 4},
		{"nine minutes later it is the same preview", []fetch{page(linkedin, 0), page(linkedin, 9*time.Minute)}, 1, 2},
		{"another platform is another preview", []fetch{page(linkedin, 0), page(facebook, time.Second)}, 2, 2},
		{"another invitation is another preview", []fetch{page(linkedin, 0), {PageView, linkedin, "v1.k1.S2FyZW4.sig", time.Second}}, 2, 2},
	}
	eachStore(t, func(t *testing.T, o Options) {
		for i, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				clk := &clock{t: testStart()}
				o := o
				o.Prefix += fmt.Sprint("unfurl", i, ":")
				b := newTestRecorder(t, o, clk)
				for j, f := range tt.fetches {
					platform, _ := Crawler("GET", f.ua)
					b.Record(Event{Kind: f.kind, Campaign: "ligestilling", Token: f.token, Platform: platform, IP: "192.0.2.44", UserAgent: f.ua, At: clk.Now().Add(f.offset)})
					if j == 0 {
						flush(t, b) // the first fetch is in the store before the second comes
					}
				}
				flush(t, b)
				r := report(t, b, clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour), Hour)
				if r.Totals.PreviewFetches != tt.want || r.Raw.PreviewFetches != tt.raw {
					t.Errorf("previews: %d counted, %d raw; want %d and %d", r.Totals.PreviewFetches, r.Raw.PreviewFetches, tt.want, tt.raw)
				}
				var platforms int64
				for _, p := range r.Platforms {
					platforms += p.PreviewFetches
				}
				if platforms != tt.want || r.Funnel[1].Count != tt.want {
					t.Errorf("platforms add up to %d previews and the funnel shows %d, want %d", platforms, r.Funnel[1].Count, tt.want)
				}
				if r.Totals.PageViews != 0 {
					t.Errorf("a crawler's fetch counted as %d page views", r.Totals.PageViews)
				}
			})
		}
	})
}

// TestCountsWrittenBeforeCountingOnceReadAsRaw: a counter hash without the
// mark was written before declines counted once; its raw count stands.
func TestCountsWrittenBeforeCountingOnceReadAsRaw(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		clk := &clock{t: testStart()}
		b := newTestRecorder(t, o, clk)
		ctx := context.Background()
		for f, n := range map[string]int64{"decline": 3, "preview_fetch": 2, "preview_fetch/p=linkedin": 2} {
			if err := b.be.changeField(ctx, b.k.hour("ligestilling", clk.Now()), f, &n, b.k.impressionsLog("scratch"), "x"); err != nil {
				t.Fatal(err)
			}
		}
		three := int64(3)
		if err := b.be.changeField(ctx, b.k.invitation("ligestilling", "0de90da5aa026ef0", clk.Now()), "decline", &three, b.k.impressionsLog("scratch"), "x"); err != nil {
			t.Fatal(err)
		}
		r := report(t, b, clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour), Day)
		if r.Totals.Declines != 3 || r.Raw.Declines != 3 || r.Totals.PreviewFetches != 2 || len(r.Platforms) != 1 || r.Platforms[0].PreviewFetches != 2 {
			t.Errorf("old counters read as %+v, raw %+v, platforms %+v; want 3 declines and 2 previews", r.Totals, r.Raw, r.Platforms)
		}
	})
}

// TestNoRateExceedsOneHundredPercent plays random campaigns — visitors
// opening invitations on several days, declining, clicking and downloading
// again and again, crawlers unfurling links — and checks that the counts
// are exactly those of a plain model, and so that every share the
// dashboard shows stays within 100 %: declines, share clicks, downloads and
// unique visitors per page view, learning clicks per decline, each per day
// and per invitation as in total.
//
// Declines per unique visitor is no such share: one person may decline
// several invitations in a day, and each counts. The dashboard does not
// show it.
func TestNoRateExceedsOneHundredPercent(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		streams := 40
		if o.Redis != nil {
			streams = 12
		}
		seed := uint64(time.Now().UnixNano())
		t.Logf("seed %d", seed)
		rng := rand.New(rand.NewPCG(seed, 1))
		clk := &clock{t: testStart()}
		b := newTestRecorder(t, o, clk)
		day0 := dayStart(clk.Now())
		for s := 0; s < streams; s++ {
			campaign := fmt.Sprint("prop-", s)
			want := playRandomCampaign(t, b, rng, campaign, day0)
			r, err := b.Report(context.Background(), Query{Campaign: campaign, From: day0, To: day0.Add(3 * 24 * time.Hour), Granularity: Day})
			if err != nil {
				t.Fatal(err)
			}
			got := Totals{PageViews: r.Totals.PageViews, Declines: r.Totals.Declines, LearningClicks: r.Totals.LearningClicks,
				ShareClicks: r.Totals.ShareClicks, Downloads: r.Totals.Downloads, PreviewFetches: r.Totals.PreviewFetches}
			if got != want.Totals {
				t.Fatalf("stream %d (seed %d): counted %+v\nwant            %+v", s, seed, got, want.Totals)
			}
			if r.Raw != want.Raw {
				t.Fatalf("stream %d (seed %d): raw %+v, want %+v", s, seed, r.Raw, want.Raw)
			}
			if o.Redis == nil && r.Totals.UniqueVisitors != want.UniqueVisitors {
				t.Fatalf("stream %d (seed %d): %d unique visitors, want %d", s, seed, r.Totals.UniqueVisitors, want.UniqueVisitors)
			}
			checkShares(t, fmt.Sprintf("stream %d (seed %d) in total", s, seed), r.Totals.PageViews, r.Totals.UniqueVisitors,
				r.Totals.Declines, r.Totals.LearningClicks, r.Totals.ShareClicks, r.Totals.Downloads)
			for _, p := range r.Series {
				checkShares(t, fmt.Sprintf("stream %d (seed %d) on %s", s, seed, p.Start.Format(time.DateOnly)), p.PageViews, *p.UniqueVisitors,
					p.Declines, p.LearningClicks, p.ShareClicks, p.Downloads)
			}
			for _, inv := range r.TopInvitations {
				checkShares(t, fmt.Sprintf("stream %d (seed %d), invitation %s", s, seed, inv.ID), inv.PageViews, inv.PageViews,
					inv.Declines, inv.LearningClicks, inv.ShareClicks, inv.Downloads)
			}
			var variants int64
			for _, v := range r.Variants {
				variants += v.Downloads
			}
			if variants != r.Totals.Downloads {
				t.Fatalf("stream %d (seed %d): variants add up to %d downloads, want %d", s, seed, variants, r.Totals.Downloads)
			}
		}
	})
}

func checkShares(t *testing.T, where string, views, visitors, declines, learning, shares, downloads int64) {
	t.Helper()
	for _, s := range []struct {
		name        string
		part, whole int64
	}{
		{"declines per page view", declines, views},
		{"unique visitors per page view", visitors, views},
		{"share clicks per page view", shares, views},
		{"downloads per page view", downloads, views},
		{"learning clicks per page view", learning, views},
		{"learning clicks per decline", learning, declines},
	} {
		if s.part > s.whole {
			t.Fatalf("%s: %s is %d of %d, over 100 %%", where, s.name, s.part, s.whole)
		}
	}
}

type modelCounts struct {
	Totals         Totals // the kinds that count once, and page views
	Raw            RawCounts
	UniqueVisitors int64
}

// playRandomCampaign records a random campaign into b, flushing at random
// points, and returns what it must count. Visitors act as the service lets
// them: they open an invitation's page, then on it decline (and go on to
// the learning site), share or download, as often as they like. Crawlers
// unfurl a link with a page fetch and image fetches a few seconds apart;
// one platform unfurls one invitation at most once a quarter hour.
func playRandomCampaign(t *testing.T, b *Buffered, rng *rand.Rand, campaign string, day0 time.Time) modelCounts {
	t.Helper()
	var m modelCounts
	visitors := 1 + rng.IntN(8)
	invitations := 1 + rng.IntN(5)
	type pair struct{ kind, inv, visitor, day int }
	once := map[pair]bool{}
	uniques := map[[2]int]bool{}
	ev := func(k Kind, inv, visitor int, at time.Time) Event {
		return Event{Kind: k, Campaign: campaign, Token: fmt.Sprint("tok-", inv), IP: fmt.Sprint("203.0.113.", visitor),
			UserAgent: chrome, Variant: []string{"square", "portrait", "story"}[rng.IntN(3)], Human: true, At: at}
	}
	count := func(k Kind, inv, visitor, day int) {
		p := pair{slices.Index(Kinds, k), inv, visitor, day}
		first := !once[p]
		once[p] = true
		switch k {
		case Decline:
			m.Raw.Declines++
			if first {
				m.Totals.Declines++
			}
		case LearningClick:
			m.Raw.LearningClicks++
			if first {
				m.Totals.LearningClicks++
			}
		case ShareClick:
			m.Raw.ShareClicks++
			if first {
				m.Totals.ShareClicks++
			}
		case Download:
			m.Raw.Downloads++
			if first {
				m.Totals.Downloads++
			}
		}
	}
	sessions := 1 + rng.IntN(25)
	for s := 0; s < sessions; s++ {
		v, inv, day := rng.IntN(visitors), rng.IntN(invitations), rng.IntN(3)
		at := day0.Add(time.Duration(day)*24*time.Hour + 30*time.Minute + time.Duration(rng.IntN(22*60))*time.Minute)
		for range 1 + rng.IntN(3) {
			b.Record(ev(PageView, inv, v, at))
			m.Totals.PageViews++
			uniques[[2]int{v, day}] = true
			at = at.Add(time.Duration(rng.IntN(60)) * time.Second)
		}
		for range rng.IntN(6) {
			k := []Kind{Decline, Decline, ShareClick, Download}[rng.IntN(4)]
			b.Record(ev(k, inv, v, at))
			count(k, inv, v, day)
			if k == Decline { // the decline's redirect to the learning site
				b.Record(ev(LearningClick, inv, v, at))
				count(LearningClick, inv, v, day)
			}
			at = at.Add(time.Duration(rng.IntN(30)) * time.Second)
		}
		if rng.IntN(3) == 0 {
			flush(t, b)
		}
	}
	platforms := []string{linkedin, "facebookexternalhit/1.1", "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)"}
	slots := map[[3]int]bool{}
	for range rng.IntN(12) {
		inv, pl, slot := rng.IntN(invitations), rng.IntN(len(platforms)), rng.IntN(3*24*4)
		if slots[[3]int{inv, pl, slot}] {
			continue
		}
		slots[[3]int{inv, pl, slot}] = true
		at := day0.Add(time.Duration(slot) * 15 * time.Minute)
		p, _ := Crawler("GET", platforms[pl])
		crawl := Event{Kind: PageView, Campaign: campaign, Token: fmt.Sprint("tok-", inv), UserAgent: platforms[pl], Platform: p, IP: "192.0.2.9", At: at}
		b.Record(crawl)
		m.Totals.PreviewFetches++
		m.Raw.PreviewFetches++
		for range rng.IntN(3) {
			crawl.Kind, crawl.At = PreviewFetch, crawl.At.Add(time.Duration(1+rng.IntN(5))*time.Second)
			b.Record(crawl)
			m.Raw.PreviewFetches++
		}
		if rng.IntN(3) == 0 {
			flush(t, b)
		}
	}
	flush(t, b)
	m.UniqueVisitors = int64(len(uniques))
	return m
}
