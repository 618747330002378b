package stats

import (
	"strings"
	"time"
)

// Bucket layouts. Hours are UTC hours, so replicas in any time zone write
// to the same keys; days are the campaign's days (its time zone), so a
// visit at 23:30 UTC on 1 December is 2 December's in Copenhagen. The day
// keys below take a time already in the campaign's zone (see localDay).
const (
	hourLayout = "2006010215"
	dayLayout  = "20060102"
)

// keys names every Redis key (and memory-store key) under one prefix. The
// campaign id sits in a hash tag, so all of a campaign's keys live in one
// Redis Cluster slot and a flush can be one MULTI/EXEC per campaign.
type keys struct{ prefix string }

func (k keys) campaign(c string) string { return k.prefix + "{" + c + "}:" }

// hour is the campaign's hourly counter hash.
func (k keys) hour(c string, t time.Time) string {
	return k.campaign(c) + "h:" + t.UTC().Format(hourLayout)
}

// uniques is the campaign's HyperLogLog of visitor hashes for one day.
func (k keys) uniques(c string, t time.Time) string {
	return k.campaign(c) + "u:" + t.Format(dayLayout)
}

// invitation is one invitation's counter hash for one day.
func (k keys) invitation(c, id string, t time.Time) string {
	return k.campaign(c) + "i:" + t.Format(dayLayout) + ":" + id
}

// top is the sorted set of invitation ids by page views for one day.
func (k keys) top(c string, t time.Time) string {
	return k.campaign(c) + "top:" + t.Format(dayLayout)
}

// rank is the campaign's ranking of invitations over every day in
// rankDays: a sorted set whose scores are minus the page views, so that
// ascending order (ZRANGE) is most viewed first, ties by id as the
// reports order them.
func (k keys) rank(c string) string { return k.campaign(c) + "rank" }

// rankDays is the set of days (YYYYMMDD) whose page views rank holds in
// full: a day joins it with its first page view, unless page views of
// that day were stored before the ranking existed (then rank leaves the
// day out and a range with it is summed from the daily lists).
func (k keys) rankDays(c string) string { return k.campaign(c) + "rank:days" }

// rankCache is a range's ranking summed from its daily top lists, kept
// briefly so the pages of one table are read from one sum.
func (k keys) rankCache(c, from, to string) string {
	return k.campaign(c) + "rank:" + from + "-" + to
}

// once is the day's set of what kind has counted once: members
// "invitationID:visitorHash". It lives only as long as a late event of its
// day can still arrive (see onceTTL); the counts it decided stay in the
// counter hashes.
func (k keys) once(c string, kind Kind, t time.Time) string {
	return k.campaign(c) + "once:" + string(kind) + ":" + t.Format(dayLayout)
}

// preview holds the start (Unix seconds) of the current preview window of
// one invitation on one platform.
func (k keys) preview(c, id, platform string) string {
	return k.campaign(c) + "pv:" + id + ":" + platform
}

// onceTTL is how long a day's once-set lives after its last write. Events
// of a day arrive until its salt expires an hour after the day; two days
// leave a margin and keep no more than about two days of sets.
const onceTTL = 48 * time.Hour

// windowTTL is how long a preview window's start is kept after it opened:
// past the window, so the fetches of one unfurl flushed in two batches are
// still told apart from the next unfurl.
const windowTTL = 3 * PreviewWindow

// impressions is the hash of manually entered platform impressions,
// field "YYYYMMDD/platform".
func (k keys) impressions(c string) string { return k.campaign(c) + "impressions" }

// impressionsLog lists the changes to the entered impressions, newest
// first: "at|YYYYMMDD/platform|old|new", an empty old for a new entry and
// an empty new for a deletion.
func (k keys) impressionsLog(c string) string { return k.campaign(c) + "impressions:log" }

// salt is the visitor-hash salt of the day of t (in t's zone), shared by
// replicas. Campaigns in one zone share it; a UTC day keeps the name it
// had before days followed the campaign's zone.
func (k keys) salt(t time.Time) string {
	if t.Location() == time.UTC {
		return k.prefix + "salt:" + t.Format(dayLayout)
	}
	return k.prefix + "salt:" + t.Location().String() + ":" + t.Format(dayLayout)
}

// campaigns is the set of campaign ids that have numbers.
func (k keys) campaigns() string { return k.prefix + "campaigns" }

// Field names in the counter hashes: the kind alone is the total; a
// breakdown adds "/dim=value" parts (p platform, v variant, f format, a
// audience human|crawler).
const (
	fieldEngagedMS = "engaged_ms"
	// onceSuffix ends the field of a count that counts each visitor (or,
	// for previews, each unfurl) once, beside the kind's raw event count:
	// "decline" counts events, "decline/once" declines.
	onceSuffix = "/once"
	// fieldOnceMark is set (to 0) in every hash that received a kind
	// counted once, so a hash written before such counts existed is told
	// from one whose once-counts are simply 0, and read as raw.
	fieldOnceMark = "once"
)

// onceField is f's counted-once field.
func onceField(f string) string { return f + onceSuffix }

func field(k Kind, dims ...string) string {
	if len(dims) == 0 {
		return string(k)
	}
	return string(k) + "/" + strings.Join(dims, "/")
}

// cleanName makes a dimension value safe as a key or field part: lower
// case letters, digits, '-', '_' and '.', at most max bytes. Anything else
// (including the empty string) becomes "" and the caller decides.
func cleanName(s string, max int) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || len(s) > max {
		return ""
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return ""
		}
	}
	return s
}

// dim returns "name=value" with value cleaned, or "name=other" when the
// value is unusable, so a strange value is still counted in the total.
func dim(name, value string) string { return name + "=" + dimValue(value) }

// dimValue is value cleaned as a dimension, or "other".
func dimValue(value string) string {
	if v := cleanName(value, 32); v != "" {
		return v
	}
	return "other"
}

// parseField splits "kind/a=b/c=d" into the kind and its dimensions.
func parseField(f string) (kind string, dims map[string]string) {
	parts := strings.Split(f, "/")
	kind = parts[0]
	if len(parts) == 1 {
		return kind, nil
	}
	dims = make(map[string]string, len(parts)-1)
	for _, p := range parts[1:] {
		if n, v, ok := strings.Cut(p, "="); ok {
			dims[n] = v
		}
	}
	return kind, dims
}

// localDay is the midnight that starts t's day in loc (nil: UTC). A day
// across a change to or from summer time is 23 or 25 hours long.
func localDay(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// dayStart truncates t to its UTC day.
func dayStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
