package dashboard

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

// TestNoRateOnThePagePassesOneHundredPercent replays what the issue saw:
// one person declining five times, and another declining two invitations.
// Counted once per invitation and visitor, no rate on the page passes
// 100 %, where it showed 175 % of page views and 350 % of visitors.
func TestNoRateOnThePagePassesOneHundredPercent(t *testing.T) {
	now := seedNow()
	rec := stats.NewRecorder(stats.Options{Now: func() time.Time { return now }})
	t.Cleanup(func() { rec.Close(context.Background()) })
	act := func(k stats.Kind, token, ip string) {
		rec.Record(stats.Event{Kind: k, Campaign: "ligestilling", Token: token, Human: true, IP: ip,
			UserAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0", At: now.Add(-time.Hour)})
	}
	act(stats.PageView, "tok1", "198.51.100.1")
	act(stats.PageView, "tok1", "198.51.100.1")
	for range 5 {
		act(stats.Decline, "tok1", "198.51.100.1")
		act(stats.LearningClick, "tok1", "198.51.100.1")
	}
	for _, tok := range []string{"tok2", "tok3"} {
		act(stats.PageView, tok, "198.51.100.2")
		act(stats.Decline, tok, "198.51.100.2")
		act(stats.LearningClick, tok, "198.51.100.2")
	}
	srv := newServer(t, Deps{Stats: rec})
	resp, body := get(t, login(t, srv), srv.URL+"/admin/campaigns/ligestilling")
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	rates := regexp.MustCompile(`([0-9.]+,[0-9]) %`).FindAllStringSubmatch(body, -1)
	if len(rates) < 3 {
		t.Fatalf("found %d rates on the page, want at least the declines and learning clicks", len(rates))
	}
	for _, m := range rates {
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.ReplaceAll(m[1], ".", ""), ",", "."), 64)
		if err != nil {
			t.Fatal(err)
		}
		if v > 100 {
			t.Errorf("the page shows %s", m[0])
		}
	}
	for _, want := range []string{"75,0 % af sidevisninger", "100,0 % af afslag"} {
		if !strings.Contains(body, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}
