package server

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/share"
)

func TestSamplerLetsOneLineASecondThrough(t *testing.T) {
	s := &sampler{every: time.Second}
	t0 := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
	steps := []struct {
		at     time.Duration
		wantN  int
		wantOK bool
	}{
		{0, 1, true},
		{100 * time.Millisecond, 0, false},
		{500 * time.Millisecond, 0, false},
		{999 * time.Millisecond, 0, false},
		{time.Second, 4, true}, // itself and the three held back
		{1500 * time.Millisecond, 0, false},
		{5 * time.Second, 2, true},
	}
	for _, st := range steps {
		n, ok := s.take(t0.Add(st.at))
		if n != st.wantN || ok != st.wantOK {
			t.Errorf("at %v: %d, %v; want %d, %v", st.at, n, ok, st.wantN, st.wantOK)
		}
	}
}

// TestBusyIsAWarningNotAnError: a flood of 503 busy answers writes a
// WARN line or two with the count, never one ERROR line per request.
func TestBusyIsAWarningNotAnError(t *testing.T) {
	f := newFixture(t)
	var buf bytes.Buffer
	f.app.log = slog.New(slog.NewTextHandler(&buf, nil))
	f.e.GET("/busy", func(echo.Context) error { return fmt.Errorf("render: %w", share.ErrBusy) })
	for range 500 {
		wantStatus(t, f.do(req{method: "GET", path: "/busy"}), 503)
	}
	logs := buf.String()
	lines := strings.Count(logs, "\n")
	if strings.Contains(logs, "level=ERROR") || lines < 1 || lines > 3 {
		t.Errorf("%d lines for 500 busy answers:\n%s", lines, logs)
	}
	if !strings.Contains(logs, "level=WARN") || !strings.Contains(logs, "refused=") {
		t.Errorf("no WARN line with the count:\n%s", logs)
	}
}
