package dashboard

import (
	"fmt"
	"net/url"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

// defaultRange is what the API and the dashboard show without from/to.
const defaultRange = 7 * 24 * time.Hour

// parseQuery reads from, to and granularity. A time is RFC 3339
// (2026-03-08T12:00:00Z) or a date (2026-03-08, UTC); a date as "to"
// includes that whole day. Errors say what to fix.
func parseQuery(campaignID string, v url.Values, now time.Time) (stats.Query, error) {
	q := stats.Query{Campaign: campaignID, Granularity: stats.Day}
	var err error
	q.To = now.UTC()
	if s := v.Get("to"); s != "" {
		if q.To, err = parseTime(s, true); err != nil {
			return q, fmt.Errorf("to: %w", err)
		}
	}
	q.From = q.To.Add(-defaultRange)
	if s := v.Get("from"); s != "" {
		if q.From, err = parseTime(s, false); err != nil {
			return q, fmt.Errorf("from: %w", err)
		}
	}
	if g := v.Get("granularity"); g != "" {
		q.Granularity = stats.Granularity(g)
	}
	if err := q.Validate(); err != nil {
		return q, err
	}
	return q, nil
}

func parseTime(s string, endOfDay bool) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		if endOfDay {
			t = t.Add(24 * time.Hour)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 (2026-03-08T12:00:00Z) nor a date (2026-03-08)", s)
}

// ranges are the dashboard's quick choices.
var ranges = []struct {
	Key, Label string
	Span       time.Duration
	Gran       stats.Granularity
}{
	{"24h", "24 timer", 24 * time.Hour, stats.Hour},
	{"7d", "7 dage", 7 * 24 * time.Hour, stats.Day},
	{"30d", "30 dage", 30 * 24 * time.Hour, stats.Day},
	{"90d", "90 dage", 90 * 24 * time.Hour, stats.Day},
}

// pageQuery turns the dashboard's ?range= into a query; an unknown value
// falls back to 7 days rather than failing a page a manager bookmarked.
func pageQuery(campaignID, key string, now time.Time) (stats.Query, string) {
	r := ranges[1]
	for _, x := range ranges {
		if x.Key == key {
			r = x
		}
	}
	to := now.UTC().Truncate(time.Hour).Add(time.Hour)
	from := to.Add(-r.Span)
	if r.Gran == stats.Day {
		// Whole days, so the first bar is not a sliver.
		from = time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, time.UTC).Add(24 * time.Hour)
	}
	return stats.Query{Campaign: campaignID, From: from, To: to, Granularity: r.Gran}, r.Key
}
