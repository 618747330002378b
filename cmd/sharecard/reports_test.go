package main

import (
	"context"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/report"
	"github.com/sharecard/sharecard/internal/testredis"
)

// TestReportsSurviveARestart: in embedded mode with a data directory the
// service keeps take-down reports on disk, so a restart loses none; with
// Redis every replica shares them; with neither they live in memory.
func TestReportsSurviveARestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := config.Config{DataDir: dir}
	first, err := openReports(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := first.(*report.Dir); !ok {
		t.Fatalf("with a data directory the store is %T, want *report.Dir", first)
	}
	r, err := first.Add(ctx, report.Report{Campaign: "ligestilling", Fingerprint: "fp", Token: "tok", Reason: report.AboutMe, CreatedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	again, err := openReports(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rs, _ := again.List(ctx, "ligestilling"); len(rs) != 1 || rs[0].ID != r.ID {
		t.Errorf("after a restart the store holds %+v, want the report", rs)
	}

	if s, _ := openReports(config.Config{}, nil); s == nil {
		t.Error("without a data directory there is no store")
	} else if _, ok := s.(*report.Memory); !ok {
		t.Errorf("without a data directory the store is %T, want *report.Memory", s)
	}
	rdb, _ := testredis.Client(t)
	if s, _ := openReports(cfg, rdb); s == nil {
		t.Error("with Redis there is no store")
	} else if _, ok := s.(*report.Redis); !ok {
		t.Errorf("with Redis the store is %T, want *report.Redis", s)
	}
}
