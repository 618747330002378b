package campaign

import (
	"time"
	_ "time/tzdata" // time zones load the same on every host, the distroless image included

	"go.yaml.in/yaml/v3"
)

// Event is when (and where) the campaign's party takes place: what the
// invitation's calendar file holds.
type Event struct {
	// Start and End are in the event's time zone; End is exclusive. An
	// all-day event starts at midnight and ends at a later midnight.
	Start, End time.Time
	AllDay     bool
	Location   string // optional, free text
}

// DefaultEventLength is how long a timed event lasts when the file gives
// no end: a party's evening.
const DefaultEventLength = 4 * time.Hour

// The forms a campaign file may write an event time in.
const (
	eventDate     = "2006-01-02"
	eventDateTime = "2006-01-02T15:04"
)

// readEvent reads
//
//	event:
//	  start: 2061-03-08T19:00    # or a date alone for an all-day event
//	  end: 2061-03-08T23:00      # optional: 4 hours after a timed start,
//	                             # the end of the day of an all-day one
//	  timezone: Europe/Copenhagen  # optional: the campaign's timezone
//	  location: Christiansborg   # optional
func (st *fileState) readEvent(n *yaml.Node) *Event {
	o := newObject(st.p, n, "event")
	if o == nil {
		return nil
	}
	// The event's own time zone, else the campaign's.
	loc := st.tz
	zone, zoneNode := o.str("timezone", false)
	if zoneNode != nil {
		l, err := time.LoadLocation(zone)
		if err != nil || zone == "" || zone == "Local" {
			st.p.add(zoneNode, "event.timezone %q: want an IANA time zone such as Europe/Copenhagen", zone)
		} else {
			loc = l
		}
	}
	ev := &Event{}
	startText, startNode := o.str("start", true)
	if startNode != nil {
		var ok bool
		ev.Start, ev.AllDay, ok = parseEventTime(startText, loc)
		if !ok {
			st.p.add(startNode, "event.start %q: write a date (2061-03-08) or a date and time (2061-03-08T19:00)", startText)
		}
	}
	endText, endNode := o.str("end", false)
	ev.Location, _ = o.str("location", false)
	o.finish()
	if ev.Start.IsZero() {
		return nil
	}
	switch {
	case endNode == nil && ev.AllDay:
		ev.End = ev.Start.AddDate(0, 0, 1)
	case endNode == nil:
		ev.End = ev.Start.Add(DefaultEventLength)
	default:
		end, allDay, ok := parseEventTime(endText, loc)
		switch {
		case !ok:
			st.p.add(endNode, "event.end %q: write a date (2061-03-08) or a date and time (2061-03-08T23:00)", endText)
		case allDay != ev.AllDay:
			st.p.add(endNode, "event.end %q: write it as start is written, both dates or both dates and times", endText)
		case ev.AllDay:
			ev.End = end.AddDate(0, 0, 1) // the file names the last day; calendars want the day after
		default:
			ev.End = end
		}
		if ok && allDay == ev.AllDay && !ev.End.After(ev.Start) {
			st.p.add(endNode, "event.end %q is not after event.start %q", endText, startText)
		}
	}
	return ev
}

// parseEventTime reads a date or a date and time in loc.
func parseEventTime(s string, loc *time.Location) (t time.Time, allDay, ok bool) {
	if t, err := time.ParseInLocation(eventDateTime, s, loc); err == nil {
		return t, false, true
	}
	if t, err := time.ParseInLocation(eventDate, s, loc); err == nil {
		return t, true, true
	}
	return time.Time{}, false, false
}
