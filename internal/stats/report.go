package stats

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/sharecard/sharecard/internal/variant"
)

// Granularity is the time-series bucket size.
type Granularity string

// Granularities.
const (
	Hour Granularity = "hour"
	Day  Granularity = "day"
)

// Range limits: hourly series are for looking closely at a launch, daily
// ones for the whole campaign.
const (
	MaxHourRange = 31 * 24 * time.Hour
	MaxDayRange  = 400 * 24 * time.Hour
	// TopN is how many invitations the report lists.
	TopN = 20
)

// Query asks for a campaign's numbers from From (inclusive) to To
// (exclusive), both rounded down to the hour.
type Query struct {
	Campaign    string
	From, To    time.Time
	Granularity Granularity
}

// DefaultRange is the range of a query without from.
const DefaultRange = 7 * 24 * time.Hour

// ParseQuery reads a query as the API and the CLI take it: from and to as
// RFC 3339 (2026-03-08T12:00:00Z) or a date (2026-03-08, UTC; a date as
// "to" includes that whole day), granularity "hour" or "day". Empty values
// default to the last seven days by day. Errors are ErrBadInput and say
// what to fix.
func ParseQuery(campaign, from, to, granularity string, now time.Time) (Query, error) {
	q := Query{Campaign: campaign, Granularity: Day, To: now.UTC()}
	var err error
	if to != "" {
		if q.To, err = parseTime(to, true); err != nil {
			return q, badInput("to: %v", err)
		}
	}
	q.From = q.To.Add(-DefaultRange)
	if from != "" {
		if q.From, err = parseTime(from, false); err != nil {
			return q, badInput("from: %v", err)
		}
	}
	if granularity != "" {
		q.Granularity = Granularity(granularity)
	}
	return q, q.Validate()
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

// Validate says what is wrong with q, as an ErrBadInput.
func (q Query) Validate() error {
	if cleanName(q.Campaign, 64) == "" {
		return badInput("campaign id %q is not valid (letters, digits, '-', '_' and '.')", q.Campaign)
	}
	if q.From.IsZero() || q.To.IsZero() {
		return badInput("both from and to are needed")
	}
	if !q.From.Before(q.To) {
		return badInput("from (%s) must be before to (%s)", q.From.UTC().Format(time.RFC3339), q.To.UTC().Format(time.RFC3339))
	}
	switch q.Granularity {
	case Hour:
		if q.To.Sub(q.From) > MaxHourRange {
			return badInput("granularity=hour covers at most 31 days; shorten the range or use granularity=day")
		}
	case Day:
		if q.To.Sub(q.From) > MaxDayRange {
			return badInput("the range covers at most 400 days")
		}
	default:
		return badInput("granularity must be hour or day, not %q", q.Granularity)
	}
	return nil
}

// Report is a campaign's numbers over a range. Its JSON form is the stats
// API's response.
type Report struct {
	Campaign    string      `json:"campaign"`
	From        time.Time   `json:"from"`
	To          time.Time   `json:"to"`
	Granularity Granularity `json:"granularity"`
	Totals      Totals      `json:"totals"`
	// UniqueVisitorsMethod says how Totals.UniqueVisitors was counted.
	UniqueVisitorsMethod UniquesMethod    `json:"unique_visitors_method"`
	Funnel               []FunnelStep     `json:"funnel"`
	Platforms            []PlatformCount  `json:"platforms"`
	Variants             []VariantCount   `json:"variants"`
	EngagedTime          Engaged          `json:"engaged_time"`
	TopInvitations       []InvitationStat `json:"top_invitations"`
	Series               []Point          `json:"series"`
	// ImpressionsEntered are platform impressions typed in by a manager;
	// no server can see them, so they are never mixed with measured numbers.
	ImpressionsEntered []Impression `json:"impressions_entered"`
	GeneratedAt        time.Time    `json:"generated_at"`
}

// Totals are the measured counts over the range.
type Totals struct {
	Minted              int64 `json:"invitations_minted"`
	PreviewFetches      int64 `json:"preview_fetches"`
	PageViews           int64 `json:"page_views"`
	UniqueVisitors      int64 `json:"unique_visitors"`
	Declines            int64 `json:"declines"`
	ShareClicks         int64 `json:"share_clicks"`
	Downloads           int64 `json:"downloads"`
	LearningClicks      int64 `json:"learning_clicks"`
	ImagesServedHuman   int64 `json:"images_served_human"`
	ImagesServedCrawler int64 `json:"images_served_crawler"`
	ImagesRendered      int64 `json:"images_rendered"`
	// ImpressionsEntered is the sum of the entered impressions (not measured).
	ImpressionsEntered int64 `json:"impressions_entered"`
}

// UniquesMethod explains the unique-visitor count.
type UniquesMethod struct {
	Method string `json:"method"` // "sum_of_daily_uniques"
	Days   int    `json:"days"`   // UTC days summed
	Note   string `json:"note"`
}

// FunnelStep is one step of minted → previews → views → visitors →
// declines → learning clicks.
type FunnelStep struct {
	Step       string           `json:"step"`
	Count      int64            `json:"count"`
	ByPlatform map[string]int64 `json:"by_platform,omitempty"`
}

// PlatformCount is one platform's crawler fetches next to its entered
// impressions.
type PlatformCount struct {
	Platform           string `json:"platform"`
	PreviewFetches     int64  `json:"preview_fetches"`
	ImpressionsEntered int64  `json:"impressions_entered"`
}

// VariantCount is one image variant's numbers.
type VariantCount struct {
	Variant       string           `json:"variant"`
	ServedHuman   int64            `json:"served_human"`
	ServedCrawler int64            `json:"served_crawler"`
	Rendered      int64            `json:"rendered"`
	Downloads     int64            `json:"downloads"`
	ByFormat      map[string]int64 `json:"served_by_format,omitempty"`
}

// Engaged is time on page from the visibility-aware beacon.
type Engaged struct {
	TotalSeconds float64 `json:"total_seconds"`
	TotalMinutes float64 `json:"total_minutes"`
	Beacons      int64   `json:"beacons"`
	// AverageSeconds is total engaged time per page view.
	AverageSeconds float64 `json:"average_seconds_per_view"`
}

// InvitationStat is one invitation's numbers (by InvitationID, never the
// token or the name).
type InvitationStat struct {
	ID             string  `json:"id"`
	PageViews      int64   `json:"page_views"`
	PreviewFetches int64   `json:"preview_fetches"`
	Declines       int64   `json:"declines"`
	ShareClicks    int64   `json:"share_clicks"`
	Downloads      int64   `json:"downloads"`
	LearningClicks int64   `json:"learning_clicks"`
	EngagedSeconds float64 `json:"engaged_seconds"`
}

// Point is one bucket of the time series.
type Point struct {
	Start          time.Time `json:"start"`
	PreviewFetches int64     `json:"preview_fetches"`
	PageViews      int64     `json:"page_views"`
	Declines       int64     `json:"declines"`
	LearningClicks int64     `json:"learning_clicks"`
	// UniqueVisitors is set for daily buckets only; uniques are kept per day.
	UniqueVisitors *int64 `json:"unique_visitors,omitempty"`
}

// Impression is one entered platform-impressions figure.
type Impression struct {
	Day      string `json:"day"` // YYYY-MM-DD
	Platform string `json:"platform"`
	Count    int64  `json:"count"`
	Source   string `json:"source"` // always "entered"
}

// Report computes a campaign's numbers over q's range.
func (s *Store) Report(ctx context.Context, q Query) (*Report, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	c := cleanName(q.Campaign, 64)
	from, to := q.From.UTC().Truncate(time.Hour), q.To.UTC()
	if t := to.Truncate(time.Hour); t.Before(to) {
		to = t.Add(time.Hour) // the partial last hour is included
	}
	r := &Report{Campaign: c, From: from, To: to, Granularity: q.Granularity, GeneratedAt: s.o.Now().UTC()}

	// Hourly counters.
	var hours []time.Time
	var hourKeys []string
	for t := from; t.Before(to); t = t.Add(time.Hour) {
		hours = append(hours, t)
		hourKeys = append(hourKeys, s.k.hour(c, t))
	}
	hs, err := s.be.hashes(ctx, hourKeys)
	if err != nil {
		return nil, err
	}
	// Days touching the range: uniques, invitations and impressions are
	// kept per day.
	var days []time.Time
	for d := dayStart(from); d.Before(to); d = d.Add(24 * time.Hour) {
		days = append(days, d)
	}
	uniqueKeys := make([]string, len(days))
	topKeys := make([]string, len(days))
	for i, d := range days {
		uniqueKeys[i] = s.k.uniques(c, d)
		topKeys[i] = s.k.top(c, d)
	}
	us, err := s.be.uniques(ctx, uniqueKeys)
	if err != nil {
		return nil, err
	}
	dailyUniques := map[time.Time]int64{}
	for i, d := range days {
		dailyUniques[d] = us[i]
		r.Totals.UniqueVisitors += us[i]
	}
	r.UniqueVisitorsMethod = UniquesMethod{
		Method: "sum_of_daily_uniques",
		Days:   len(days),
		Note:   "unique visitors are counted per UTC day (salted hash, salt deleted after the day); over several days the daily counts are added, so a person who came back on another day counts again",
	}

	platforms := map[string]*PlatformCount{}
	platform := func(p string) *PlatformCount {
		if platforms[p] == nil {
			platforms[p] = &PlatformCount{Platform: p}
		}
		return platforms[p]
	}
	variants := map[string]*VariantCount{}
	variant := func(v string) *VariantCount {
		if variants[v] == nil {
			variants[v] = &VariantCount{Variant: v}
		}
		return variants[v]
	}
	var engagedMS int64
	var points []Point
	var cur *Point
	for i, h := range hs {
		start := hours[i]
		if q.Granularity == Day {
			start = dayStart(start)
		}
		if cur == nil || !cur.Start.Equal(start) {
			points = append(points, Point{Start: start})
			cur = &points[len(points)-1]
			if q.Granularity == Day {
				u := dailyUniques[start]
				cur.UniqueVisitors = &u
			}
		}
		for f, n := range h {
			kind, dims := parseField(f)
			if dims == nil {
				switch Kind(kind) {
				case Minted:
					r.Totals.Minted += n
				case PreviewFetch:
					r.Totals.PreviewFetches += n
					cur.PreviewFetches += n
				case PageView:
					r.Totals.PageViews += n
					cur.PageViews += n
				case Decline:
					r.Totals.Declines += n
					cur.Declines += n
				case ShareClick:
					r.Totals.ShareClicks += n
				case Download:
					r.Totals.Downloads += n
				case LearningClick:
					r.Totals.LearningClicks += n
					cur.LearningClicks += n
				case ImageRendered:
					r.Totals.ImagesRendered += n
				case EngagedTime:
					r.EngagedTime.Beacons += n
				}
				if kind == fieldEngagedMS {
					engagedMS += n
				}
				continue
			}
			switch Kind(kind) {
			case PreviewFetch:
				platform(dims["p"]).PreviewFetches += n
			case ImageServed:
				if v, ok := dims["v"]; ok {
					vc := variant(v)
					if dims["a"] == "human" {
						vc.ServedHuman += n
					} else {
						vc.ServedCrawler += n
					}
					if vc.ByFormat == nil {
						vc.ByFormat = map[string]int64{}
					}
					vc.ByFormat[dims["f"]] += n
				} else if dims["a"] == "human" {
					r.Totals.ImagesServedHuman += n
				} else {
					r.Totals.ImagesServedCrawler += n
				}
			case ImageRendered:
				variant(dims["v"]).Rendered += n
			case Download:
				variant(dims["v"]).Downloads += n
			}
		}
	}
	r.Series = points
	r.EngagedTime.TotalSeconds = float64(engagedMS) / 1000
	r.EngagedTime.TotalMinutes = r.EngagedTime.TotalSeconds / 60
	if r.Totals.PageViews > 0 {
		r.EngagedTime.AverageSeconds = r.EngagedTime.TotalSeconds / float64(r.Totals.PageViews)
	}

	// Entered impressions.
	imp, err := s.be.hashes(ctx, []string{s.k.impressions(c)})
	if err != nil {
		return nil, err
	}
	first, last := days[0].Format(dayLayout), days[len(days)-1].Format(dayLayout)
	for f, n := range imp[0] {
		d, p, ok := strings.Cut(f, "/")
		if !ok || d < first || d > last {
			continue
		}
		t, err := time.Parse(dayLayout, d)
		if err != nil {
			continue
		}
		r.ImpressionsEntered = append(r.ImpressionsEntered, Impression{Day: t.Format(time.DateOnly), Platform: p, Count: n, Source: "entered"})
		r.Totals.ImpressionsEntered += n
		platform(p).ImpressionsEntered += n
	}
	sort.Slice(r.ImpressionsEntered, func(i, j int) bool {
		a, b := r.ImpressionsEntered[i], r.ImpressionsEntered[j]
		return a.Day < b.Day || a.Day == b.Day && a.Platform < b.Platform
	})

	for _, p := range platforms {
		r.Platforms = append(r.Platforms, *p)
	}
	sort.Slice(r.Platforms, func(i, j int) bool {
		a, b := r.Platforms[i], r.Platforms[j]
		if a.PreviewFetches != b.PreviewFetches {
			return a.PreviewFetches > b.PreviewFetches
		}
		if a.ImpressionsEntered != b.ImpressionsEntered {
			return a.ImpressionsEntered > b.ImpressionsEntered
		}
		return a.Platform < b.Platform
	})
	for _, v := range variants {
		r.Variants = append(r.Variants, *v)
	}
	sort.Slice(r.Variants, func(i, j int) bool { return variantOrder(r.Variants[i].Variant) < variantOrder(r.Variants[j].Variant) })

	byPlatform := map[string]int64{}
	for _, p := range r.Platforms {
		if p.PreviewFetches > 0 {
			byPlatform[p.Platform] = p.PreviewFetches
		}
	}
	r.Funnel = []FunnelStep{
		{Step: string(Minted), Count: r.Totals.Minted},
		{Step: string(PreviewFetch), Count: r.Totals.PreviewFetches, ByPlatform: byPlatform},
		{Step: string(PageView), Count: r.Totals.PageViews},
		{Step: "unique_visitor", Count: r.Totals.UniqueVisitors},
		{Step: string(Decline), Count: r.Totals.Declines},
		{Step: string(LearningClick), Count: r.Totals.LearningClicks},
	}

	if r.TopInvitations, err = s.topInvitations(ctx, c, days, topKeys); err != nil {
		return nil, err
	}
	return r, nil
}

func variantOrder(v string) string {
	if i := variant.Index(v); i >= 0 {
		return string(rune('0' + i))
	}
	return "9" + v
}

// topInvitations returns the TopN invitations by page views over days,
// with their other numbers.
func (s *Store) topInvitations(ctx context.Context, c string, days []time.Time, topKeys []string) ([]InvitationStat, error) {
	scores, err := s.be.top(ctx, topKeys)
	if err != nil {
		return nil, err
	}
	ids := make([]string, 0, len(scores))
	for id := range scores {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if scores[ids[i]] != scores[ids[j]] {
			return scores[ids[i]] > scores[ids[j]]
		}
		return ids[i] < ids[j]
	})
	if len(ids) > TopN {
		ids = ids[:TopN]
	}
	var keys []string
	for _, id := range ids {
		for _, d := range days {
			keys = append(keys, s.k.invitation(c, id, d))
		}
	}
	hs, err := s.be.hashes(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make([]InvitationStat, len(ids))
	for i, id := range ids {
		st := InvitationStat{ID: id}
		var ms int64
		for _, h := range hs[i*len(days) : (i+1)*len(days)] {
			st.PageViews += h[string(PageView)]
			st.PreviewFetches += h[string(PreviewFetch)]
			st.Declines += h[string(Decline)]
			st.ShareClicks += h[string(ShareClick)]
			st.Downloads += h[string(Download)]
			st.LearningClicks += h[string(LearningClick)]
			ms += h[fieldEngagedMS]
		}
		st.EngagedSeconds = float64(ms) / 1000
		out[i] = st
	}
	return out, nil
}
