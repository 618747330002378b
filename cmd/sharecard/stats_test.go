package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testredis"
)

// statsEnv is the environment of one sharecard stats run.
func statsEnv(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func runStatsCLI(t *testing.T, vars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), append([]string{"sharecard", "stats"}, args...), statsEnv(vars), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

// recordSome records a small known day: 5 page views from 2 visitors, 2
// declines, 1 LinkedIn preview fetch.
func recordSome(t *testing.T, rec *stats.Buffered) {
	t.Helper()
	for i := 0; i < 5; i++ {
		rec.Record(stats.Event{Kind: stats.PageView, Campaign: "ligestilling", Token: "tok-a", Human: true,
			IP: []string{"192.0.2.1", "192.0.2.2"}[i%2], UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"})
	}
	for i := 0; i < 2; i++ {
		// Two visitors: declines count once per invitation and visitor.
		rec.Record(stats.Event{Kind: stats.Decline, Campaign: "ligestilling", Token: "tok-a", Human: true,
			IP: []string{"192.0.2.1", "192.0.2.2"}[i], UserAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0"})
	}
	rec.Record(stats.Event{Kind: stats.PreviewFetch, Campaign: "ligestilling", Token: "tok-a", Platform: "linkedin"})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := rec.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestStatsUsageErrors(t *testing.T) {
	api := map[string]string{"SHARECARD_BASE_URL": "http://127.0.0.1:1", "SHARECARD_ADMIN_TOKEN": "x"}
	tests := []struct {
		name string
		vars map[string]string
		args []string
		want string
	}{
		{"a missing campaign is a usage error", api, nil, "--campaign is required"},
		{"an unknown flag is a usage error", api, []string{"--campaign", "ligestilling", "--bogus"}, "flag provided but not defined: -bogus"},
		{"a stray argument is a usage error", api, []string{"--campaign", "ligestilling", "extra"}, `unexpected argument "extra"`},
		{"a bad granularity is a usage error", api, []string{"--campaign", "ligestilling", "--granularity", "week"}, "granularity must be hour or day"},
		{"a bad date is a usage error", api, []string{"--campaign", "ligestilling", "--from", "last tuesday"}, `from: "last tuesday" is neither RFC 3339`},
		{"a reversed range is a usage error", api, []string{"--campaign", "ligestilling", "--from", "2026-03-08", "--to", "2026-03-01"}, "must be before"},
		{"no source of numbers is a usage error", map[string]string{}, []string{"--campaign", "ligestilling"}, "set REDIS_URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runStatsCLI(t, tt.vars, tt.args...)
			if code != 2 || out != "" || strings.Count(errOut, "\n") != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 2 and one line with %q", code, out, errOut, tt.want)
			}
		})
	}
}

func TestStatsAsksTheRunningService(t *testing.T) {
	rec := stats.NewRecorder(stats.Options{})
	t.Cleanup(func() { rec.Close(context.Background()) })
	recordSome(t, rec)
	const token = "cli-test-admin-token-0123456789"
	h := dashboard.New(dashboard.Deps{Stats: rec, AdminToken: token})
	e := echo.New()
	e.GET("/api/v1/campaigns/:id/stats", h.StatsJSON, func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if c.Request().Header.Get("Authorization") != "Bearer "+token {
				return c.JSON(http.StatusUnauthorized, map[string]string{"error": "wrong admin token"})
			}
			return next(c)
		}
	})
	srv := httptest.NewServer(e)
	t.Cleanup(srv.Close)
	vars := map[string]string{"SHARECARD_BASE_URL": srv.URL + "/", "SHARECARD_ADMIN_TOKEN": token}

	code, out, errOut := runStatsCLI(t, vars, "--campaign", "ligestilling")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"Page views    5", "Unique visitors    2", "Declines    2", "Preview fetches    1", "linkedin"} {
		if !strings.Contains(squeeze(out), squeeze(want)) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runStatsCLI(t, vars, "--campaign", "ligestilling", "--json", "--granularity", "hour", "--from", time.Now().UTC().Add(-3*time.Hour).Format(time.RFC3339))
	var r stats.Report
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil || r.Totals.PageViews != 5 || r.Granularity != stats.Hour {
		t.Errorf("--json: exit %d, report %+v", code, r.Totals)
	}

	vars["SHARECARD_ADMIN_TOKEN"] = "wrong"
	code, _, errOut = runStatsCLI(t, vars, "--campaign", "ligestilling")
	if code != 1 || !strings.Contains(errOut, "401: wrong admin token") {
		t.Errorf("wrong token: exit %d, %q", code, errOut)
	}
	delete(vars, "SHARECARD_ADMIN_TOKEN")
	code, _, errOut = runStatsCLI(t, vars, "--campaign", "ligestilling")
	if code != 1 || !strings.Contains(errOut, "SHARECARD_ADMIN_TOKEN is not set") {
		t.Errorf("no token: exit %d, %q", code, errOut)
	}
}

func TestStatsReadsRedis(t *testing.T) {
	c, prefix := testredis.Client(t)
	rec := stats.NewRecorder(stats.Options{Redis: c, Prefix: prefix})
	t.Cleanup(func() { rec.Close(context.Background()) })
	recordSome(t, rec)
	vars := map[string]string{"REDIS_URL": testredis.URL(t)}

	code, out, errOut := runStatsCLI(t, vars, "--campaign", "ligestilling", "--prefix", prefix, "--json")
	var r stats.Report
	if code != 0 || json.Unmarshal([]byte(out), &r) != nil {
		t.Fatalf("exit %d: %s %s", code, errOut, out)
	}
	if r.Totals.PageViews != 5 || r.Totals.UniqueVisitors != 2 || r.Totals.Declines != 2 || r.Totals.PreviewFetches != 1 {
		t.Errorf("totals = %+v", r.Totals)
	}
	code, _, errOut = runStatsCLI(t, vars, "--campaign", "other", "--prefix", prefix)
	if code != 1 || !strings.Contains(errOut, `no numbers recorded for campaign "other" (campaigns with numbers: ligestilling)`) {
		t.Errorf("unknown campaign: exit %d, %q", code, errOut)
	}
}

// squeeze collapses runs of spaces, so table padding does not matter.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }
