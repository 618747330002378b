package stats

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestQueryValidation(t *testing.T) {
	now := time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		q    Query
		want string // substring of the error; "" = valid
	}{
		{"a day range is valid", Query{"ligestilling", now.Add(-7 * 24 * time.Hour), now, Day, nil}, ""},
		{"an hour range of a day is valid", Query{"ligestilling", now.Add(-24 * time.Hour), now, Hour, nil}, ""},
		{"a missing campaign is refused", Query{"", now.Add(-time.Hour), now, Day, nil}, "campaign id"},
		{"a campaign with markup is refused", Query{"<b>", now.Add(-time.Hour), now, Day, nil}, "campaign id"},
		{"a range that ends before it starts is refused", Query{"ligestilling", now, now.Add(-time.Hour), Day, nil}, "must be before"},
		{"an empty range is refused", Query{"ligestilling", now, now, Day, nil}, "must be before"},
		{"a missing from is refused", Query{"ligestilling", time.Time{}, now, Day, nil}, "both from and to"},
		{"an unknown granularity is refused", Query{"ligestilling", now.Add(-time.Hour), now, "week", nil}, "hour or day"},
		{"hourly over two months is refused", Query{"ligestilling", now.Add(-60 * 24 * time.Hour), now, Hour, nil}, "at most 31 days"},
		{"daily over two years is refused", Query{"ligestilling", now.Add(-800 * 24 * time.Hour), now, Day, nil}, "at most 400 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.q.Validate()
			if tt.want == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrBadInput) {
				t.Fatalf("error = %v, want a bad-input error mentioning %q", err, tt.want)
			}
		})
	}
}

func TestReportOverARange(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		day1 := dayStart(testStart())
		clk := &clock{t: day1.Add(26 * time.Hour)}
		b := newTestRecorder(t, o, clk)
		// 25 invitations with i+1 views each over two days; only 20 listed.
		for i := 0; i < 25; i++ {
			for v := 0; v <= i; v++ {
				at := day1.Add(time.Duration(9+v%2*24) * time.Hour)
				b.Record(Event{Kind: PageView, Campaign: "ligestilling", Token: fmt.Sprintf("tok-%02d", i), IP: fmt.Sprint("10.0.0.", v), UserAgent: chrome, At: at})
			}
		}
		b.Record(Event{Kind: Decline, Campaign: "ligestilling", At: day1.Add(30 * time.Hour)})
		b.Record(Event{Kind: PageView, Campaign: "other-campaign", IP: "10.0.0.1", UserAgent: chrome, At: day1.Add(9 * time.Hour)})
		b.Record(Event{Kind: Decline, Campaign: "ligestilling", At: day1.Add(-2 * time.Hour)}) // the day before: outside
		flush(t, b)
		ctx := context.Background()
		for _, imp := range []struct {
			day      time.Time
			platform string
			n        int64
		}{{day1, "linkedin", 877209}, {day1, "linkedin", 877210}, {day1.Add(24 * time.Hour), "facebook", 1000}, {day1.Add(-24 * time.Hour), "facebook", 5}} {
			if err := b.SetImpressions(ctx, "ligestilling", imp.day, imp.platform, imp.n); err != nil {
				t.Fatal(err)
			}
		}

		r := report(t, b, day1, day1.Add(48*time.Hour), Day)
		if r.Totals.PageViews != 325 || r.Totals.Declines != 1 {
			t.Errorf("page views = %d, declines = %d; want 325 and 1", r.Totals.PageViews, r.Totals.Declines)
		}
		if len(r.TopInvitations) != TopN {
			t.Fatalf("top invitations = %d, want %d", len(r.TopInvitations), TopN)
		}
		if r.TopInvitations[0].ID != InvitationID("tok-24") || r.TopInvitations[0].PageViews != 25 ||
			r.TopInvitations[19].ID != InvitationID("tok-05") || r.TopInvitations[19].PageViews != 6 {
			t.Errorf("top list = first %+v, last %+v; want tok-24 with 25 views first and tok-05 with 6 last", r.TopInvitations[0], r.TopInvitations[19])
		}
		if len(r.Series) != 2 || r.Series[0].PageViews+r.Series[1].PageViews != 325 || r.Series[1].Declines != 1 {
			t.Errorf("series = %+v", r.Series)
		}
		if r.Totals.ImpressionsEntered != 877210+1000 {
			t.Errorf("entered impressions = %d, want the corrected 877210 plus 1000", r.Totals.ImpressionsEntered)
		}
		for _, imp := range r.ImpressionsEntered {
			if imp.Source != "entered" {
				t.Errorf("impression %+v not labelled as entered", imp)
			}
		}
		if len(r.ImpressionsEntered) != 2 || r.ImpressionsEntered[0] != (Impression{Day: day1.Format(time.DateOnly), Platform: "linkedin", Count: 877210, Source: "entered"}) {
			t.Errorf("impressions = %+v", r.ImpressionsEntered)
		}
		ids, err := b.Campaigns(ctx)
		if err != nil || strings.Join(ids, ",") != "ligestilling,other-campaign" {
			t.Errorf("campaigns = %v, %v", ids, err)
		}
	})
}

func TestImpressionEntryValidation(t *testing.T) {
	s := NewStore(Options{Now: func() time.Time { return time.Date(2026, 3, 8, 12, 0, 0, 0, time.UTC) }})
	day := time.Date(2026, 3, 7, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		campaign string
		day      time.Time
		platform string
		n        int64
		want     string
	}{
		{"LinkedIn impressions for yesterday are stored", "ligestilling", day, "linkedin", 877209, ""},
		{"an unknown platform is refused", "ligestilling", day, "myspace", 1, "platform"},
		{"a negative count is refused", "ligestilling", day, "linkedin", -1, "whole number"},
		{"an absurd count is refused", "ligestilling", day, "linkedin", MaxImpressions + 1, "whole number"},
		{"a day next week is refused", "ligestilling", day.AddDate(0, 0, 9), "linkedin", 1, "future"},
		{"a bad campaign id is refused", "a b", day, "linkedin", 1, "campaign"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.SetImpressions(context.Background(), tt.campaign, tt.day, tt.platform, tt.n)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrBadInput)) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
