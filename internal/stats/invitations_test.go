package stats

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"testing"
	"time"
)

// TestInvitationsArePaged: the per-invitation table comes a page at a
// time, most page views first, every invitation exactly once across the
// pages, in memory and in Redis.
func TestInvitationsArePaged(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		day1 := dayStart(testStart())
		clk := &clock{t: day1.Add(26 * time.Hour)}
		b := newTestRecorder(t, o, clk)
		const n = 25
		for i := 0; i < n; i++ {
			for v := 0; v <= i; v++ {
				b.Record(Event{Kind: PageView, Campaign: "ligestilling", Token: fmt.Sprintf("tok-%02d", i), IP: fmt.Sprint("10.0.0.", v), UserAgent: chrome, At: day1.Add(9 * time.Hour)})
			}
		}
		flush(t, b)
		q := Query{Campaign: "ligestilling", From: day1, To: day1.Add(48 * time.Hour), Granularity: Day}
		seen := map[string]bool{}
		var views []int64
		for offset := 0; ; offset += 10 {
			page, err := b.Invitations(context.Background(), q, offset, 10)
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != n || page.Offset != offset {
				t.Fatalf("page at %d: total %d, offset %d", offset, page.Total, page.Offset)
			}
			if len(page.Invitations) == 0 {
				break
			}
			if len(page.Invitations) > 10 {
				t.Fatalf("%d rows on a page of 10", len(page.Invitations))
			}
			for _, inv := range page.Invitations {
				if seen[inv.ID] {
					t.Errorf("%s on two pages", inv.ID)
				}
				seen[inv.ID] = true
				views = append(views, inv.PageViews)
			}
		}
		if len(seen) != n {
			t.Errorf("%d invitations over the pages, want %d", len(seen), n)
		}
		for i := 1; i < len(views); i++ {
			if views[i] > views[i-1] {
				t.Fatalf("not most views first: %v", views)
			}
		}
		if views[0] != n {
			t.Errorf("the first row has %d views, want %d", views[0], n)
		}
		for _, bad := range [][2]int{{-1, 10}, {0, 0}, {0, MaxInvitationPage + 1}} {
			if _, err := b.Invitations(context.Background(), q, bad[0], bad[1]); !errors.Is(err, ErrBadInput) {
				t.Errorf("offset %d, limit %d: %v", bad[0], bad[1], err)
			}
		}
	})
}

// TestTheRankingAgreesWithTheDailyLists: a range that covers the whole
// campaign is paged from the campaign's running ranking, any other range
// from its daily top lists summed in the store; both give the order a
// plain count of the events gives, in memory and in Redis, and a day whose
// page views were stored before the ranking existed is never read from it.
func TestTheRankingAgreesWithTheDailyLists(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		day1 := dayStart(testStart()).Add(-48 * time.Hour)
		clk := &clock{t: day1}
		b := newTestRecorder(t, o, clk)
		// A day as an older version stored it: a top list, no ranking.
		old := b.k.top("ligestilling", day1)
		pre := newBatch()
		pre.zincr(old, InvitationID("tok-old"), 50)
		pre.incr(b.k.invitation("ligestilling", InvitationID("tok-old"), day1), string(PageView), 50)
		pre.id = "before-the-ranking"
		if err := b.be.apply(context.Background(), pre, DefaultRetention); err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]int64{} // day → id → views
		views := func(day time.Time, tok string, n int) {
			d := day.Format(dayLayout)
			if want[d] == nil {
				want[d] = map[string]int64{}
			}
			for v := 0; v < n; v++ {
				clk.Set(day.Add(9*time.Hour + time.Duration(v)*time.Second))
				b.Record(Event{Kind: PageView, Campaign: "ligestilling", Token: tok, IP: fmt.Sprint("10.0.0.", v), UserAgent: chrome})
				want[d][InvitationID(tok)] += 1
			}
			flush(t, b)
		}
		want[day1.Format(dayLayout)] = map[string]int64{InvitationID("tok-old"): 50}
		views(day1, "tok-a", 3) // the old day, now also written with the ranking
		day2, day3 := day1.Add(24*time.Hour), day1.Add(48*time.Hour)
		for i := 0; i < 12; i++ {
			views(day2, fmt.Sprintf("tok-%02d", i), 1+i%5)
			views(day3, fmt.Sprintf("tok-%02d", i), 1+(i*7)%4)
		}
		if held, _ := b.be.members(context.Background(), b.k.rankDays("ligestilling")); len(held) != 2 {
			t.Fatalf("the ranking holds days %v, want the two without older page views", held)
		}
		for _, r := range []struct {
			name     string
			from, to time.Time
		}{
			{"the whole campaign", day1, day3.Add(24 * time.Hour)},
			{"the days the ranking holds", day2, day3.Add(24 * time.Hour)},
			{"one day", day3, day3.Add(24 * time.Hour)},
			{"the old day", day1, day1.Add(24 * time.Hour)},
		} {
			t.Run(r.name, func(t *testing.T) {
				sum := map[string]int64{}
				for d := r.from; d.Before(r.to); d = d.Add(24 * time.Hour) {
					for id, n := range want[d.Format(dayLayout)] {
						sum[id] += n
					}
				}
				ids := make([]string, 0, len(sum))
				for id := range sum {
					ids = append(ids, id)
				}
				sort.Slice(ids, func(i, j int) bool {
					if sum[ids[i]] != sum[ids[j]] {
						return sum[ids[i]] > sum[ids[j]]
					}
					return ids[i] < ids[j]
				})
				q := Query{Campaign: "ligestilling", From: r.from, To: r.to, Granularity: Day}
				var got []string
				for offset := 0; ; offset += 5 {
					page, err := b.Invitations(context.Background(), q, offset, 5)
					if err != nil {
						t.Fatal(err)
					}
					if page.Total != len(ids) {
						t.Fatalf("total %d, want %d", page.Total, len(ids))
					}
					if len(page.Invitations) == 0 {
						break
					}
					for _, inv := range page.Invitations {
						if inv.PageViews != sum[inv.ID] {
							t.Errorf("%s: %d views, want %d", inv.ID, inv.PageViews, sum[inv.ID])
						}
						got = append(got, inv.ID)
					}
				}
				if !reflect.DeepEqual(got, ids) {
					t.Errorf("order\n got %v\nwant %v", got, ids)
				}
			})
		}
	})
}
