package share

import (
	"net/url"
	"time"

	"github.com/sharecard/sharecard/internal/ical"
	"github.com/sharecard/sharecard/internal/stats"
)

// calendarProdID names sharecard as the maker of its calendar files.
const calendarProdID = "-//sharecard//sharecard//DA"

// CalendarPath is the invitation's calendar file.
func CalendarPath(token string) string { return "/i/" + token + "/calendar.ics" }

// CalendarFile is the name a calendar file is saved under.
func CalendarFile(inv Invitation) string { return inv.Camp.ID + ".ics" }

// HasCalendar reports whether inv's campaign has an event to offer.
func HasCalendar(inv Invitation) bool { return inv.Camp.Event != nil }

// Calendar is the campaign's party as an iCalendar (RFC 5545) file for
// one invitation: the event's name and time from the campaign file, its
// link preview text and the learning site (UTM-tagged, as the decline
// button's) in the description. The UID is the invitation's stats id at
// the service's host, so importing the same invitation twice updates one
// entry; it names neither the person nor the token. now is the DTSTAMP.
// ErrNoEvent when the campaign file has no event.
func (s *Service) Calendar(inv Invitation, now time.Time) ([]byte, error) {
	camp := inv.Camp
	if camp.Event == nil {
		return nil, ErrNoEvent
	}
	learn, err := LearningURL(camp, inv.Token)
	if err != nil {
		return nil, err
	}
	host := "sharecard"
	if u, err := url.Parse(s.links.Base); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	f := Fields(inv.Invitation)
	desc := camp.Expand(camp.Texts.OGDescription, f) + "\n\n" + learn
	ev := camp.Event
	return ical.Calendar(calendarProdID, ical.Event{
		UID:   stats.InvitationID(inv.Token) + "." + camp.ID + "@" + host,
		Stamp: now, Start: ev.Start, End: ev.End, AllDay: ev.AllDay,
		Summary: camp.Texts.Event, Description: desc, Location: ev.Location, URL: learn,
	}), nil
}
