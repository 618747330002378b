package stats

import (
	"context"
	"fmt"
	"slices"
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
	// Raw are the event counts behind the totals that count once.
	Raw RawCounts `json:"raw"`
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
	// ImpressionsHistory are the latest changes to the entered impressions
	// (all days), newest first: when, and from what to what.
	ImpressionsHistory []ImpressionChange `json:"impressions_history"`
	GeneratedAt        time.Time          `json:"generated_at"`
}

// Totals are the measured counts over the range. Declines, share clicks,
// downloads and learning clicks count once per invitation, visitor and
// UTC day; preview fetches once per invitation, platform and
// PreviewWindow (one unfurl).
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
	// SelfServiceRefused counts self-service entries refused for a
	// blocked word (the words themselves are not kept).
	SelfServiceRefused int64 `json:"self_service_refused"`
	// ImpressionsEntered is the sum of the entered impressions (not measured).
	ImpressionsEntered int64 `json:"impressions_entered"`
}

// RawCounts are event counts as they came, before counting once: five
// declines by one person are five here, one in Totals.
type RawCounts struct {
	PreviewFetches int64 `json:"preview_fetches"`
	Declines       int64 `json:"declines"`
	ShareClicks    int64 `json:"share_clicks"`
	Downloads      int64 `json:"downloads"`
	LearningClicks int64 `json:"learning_clicks"`
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

// PlatformCount is one platform's previews next to its entered
// impressions.
type PlatformCount struct {
	Platform           string `json:"platform"`
	PreviewFetches     int64  `json:"preview_fetches"`
	ImpressionsEntered int64  `json:"impressions_entered"`
	Raw                struct {
		PreviewFetches int64 `json:"preview_fetches"`
	} `json:"raw"`
}

// VariantCount is one image variant's numbers.
type VariantCount struct {
	Variant       string `json:"variant"`
	ServedHuman   int64  `json:"served_human"`
	ServedCrawler int64  `json:"served_crawler"`
	Rendered      int64  `json:"rendered"`
	// Downloads counts once per invitation, visitor and day, under the
	// variant downloaded first.
	Downloads int64            `json:"downloads"`
	ByFormat  map[string]int64 `json:"served_by_format,omitempty"`
	Raw       struct {
		Downloads int64 `json:"downloads"`
	} `json:"raw"`
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
	ID             string    `json:"id"`
	PageViews      int64     `json:"page_views"`
	PreviewFetches int64     `json:"preview_fetches"`
	Declines       int64     `json:"declines"`
	ShareClicks    int64     `json:"share_clicks"`
	Downloads      int64     `json:"downloads"`
	LearningClicks int64     `json:"learning_clicks"`
	EngagedSeconds float64   `json:"engaged_seconds"`
	Raw            RawCounts `json:"raw"`
}

// Point is one bucket of the time series.
type Point struct {
	Start          time.Time `json:"start"`
	PreviewFetches int64     `json:"preview_fetches"`
	PageViews      int64     `json:"page_views"`
	Declines       int64     `json:"declines"`
	ShareClicks    int64     `json:"share_clicks"`
	Downloads      int64     `json:"downloads"`
	LearningClicks int64     `json:"learning_clicks"`
	// UniqueVisitors is set for daily buckets only; uniques are kept per day.
	UniqueVisitors *int64    `json:"unique_visitors,omitempty"`
	Raw            RawCounts `json:"raw"`
}

// Impression is one entered platform-impressions figure.
type Impression struct {
	Day      string `json:"day"` // YYYY-MM-DD
	Platform string `json:"platform"`
	Count    int64  `json:"count"`
	Source   string `json:"source"` // always "entered"
}

// Report computes a campaign's numbers over q's range in three steps:
// fetch reads every counter the range touches, fold adds them up, and
// finish derives what follows from the sums (averages, orderings, the
// funnel).
func (s *Store) Report(ctx context.Context, q Query) (*Report, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	sp := newSpan(q)
	r := &Report{Campaign: sp.campaign, From: sp.from, To: sp.to, Granularity: sp.granularity, GeneratedAt: s.o.Now().UTC()}
	c, err := s.fetch(ctx, sp)
	if err != nil {
		return nil, err
	}
	fold(r, sp, c).finish()
	log, err := s.be.changes(ctx, s.k.impressionsLog(sp.campaign), historyShown)
	if err != nil {
		return nil, err
	}
	r.ImpressionsHistory = []ImpressionChange{}
	for _, e := range log {
		if ch, ok := parseChange(e); ok {
			r.ImpressionsHistory = append(r.ImpressionsHistory, ch)
		}
	}
	return r, nil
}

// span is a query's range as the counters are kept: whole UTC hours (a
// partial last hour counts whole) and the UTC days those hours touch.
type span struct {
	campaign    string
	from, to    time.Time
	granularity Granularity
	hours       []time.Time
	days        []time.Time // uniques, invitations and impressions are kept per day
}

func newSpan(q Query) span {
	sp := span{campaign: cleanName(q.Campaign, 64), from: q.From.UTC().Truncate(time.Hour), to: q.To.UTC(), granularity: q.Granularity}
	if t := sp.to.Truncate(time.Hour); t.Before(sp.to) {
		sp.to = t.Add(time.Hour)
	}
	for t := sp.from; t.Before(sp.to); t = t.Add(time.Hour) {
		sp.hours = append(sp.hours, t)
	}
	for d := dayStart(sp.from); d.Before(sp.to); d = d.Add(24 * time.Hour) {
		sp.days = append(sp.days, d)
	}
	return sp
}

// counters are the stored numbers a report is folded from.
type counters struct {
	hours       []map[string]int64 // per span hour: field → count
	uniques     []int64            // per span day: approximate unique visitors
	impressions map[string]int64   // "YYYYMMDD/platform" → entered impressions, every day
	top         []invitationCounters
}

// invitationCounters is one of the TopN invitations by page views over
// the span, best first: its counter hash for each span day.
type invitationCounters struct {
	id   string
	days []map[string]int64
}

// fetch reads every counter sp touches.
func (s *Store) fetch(ctx context.Context, sp span) (*counters, error) {
	c := sp.campaign
	hourKeys := make([]string, len(sp.hours))
	for i, t := range sp.hours {
		hourKeys[i] = s.k.hour(c, t)
	}
	uniqueKeys := make([]string, len(sp.days))
	for i, d := range sp.days {
		uniqueKeys[i] = s.k.uniques(c, d)
	}
	var out counters
	var err error
	if out.hours, err = s.be.hashes(ctx, hourKeys); err != nil {
		return nil, err
	}
	if out.uniques, err = s.be.uniques(ctx, uniqueKeys); err != nil {
		return nil, err
	}
	imp, err := s.be.hashes(ctx, []string{s.k.impressions(c)})
	if err != nil {
		return nil, err
	}
	out.impressions = imp[0]
	if out.top, err = s.fetchTop(ctx, sp); err != nil {
		return nil, err
	}
	return &out, nil
}

// fetchTop finds the TopN invitations by page views over sp's days and
// reads their counters.
func (s *Store) fetchTop(ctx context.Context, sp span) ([]invitationCounters, error) {
	ids, err := s.rankInvitations(ctx, sp)
	if err != nil {
		return nil, err
	}
	if len(ids) > TopN {
		ids = ids[:TopN]
	}
	return s.fetchInvitations(ctx, sp, ids)
}

// rankInvitations lists the invitations seen over sp's days, by page
// views, most first (ties by id, so pages are stable).
func (s *Store) rankInvitations(ctx context.Context, sp span) ([]string, error) {
	topKeys := make([]string, len(sp.days))
	for i, d := range sp.days {
		topKeys[i] = s.k.top(sp.campaign, d)
	}
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
	return ids, nil
}

// fetchInvitations reads the counters of ids over sp's days.
func (s *Store) fetchInvitations(ctx context.Context, sp span, ids []string) ([]invitationCounters, error) {
	var keys []string
	for _, id := range ids {
		for _, d := range sp.days {
			keys = append(keys, s.k.invitation(sp.campaign, id, d))
		}
	}
	hs, err := s.be.hashes(ctx, keys)
	if err != nil {
		return nil, err
	}
	out := make([]invitationCounters, len(ids))
	for i, id := range ids {
		out[i] = invitationCounters{id: id, days: hs[i*len(sp.days) : (i+1)*len(sp.days)]}
	}
	return out, nil
}

// MaxInvitationPage bounds one page of the per-invitation table.
const MaxInvitationPage = 1000

// InvitationPage is one page of the per-invitation table.
type InvitationPage struct {
	Total       int              `json:"total"`
	Offset      int              `json:"offset"`
	Invitations []InvitationStat `json:"invitations"`
}

// Invitations returns the per-invitation table over q's range, by page
// views, limit rows (at most MaxInvitationPage) from offset: a campaign
// of 100,000 invitations is read a page at a time, never all at once.
func (s *Store) Invitations(ctx context.Context, q Query, offset, limit int) (*InvitationPage, error) {
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if offset < 0 || limit < 1 || limit > MaxInvitationPage {
		return nil, fmt.Errorf("%w: a page is 1 to %d rows from an offset of 0 or more", ErrBadInput, MaxInvitationPage)
	}
	sp := newSpan(q)
	ids, err := s.rankInvitations(ctx, sp)
	if err != nil {
		return nil, err
	}
	page := &InvitationPage{Total: len(ids), Offset: offset, Invitations: []InvitationStat{}}
	if offset >= len(ids) {
		return page, nil
	}
	ids = ids[offset:min(len(ids), offset+limit)]
	c, err := s.fetchInvitations(ctx, sp, ids)
	if err != nil {
		return nil, err
	}
	page.Invitations = foldInvitations(c)
	return page, nil
}

// tally is a report being folded, with the sums that are not fields of
// the report itself.
type tally struct {
	r         *Report
	platforms map[string]*PlatformCount
	variants  map[string]*VariantCount
	engagedMS int64
}

// fold adds c up into r.
func fold(r *Report, sp span, c *counters) *tally {
	t := &tally{r: r, platforms: map[string]*PlatformCount{}, variants: map[string]*VariantCount{}}
	daily := t.foldUniques(sp, c.uniques)
	t.foldHours(sp, c.hours, daily)
	t.foldImpressions(sp, c.impressions)
	r.TopInvitations = foldInvitations(c.top)
	return t
}

func (t *tally) platform(p string) *PlatformCount {
	if t.platforms[p] == nil {
		t.platforms[p] = &PlatformCount{Platform: p}
	}
	return t.platforms[p]
}

func (t *tally) variant(v string) *VariantCount {
	if t.variants[v] == nil {
		t.variants[v] = &VariantCount{Variant: v}
	}
	return t.variants[v]
}

// foldUniques sums the daily unique visitors and returns them by day.
func (t *tally) foldUniques(sp span, uniques []int64) map[time.Time]int64 {
	daily := make(map[time.Time]int64, len(sp.days))
	for i, d := range sp.days {
		daily[d] = uniques[i]
		t.r.Totals.UniqueVisitors += uniques[i]
	}
	t.r.UniqueVisitorsMethod = UniquesMethod{
		Method: "sum_of_daily_uniques",
		Days:   len(sp.days),
		Note:   "unique visitors are counted per UTC day (salted hash, salt deleted after the day); over several days the daily counts are added, so a person who came back on another day counts again",
	}
	return daily
}

// foldHours adds the hourly counters into the totals, the breakdowns and
// the time series (a point per hour, or per day with its unique visitors).
func (t *tally) foldHours(sp span, hours []map[string]int64, dailyUniques map[time.Time]int64) {
	var cur *Point
	for i, h := range hours {
		start := sp.hours[i]
		if sp.granularity == Day {
			start = dayStart(start)
		}
		if cur == nil || !cur.Start.Equal(start) {
			t.r.Series = append(t.r.Series, Point{Start: start})
			cur = &t.r.Series[len(t.r.Series)-1]
			if sp.granularity == Day {
				u := dailyUniques[start]
				cur.UniqueVisitors = &u
			}
		}
		t.addHour(h, cur)
	}
}

// addHour adds one hourly counter hash into the totals, the breakdowns and
// the series point p.
func (t *tally) addHour(h map[string]int64, p *Point) {
	_, marked := h[fieldOnceMark]
	for f, n := range h {
		if f == fieldOnceMark {
			continue
		}
		if base, ok := strings.CutSuffix(f, onceSuffix); ok {
			kind, dims := parseField(base)
			t.addOnce(Kind(kind), dims, p, n)
			continue
		}
		kind, dims := parseField(f)
		if dims == nil {
			t.addTotal(Kind(kind), p, n)
		} else {
			t.addBreakdown(Kind(kind), dims, n)
		}
		if !marked && countsOnce(Kind(kind)) {
			// Written before these kinds counted once: the raw count is
			// all there is.
			t.addOnce(Kind(kind), dims, p, n)
		}
	}
}

// countsOnce reports whether kind has a counted-once count beside its raw
// one.
func countsOnce(kind Kind) bool {
	return kind == PreviewFetch || slices.Contains(PerVisitor, kind)
}

// addOnce adds n to a counted-once counter (field "kind/…/once"): the
// totals, the series point and the breakdowns.
func (t *tally) addOnce(kind Kind, dims map[string]string, p *Point, n int64) {
	if dims != nil {
		switch kind {
		case PreviewFetch:
			t.platform(dims["p"]).PreviewFetches += n
		case Download:
			t.variant(dims["v"]).Downloads += n
		}
		return
	}
	tot := &t.r.Totals
	switch kind {
	case PreviewFetch:
		tot.PreviewFetches += n
		p.PreviewFetches += n
	case Decline:
		tot.Declines += n
		p.Declines += n
	case ShareClick:
		tot.ShareClicks += n
		p.ShareClicks += n
	case Download:
		tot.Downloads += n
		p.Downloads += n
	case LearningClick:
		tot.LearningClicks += n
		p.LearningClicks += n
	}
}

// addTotal adds n to a counter without dimensions (field "kind"): the
// report's totals (raw counts for the kinds that count once) and the
// series point it falls in.
func (t *tally) addTotal(kind Kind, p *Point, n int64) {
	tot, raw := &t.r.Totals, &t.r.Raw
	switch kind {
	case Minted:
		tot.Minted += n
	case PreviewFetch:
		raw.PreviewFetches += n
		p.Raw.PreviewFetches += n
	case PageView:
		tot.PageViews += n
		p.PageViews += n
	case Decline:
		raw.Declines += n
		p.Raw.Declines += n
	case ShareClick:
		raw.ShareClicks += n
		p.Raw.ShareClicks += n
	case Download:
		raw.Downloads += n
		p.Raw.Downloads += n
	case LearningClick:
		raw.LearningClicks += n
		p.Raw.LearningClicks += n
	case ImageRendered:
		tot.ImagesRendered += n
	case SelfServiceRefused:
		tot.SelfServiceRefused += n
	case EngagedTime:
		t.r.EngagedTime.Beacons += n
	case fieldEngagedMS:
		t.engagedMS += n
	}
}

// addBreakdown adds n to a counter split by dimensions (field
// "kind/dim=value/…"): platforms, variants and the image audiences.
func (t *tally) addBreakdown(kind Kind, dims map[string]string, n int64) {
	switch kind {
	case PreviewFetch:
		t.platform(dims["p"]).Raw.PreviewFetches += n
	case ImageServed:
		v, ok := dims["v"]
		switch {
		case ok:
			vc := t.variant(v)
			if dims["a"] == "human" {
				vc.ServedHuman += n
			} else {
				vc.ServedCrawler += n
			}
			if vc.ByFormat == nil {
				vc.ByFormat = map[string]int64{}
			}
			vc.ByFormat[dims["f"]] += n
		case dims["a"] == "human":
			t.r.Totals.ImagesServedHuman += n
		default:
			t.r.Totals.ImagesServedCrawler += n
		}
	case ImageRendered:
		t.variant(dims["v"]).Rendered += n
	case Download:
		t.variant(dims["v"]).Raw.Downloads += n
	}
}

// foldImpressions adds the entered impressions of sp's days, each listed
// and summed per platform.
func (t *tally) foldImpressions(sp span, entered map[string]int64) {
	first, last := sp.days[0].Format(dayLayout), sp.days[len(sp.days)-1].Format(dayLayout)
	for f, n := range entered {
		d, p, ok := strings.Cut(f, "/")
		if !ok || d < first || d > last {
			continue
		}
		day, err := time.Parse(dayLayout, d)
		if err != nil {
			continue
		}
		t.r.ImpressionsEntered = append(t.r.ImpressionsEntered, Impression{Day: day.Format(time.DateOnly), Platform: p, Count: n, Source: "entered"})
		t.r.Totals.ImpressionsEntered += n
		t.platform(p).ImpressionsEntered += n
	}
}

// foldInvitations sums each top invitation's daily counters.
func foldInvitations(top []invitationCounters) []InvitationStat {
	out := make([]InvitationStat, len(top))
	for i, inv := range top {
		st := InvitationStat{ID: inv.id}
		var ms int64
		for _, h := range inv.days {
			_, marked := h[fieldOnceMark]
			once := func(k Kind) int64 {
				if marked {
					return h[onceField(string(k))]
				}
				return h[string(k)] // written before kinds counted once
			}
			st.PageViews += h[string(PageView)]
			st.PreviewFetches += once(PreviewFetch)
			st.Declines += once(Decline)
			st.ShareClicks += once(ShareClick)
			st.Downloads += once(Download)
			st.LearningClicks += once(LearningClick)
			st.Raw.PreviewFetches += h[string(PreviewFetch)]
			st.Raw.Declines += h[string(Decline)]
			st.Raw.ShareClicks += h[string(ShareClick)]
			st.Raw.Downloads += h[string(Download)]
			st.Raw.LearningClicks += h[string(LearningClick)]
			ms += h[fieldEngagedMS]
		}
		st.EngagedSeconds = float64(ms) / 1000
		out[i] = st
	}
	return out
}

// finish derives what follows from the sums: engaged time in other units,
// the lists in their order, and the funnel.
func (t *tally) finish() {
	r := t.r
	r.EngagedTime.TotalSeconds = float64(t.engagedMS) / 1000
	r.EngagedTime.TotalMinutes = r.EngagedTime.TotalSeconds / 60
	if r.Totals.PageViews > 0 {
		r.EngagedTime.AverageSeconds = r.EngagedTime.TotalSeconds / float64(r.Totals.PageViews)
	}

	sort.Slice(r.ImpressionsEntered, func(i, j int) bool {
		a, b := r.ImpressionsEntered[i], r.ImpressionsEntered[j]
		return a.Day < b.Day || a.Day == b.Day && a.Platform < b.Platform
	})
	for _, p := range t.platforms {
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
	for _, v := range t.variants {
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
}

func variantOrder(v string) string {
	if i := variant.Index(v); i >= 0 {
		return string(rune('0' + i))
	}
	return "9" + v
}
