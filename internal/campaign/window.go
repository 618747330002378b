package campaign

import (
	"time"
	_ "time/tzdata" // the campaign's dates are Copenhagen days on any host

	"go.yaml.in/yaml/v3"
)

// windowZone is where a date without a time begins and ends: the
// campaigns are Danish. (A campaign's own time zone may replace it.)
var windowZone = mustZone("Europe/Copenhagen")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// OpenAt reports whether the campaign takes self-service sign-ups at t:
// from opens: (inclusive) until closes: (exclusive), either of which may
// be absent. Links already made keep working outside the window.
func (c *Campaign) OpenAt(t time.Time) bool {
	if !c.Opens.IsZero() && t.Before(c.Opens) {
		return false
	}
	if !c.Closes.IsZero() && !t.Before(c.Closes) {
		return false
	}
	return true
}

// readWindow reads opens: and closes:, each a date (2026-03-08: the day
// in Copenhagen, closes: being the last day open) or an RFC 3339 time.
func (st *fileState) readWindow(root *object, c *Campaign) {
	var opensNode *yaml.Node
	if n, ok := root.get("opens"); ok {
		c.Opens, _ = st.when(n, "opens", false)
		opensNode = n
	}
	if n, ok := root.get("closes"); ok {
		var ok bool
		c.Closes, ok = st.when(n, "closes", true)
		if ok && opensNode != nil && !c.Opens.IsZero() && !c.Closes.After(c.Opens) {
			st.p.add(n, "closes (%s) must come after opens (%s)", n.Value, opensNode.Value)
		}
	}
}

// when parses one date or time; a date that closes ends with its day.
func (st *fileState) when(n *yaml.Node, key string, end bool) (time.Time, bool) {
	s, ok := scalarString(st.p, n, key)
	if !ok {
		return time.Time{}, false
	}
	if d, err := time.ParseInLocation(time.DateOnly, s, st.tz); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, true
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, true
	}
	st.p.add(n, "%s %q: want a date such as 2026-03-08 or a time such as 2026-03-08T09:00:00+01:00", key, s)
	return time.Time{}, false
}
