package stats

import (
	"context"
	"errors"
	"fmt"
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
