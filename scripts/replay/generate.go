package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

// scale describes a generated campaign: Invitations minted evenly over
// Days from Start, each opened by a few visitors on its day and some the
// next. The same scale always gives the same events (a fixed seed).
type scale struct {
	Campaign    string
	Invitations int
	Days        int
	Start       time.Time
}

// generated is what a generator played, to compare the reports with.
type generated struct {
	events, pageViews, declines, invitations int64
}

// recorder is what the generator writes into: the stats pipeline's
// recorder, flushed between days as the service's flusher would.
type recorder interface {
	stats.Recorder
	Flush(ctx context.Context) error
	Dropped() uint64
}

// chunk is how many events are recorded between flushes: well inside the
// recorder's buffer, so nothing is dropped however fast the loop runs.
const chunk = 4000

// generate plays sc into rec through the stats pipeline (the events the
// handlers would record, not the HTTP requests: 100,000 invitations by
// HTTP would render and sign for minutes), moving clk through the days.
// It stops with ctx, so a benchmark's set-up is bounded in time.
func generate(ctx context.Context, rec recorder, clk *clock, sc scale) (generated, error) {
	var g generated
	rng := rand.New(rand.NewPCG(uint64(sc.Invitations), uint64(sc.Days)))
	perDay := (sc.Invitations + sc.Days - 1) / sc.Days
	var carried []stats.Event // visits of yesterday's invitations, played today
	for d := 0; d < sc.Days; d++ {
		day := sc.Start.AddDate(0, 0, d)
		events := carried
		carried = nil
		for k := 0; k < perDay; k++ {
			i := d*perDay + k
			if i >= sc.Invitations {
				break
			}
			g.invitations++
			tok := fmt.Sprintf("gen-%s-%07d", sc.Campaign, i)
			minted := day.Add(time.Duration(6*3600+rng.IntN(12*3600)) * time.Second)
			at := func(after time.Duration) time.Time { return minted.Add(after) }
			events = append(events, stats.Event{Kind: stats.Minted, Campaign: sc.Campaign, Token: tok, At: minted})
			for _, p := range []string{"linkedin", "facebook"} {
				events = append(events, stats.Event{Kind: stats.PreviewFetch, Campaign: sc.Campaign, Token: tok, Platform: p, At: at(time.Minute)})
			}
			visitors := 1 + rng.IntN(4)
			for v := 0; v < visitors; v++ {
				when := at(time.Duration(2+rng.IntN(300)) * time.Minute)
				visit := visitEvents(rng, sc.Campaign, tok, fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256), v, when)
				if !sameDay(when, day) {
					carried = append(carried, visit...)
					continue
				}
				events = append(events, visit...)
			}
			if rng.IntN(5) == 0 { // one in five is opened again the next day
				visit := visitEvents(rng, sc.Campaign, tok, fmt.Sprintf("10.%d.%d.%d", i/65536%256, i/256%256, i%256), 9, day.Add(24*time.Hour+time.Duration(7*60+rng.IntN(14*60))*time.Minute))
				carried = append(carried, visit...)
			}
		}
		sort.SliceStable(events, func(a, b int) bool { return events[a].At.Before(events[b].At) })
		for n, e := range events {
			if n%chunk == 0 {
				if err := ctx.Err(); err != nil {
					return g, fmt.Errorf("generating day %d: %w", d+1, err)
				}
				if n > 0 {
					if err := rec.Flush(ctx); err != nil {
						return g, err
					}
				}
			}
			clk.set(e.At)
			rec.Record(e)
			g.events++
			switch e.Kind {
			case stats.PageView:
				g.pageViews++
			case stats.Decline:
				g.declines++ // raw; the once-counts are the store's
			}
		}
		// The day's events are in before its salt would go.
		clk.set(day.Add(24*time.Hour - time.Minute))
		if err := rec.Flush(ctx); err != nil {
			return g, fmt.Errorf("flush day %d: %w", d+1, err)
		}
	}
	if n := rec.Dropped(); n > 0 {
		return g, fmt.Errorf("the recorder dropped %d events", n)
	}
	return g, nil
}

// visitEvents is one visitor's visit to an invitation: one or two page
// views with their visible time, and perhaps a decline and the learning
// click it leads to, or a share.
func visitEvents(rng *rand.Rand, c, tok, ip string, visitor int, at time.Time) []stats.Event {
	ua := fmt.Sprintf("Mozilla/5.0 (visitor %d) Safari/604.1", visitor)
	e := func(k stats.Kind, after time.Duration) stats.Event {
		return stats.Event{Kind: k, Campaign: c, Token: tok, IP: ip, UserAgent: ua, Human: true, At: at.Add(after)}
	}
	out := []stats.Event{e(stats.PageView, 0)}
	beacon := e(stats.EngagedTime, 3*time.Minute)
	beacon.Seconds = float64(30 + rng.IntN(360))
	out = append(out, beacon)
	if rng.IntN(3) == 0 {
		out = append(out, e(stats.PageView, 4*time.Minute))
	}
	if rng.IntN(5) < 2 {
		out = append(out, e(stats.Decline, 5*time.Minute), e(stats.LearningClick, 5*time.Minute+time.Second))
	}
	if rng.IntN(10) == 0 {
		out = append(out, e(stats.ShareClick, 6*time.Minute))
	}
	return out
}

func sameDay(a, b time.Time) bool {
	return a.UTC().Format(time.DateOnly) == b.UTC().Format(time.DateOnly)
}
