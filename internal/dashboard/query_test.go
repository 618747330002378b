package dashboard

import (
	"net/url"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

func TestViewQuery(t *testing.T) {
	now := time.Date(2026, 12, 2, 15, 30, 0, 0, time.UTC)
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	tests := []struct {
		name     string
		v        url.Values
		from, to time.Time
		gran     stats.Granularity
		custom   bool
	}{
		{"a custom range of whole days", url.Values{"from": {"2022-03-08"}, "to": {"2022-03-13"}}, day("2022-03-08"), day("2022-03-14"), stats.Day, true},
		{"one day is hour by hour", url.Values{"from": {"2022-03-08"}, "to": {"2022-03-08"}}, day("2022-03-08"), day("2022-03-09"), stats.Hour, true},
		{"a range the wrong way round falls back to the preset", url.Values{"from": {"2022-03-13"}, "to": {"2022-03-08"}, "range": {"30d"}}, time.Time{}, time.Time{}, stats.Day, false},
		{"a date that cannot be read falls back", url.Values{"from": {"8/3"}, "to": {"2022-03-13"}}, time.Time{}, time.Time{}, stats.Day, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, key, custom := viewQuery("ligestilling", tt.v, now, time.UTC)
			if custom != tt.custom || q.Granularity != tt.gran {
				t.Fatalf("custom %v (%s), granularity %s", custom, key, q.Granularity)
			}
			if custom && (!q.From.Equal(tt.from) || !q.To.Equal(tt.to)) {
				t.Errorf("%v – %v, want %v – %v", q.From, q.To, tt.from, tt.to)
			}
		})
	}
}
