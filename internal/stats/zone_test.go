package stats

import (
	"context"
	"testing"
	"time"
)

// TestDaysAreTheCampaigns: with the campaign in Copenhagen, an event at
// 23:30 UTC counts on the next day, and the days across the changes to
// and from summer time are 23 and 25 hours long; page views, unique
// visitors and declines (once per visitor and day) follow those days, in
// memory and in Redis.
func TestDaysAreTheCampaigns(t *testing.T) {
	cph, err := time.LoadLocation("Europe/Copenhagen")
	if err != nil {
		t.Fatal(err)
	}
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name     string
		events   []string // UTC times of a page view and a decline by one visitor
		from, to string   // the dates asked for (Copenhagen days)
		days     []string // each day's start, as the series gives it
		perDay   []int64  // page views = unique visitors = declines per day
	}{
		{"midnight in winter",
			[]string{"2026-12-01T22:30:00Z", "2026-12-01T23:30:00Z"},
			"2026-12-01", "2026-12-02",
			[]string{"2026-12-01T00:00:00+01:00", "2026-12-02T00:00:00+01:00"}, []int64{1, 1}},
		{"into summer time (a 23-hour day)",
			[]string{"2026-03-28T22:30:00Z", "2026-03-28T23:30:00Z", "2026-03-29T21:30:00Z", "2026-03-29T22:30:00Z"},
			"2026-03-28", "2026-03-30",
			[]string{"2026-03-28T00:00:00+01:00", "2026-03-29T00:00:00+01:00", "2026-03-30T00:00:00+02:00"}, []int64{1, 2, 1}},
		{"out of summer time (a 25-hour day)",
			[]string{"2026-10-24T21:30:00Z", "2026-10-24T22:30:00Z", "2026-10-25T22:30:00Z", "2026-10-25T23:30:00Z"},
			"2026-10-24", "2026-10-26",
			[]string{"2026-10-24T00:00:00+02:00", "2026-10-25T00:00:00+02:00", "2026-10-26T00:00:00+01:00"}, []int64{1, 2, 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			eachStore(t, func(t *testing.T, o Options) {
				o.Zone = func(c string) *time.Location {
					if c == "ligestilling" {
						return cph
					}
					return nil
				}
				clk := &clock{t: utc(tc.events[0])}
				b := newTestRecorder(t, o, clk)
				for _, at := range tc.events {
					clk.Set(utc(at))
					for _, k := range []Kind{PageView, Decline} {
						b.Record(Event{Kind: k, Campaign: "ligestilling", Token: tokenLars, IP: "198.51.100.7", UserAgent: chrome, Human: true})
					}
					flush(t, b)
				}
				q, err := ParseQueryIn("ligestilling", tc.from, tc.to, "day", clk.Now(), cph)
				if err != nil {
					t.Fatal(err)
				}
				r, err := b.Report(context.Background(), q)
				if err != nil {
					t.Fatal(err)
				}
				if len(r.Series) != len(tc.days) {
					t.Fatalf("%d days in the series, want %d: %+v", len(r.Series), len(tc.days), r.Series)
				}
				var sum int64
				for i, p := range r.Series {
					if got := p.Start.Format(time.RFC3339); got != tc.days[i] {
						t.Errorf("day %d starts %s, want %s", i, got, tc.days[i])
					}
					if p.PageViews != tc.perDay[i] || p.Declines != 1 || p.UniqueVisitors == nil || *p.UniqueVisitors != 1 {
						t.Errorf("%s: %d page views, %d declines, %v visitors; want %d, 1, 1", tc.days[i], p.PageViews, p.Declines, p.UniqueVisitors, tc.perDay[i])
					}
					sum += p.PageViews
				}
				if r.Totals.PageViews != sum || r.Totals.Declines != int64(len(tc.days)) || r.Totals.UniqueVisitors != int64(len(tc.days)) {
					t.Errorf("totals %+v over %d days", r.Totals, len(tc.days))
				}
				page, err := b.Invitations(context.Background(), q, 0, 10)
				if err != nil || len(page.Invitations) != 1 {
					t.Fatalf("invitations: %+v, %v", page, err)
				}
				if inv := page.Invitations[0]; inv.PageViews != sum || inv.Declines != int64(len(tc.days)) {
					t.Errorf("the invitation has %d views, %d declines; want %d, %d", inv.PageViews, inv.Declines, sum, len(tc.days))
				}
			})
		})
	}
}

// TestADateIsADayInTheCampaignsZone: the API's dates are the campaign's
// days; RFC 3339 times stay the instants they name.
func TestADateIsADayInTheCampaignsZone(t *testing.T) {
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	now := time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		loc              *time.Location
		from, to         string
		wantFrom, wantTo string
	}{
		{cph, "2026-12-01", "2026-12-02", "2026-11-30T23:00:00Z", "2026-12-02T23:00:00Z"},
		{cph, "2026-03-29", "2026-03-29", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"},
		{nil, "2026-12-01", "2026-12-02", "2026-12-01T00:00:00Z", "2026-12-03T00:00:00Z"},
		{cph, "2026-12-01T06:00:00Z", "2026-12-01T18:00:00Z", "2026-12-01T06:00:00Z", "2026-12-01T18:00:00Z"},
	} {
		q, err := ParseQueryIn("ligestilling", tc.from, tc.to, "", now, tc.loc)
		if err != nil {
			t.Fatal(err)
		}
		if f, to := q.From.UTC().Format(time.RFC3339), q.To.UTC().Format(time.RFC3339); f != tc.wantFrom || to != tc.wantTo {
			t.Errorf("%s–%s in %v: %s–%s, want %s–%s", tc.from, tc.to, tc.loc, f, to, tc.wantFrom, tc.wantTo)
		}
	}
}
