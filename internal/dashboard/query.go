package dashboard

import (
	"net/url"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

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

// viewQuery is the dashboard's period: ?from=&to= (whole days of the
// campaign's time zone loc, both included) when both are given and make a
// valid range, else the preset ?range=. custom is false for a preset.
func viewQuery(campaignID string, v url.Values, now time.Time, loc *time.Location) (q stats.Query, key string, custom bool) {
	from, errFrom := time.ParseInLocation(time.DateOnly, v.Get("from"), loc)
	to, errTo := time.ParseInLocation(time.DateOnly, v.Get("to"), loc)
	if errFrom == nil && errTo == nil {
		q := stats.Query{Campaign: campaignID, From: from, To: to.AddDate(0, 0, 1), Granularity: stats.Day, Location: loc}
		if q.To.Sub(q.From) <= 2*24*time.Hour {
			q.Granularity = stats.Hour
		}
		if q.Validate() == nil {
			return q, "custom", true
		}
	}
	q, key = pageQuery(campaignID, v.Get("range"), now, loc)
	return q, key, false
}

// pageQuery turns the dashboard's ?range= into a query; an unknown value
// falls back to 7 days rather than failing a page a manager bookmarked.
func pageQuery(campaignID, key string, now time.Time, loc *time.Location) (stats.Query, string) {
	r := ranges[1]
	for _, x := range ranges {
		if x.Key == key {
			r = x
		}
	}
	to := now.UTC().Truncate(time.Hour).Add(time.Hour)
	from := to.Add(-r.Span)
	if r.Gran == stats.Day {
		// Whole days of the campaign's, so the first bar is not a sliver.
		f := from.In(loc)
		from = time.Date(f.Year(), f.Month(), f.Day()+1, 0, 0, 0, 0, loc)
	}
	return stats.Query{Campaign: campaignID, From: from, To: to, Granularity: r.Gran, Location: loc}, r.Key
}
