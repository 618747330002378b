// Package ical writes iCalendar files (RFC 5545) of single events: the
// properties a calendar needs to show and update one, TEXT escaping, and
// lines folded at 75 octets without splitting a character.
package ical

import (
	"bytes"
	"strings"
	"time"
	"unicode/utf8"
)

// Event is one VEVENT.
type Event struct {
	// UID identifies the event across downloads: importing it again
	// updates the entry instead of adding a second one.
	UID string
	// Stamp is when this copy was made (DTSTAMP).
	Stamp time.Time
	// Start and End (exclusive). An all-day event is written as dates in
	// Start's calendar; a timed one in UTC, which needs no VTIMEZONE.
	Start, End  time.Time
	AllDay      bool
	Summary     string
	Description string
	Location    string // optional
	URL         string // optional, a URI
}

// Calendar writes a VCALENDAR holding ev. prodID names the product that
// made it (PRODID), e.g. "-//sharecard//sharecard//DA".
func Calendar(prodID string, ev Event) []byte {
	var b bytes.Buffer
	w := func(name, value string) { writeLine(&b, name+":"+value) }
	w("BEGIN", "VCALENDAR")
	w("VERSION", "2.0")
	w("PRODID", escape(prodID))
	w("CALSCALE", "GREGORIAN")
	w("METHOD", "PUBLISH")
	w("BEGIN", "VEVENT")
	w("UID", escape(ev.UID))
	w("DTSTAMP", utc(ev.Stamp))
	if ev.AllDay {
		writeLine(&b, "DTSTART;VALUE=DATE:"+ev.Start.Format("20060102"))
		writeLine(&b, "DTEND;VALUE=DATE:"+ev.End.Format("20060102"))
	} else {
		w("DTSTART", utc(ev.Start))
		w("DTEND", utc(ev.End))
	}
	w("SUMMARY", escape(ev.Summary))
	if ev.Description != "" {
		w("DESCRIPTION", escape(ev.Description))
	}
	if ev.Location != "" {
		w("LOCATION", escape(ev.Location))
	}
	if ev.URL != "" {
		w("URL", ev.URL) // a URI value: not TEXT, so not escaped
	}
	w("STATUS", "CONFIRMED")
	w("TRANSP", "TRANSPARENT") // a calendar entry to keep, not time to block
	w("END", "VEVENT")
	w("END", "VCALENDAR")
	return b.Bytes()
}

func utc(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escape writes s as a TEXT value (RFC 5545 3.3.11): backslash, semicolon
// and comma escaped, line breaks as \n, other control characters dropped.
func escape(s string) string {
	var b strings.Builder
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, r := range s {
		switch {
		case r == '\\' || r == ';' || r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n' || r == '\r':
			b.WriteString(`\n`)
		case r < 0x20 || r == 0x7f:
			// not allowed in a value
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// maxLine is the longest a content line may be, in octets, without its
// line break (RFC 5545 3.1).
const maxLine = 75

// writeLine writes one content line, folded: after 75 octets (74 on the
// continuation lines, which begin with a space) a CRLF and a space, never
// inside a UTF-8 sequence.
func writeLine(b *bytes.Buffer, line string) {
	limit := maxLine
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLine - 1
	}
	b.WriteString(line)
	b.WriteString("\r\n")
}
