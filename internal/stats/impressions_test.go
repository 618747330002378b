package stats

import (
	"context"
	"testing"
	"time"
)

// TestEnteredImpressionsKeepTheirHistory: an entry corrected and then
// deleted leaves the report's figure right and a history that says when,
// and from what to what, in memory and in Redis.
func TestEnteredImpressionsKeepTheirHistory(t *testing.T) {
	eachStore(t, func(t *testing.T, o Options) {
		day1 := dayStart(testStart())
		clk := &clock{t: day1.Add(30 * time.Hour)}
		b := newTestRecorder(t, o, clk)
		ctx := context.Background()
		step := func(f func() error) {
			t.Helper()
			if err := f(); err != nil {
				t.Fatal(err)
			}
			clk.Set(clk.Now().Add(time.Minute))
		}
		step(func() error { return b.SetImpressions(ctx, "ligestilling", day1, "linkedin", 87720) })
		step(func() error { return b.SetImpressions(ctx, "ligestilling", day1, "linkedin", 877209) }) // a digit was missing
		step(func() error { return b.SetImpressions(ctx, "ligestilling", day1, "facebook", 1000) })
		step(func() error { return b.DeleteImpressions(ctx, "ligestilling", day1, "facebook") }) // entered on the wrong day

		r := report(t, b, day1, day1.Add(48*time.Hour), Day)
		if r.Totals.ImpressionsEntered != 877209 || len(r.ImpressionsEntered) != 1 {
			t.Fatalf("entered %d in %+v, want 877,209 for LinkedIn alone", r.Totals.ImpressionsEntered, r.ImpressionsEntered)
		}
		h := r.ImpressionsHistory
		if len(h) != 4 {
			t.Fatalf("history %+v, want 4 changes", h)
		}
		n := func(p *int64) int64 {
			if p == nil {
				return -1
			}
			return *p
		}
		want := []struct {
			platform string
			from, to int64 // -1: none
		}{{"facebook", 1000, -1}, {"facebook", -1, 1000}, {"linkedin", 87720, 877209}, {"linkedin", -1, 87720}}
		for i, w := range want {
			if h[i].Platform != w.platform || n(h[i].From) != w.from || n(h[i].To) != w.to || h[i].Day != day1.Format(time.DateOnly) {
				t.Errorf("change %d: %+v, want %s %d → %d", i, h[i], w.platform, w.from, w.to)
			}
		}
		if !h[0].At.After(h[1].At) {
			t.Errorf("not newest first: %v, %v", h[0].At, h[1].At)
		}
	})
}
