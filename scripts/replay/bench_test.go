package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/redis/go-redis/v9"

	sharecard "github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/stats"
)

// benchScale is the campaign the dashboard must stay fast for: 100,000
// invitations over 90 days.
var benchScale = scale{Campaign: "ligestilling", Invitations: 100_000, Days: 90,
	Start: time.Date(2026, 9, 3, 0, 0, 0, 0, time.UTC)}

// BenchmarkDashboard90Days generates benchScale into Redis under a private
// key prefix (bounded to five minutes; removed afterwards) and measures the
// dashboard page and the stats API over its 90 days. Without REDIS_URL it
// skips: the figure is about Redis.
//
//	REDIS_URL=redis://127.0.0.1:6379/0 go test -run '^$' -bench Dashboard90Days -benchtime 20x ./scripts/replay
func BenchmarkDashboard90Days(b *testing.B) {
	u := os.Getenv("REDIS_URL")
	if u == "" {
		b.Skip("REDIS_URL is not set: the benchmark reads 100,000 invitations from Redis")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		b.Fatal(err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	prefix := "sharecard:bench:" + randomHex(6) + ":"
	defer cleanup(rdb, prefix)

	end := benchScale.Start.AddDate(0, 0, benchScale.Days)
	camps, err := campaign.Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		b.Fatal(err)
	}
	clk := &clock{t: benchScale.Start}
	rec := stats.NewRecorder(stats.Options{Redis: rdb, Prefix: prefix, Now: clk.now, FlushInterval: time.Hour, MaxPending: 1 << 20,
		Zone: dashboard.Zones(camps)})
	defer rec.Close(context.Background())
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	began := time.Now()
	g, err := generate(ctx, rec, clk, benchScale)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("generated %d events, %d invitations over %d days in %v", g.events, g.invitations, benchScale.Days, time.Since(began).Round(time.Second))
	clk.set(end.Add(9 * time.Hour))

	// A reader of its own, as another replica's dashboard would be: it
	// reads what the recorder flushed.
	store := stats.NewStore(stats.Options{Redis: rdb, Prefix: prefix, Now: clk.now, Zone: dashboard.Zones(camps)})
	d := dashboard.New(dashboard.Deps{Stats: store, Campaigns: camps, AdminToken: "bench-admin-token-0123456789", Now: clk.now})
	e := echo.New()
	serve := func(h echo.HandlerFunc, target string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		w := httptest.NewRecorder()
		c := e.NewContext(req, w)
		c.SetParamNames("id")
		c.SetParamValues(benchScale.Campaign)
		if err := h(c); err != nil {
			b.Fatal(err)
		}
		return w
	}
	// The campaign's days in Copenhagen: the last UTC day's late visits
	// fall on the day after it there.
	from, to := benchScale.Start.Format(time.DateOnly), end.Format(time.DateOnly)
	period := "?from=" + from + "&to=" + to

	// What the benchmark reads is the campaign that was generated.
	w := serve(d.StatsJSON, "/api/v1/campaigns/ligestilling/stats"+period)
	var r struct {
		Totals      stats.Totals `json:"totals"`
		Invitations struct {
			Total int `json:"total"`
		} `json:"invitations"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != http.StatusOK {
		b.Fatalf("stats API: %d %s", w.Code, w.Body)
	}
	if r.Totals.PageViews != g.pageViews || r.Totals.Minted != g.invitations || int64(r.Invitations.Total) != g.invitations {
		b.Fatalf("the stats API says %d page views, %d minted, %d invitations in the table; generated %d, %d",
			r.Totals.PageViews, r.Totals.Minted, r.Invitations.Total, g.pageViews, g.invitations)
	}

	b.Run("page", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if w := serve(d.Campaign, "/admin/campaigns/ligestilling"+period); w.Code != http.StatusOK {
				b.Fatalf("dashboard: %d", w.Code)
			}
		}
	})
	b.Run("page-last", func(b *testing.B) { // the table's last page
		for i := 0; i < b.N; i++ {
			w := serve(d.Campaign, "/admin/campaigns/ligestilling"+period+"&page=2000")
			if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "<tbody>") {
				b.Fatalf("dashboard's last page: %d", w.Code)
			}
		}
	})
	// A range that is not the whole campaign is summed in Redis; each
	// iteration asks for another, so none is read from the 30 s cache.
	b.Run("api-60-of-90-days", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			f := benchScale.Start.AddDate(0, 0, 1+i%29)
			rng := "?from=" + f.Format(time.DateOnly) + "&to=" + f.AddDate(0, 0, 59).Format(time.DateOnly)
			if w := serve(d.StatsJSON, "/api/v1/campaigns/ligestilling/stats"+rng); w.Code != http.StatusOK {
				b.Fatalf("stats API: %d", w.Code)
			}
		}
	})
	b.Run("api", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if w := serve(d.StatsJSON, "/api/v1/campaigns/ligestilling/stats"+period); w.Code != http.StatusOK {
				b.Fatalf("stats API: %d", w.Code)
			}
		}
	})
}
