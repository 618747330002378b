package ical

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	ics "github.com/arran4/golang-ical"
)

var party = Event{
	UID:     "4f664dc082f91905.ligestilling@invitation.example.dk",
	Stamp:   time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC),
	Start:   time.Date(2061, 3, 8, 18, 0, 0, 0, time.UTC),
	End:     time.Date(2061, 3, 8, 22, 0, 0, 0, time.UTC),
	Summary: "Festen for ligestilling i dansk topledelse",
	// Commas, a semicolon, a backslash, line breaks and long Danish text:
	// everything escaping and folding must get right.
	Description: "Sig nej tak, og lær, hvordan festen kan rykkes frem; nu.\nBackslash: \\ æøå ÆØÅ – " +
		strings.Repeat("ø", 60) + "\r\nhttps://www.ligestillingitoppen.dk/laer?utm_source=sharecard&utm_medium=invitation",
	Location: "Christiansborg, København",
	URL:      "https://www.ligestillingitoppen.dk/laer?utm_source=sharecard&utm_medium=invitation",
}

func TestCalendarParses(t *testing.T) {
	body := Calendar("-//sharecard//sharecard//DA", party)
	cal, err := ics.ParseCalendar(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("golang-ical cannot parse it: %v\n%s", err, body)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	ev := evs[0]
	start, err1 := ev.GetStartAt()
	end, err2 := ev.GetEndAt()
	stamp, err3 := ev.GetDtStampTime()
	if err1 != nil || err2 != nil || err3 != nil || !start.Equal(party.Start) || !end.Equal(party.End) || !stamp.Equal(party.Stamp) {
		t.Errorf("times %v %v %v (%v %v %v)", start, end, stamp, err1, err2, err3)
	}
	want := map[ics.ComponentProperty]string{
		ics.ComponentPropertyUniqueId:    party.UID,
		ics.ComponentPropertySummary:     party.Summary,
		ics.ComponentPropertyDescription: strings.ReplaceAll(party.Description, "\r\n", "\n"),
		ics.ComponentPropertyLocation:    party.Location,
		ics.ComponentPropertyUrl:         party.URL,
	}
	for prop, v := range want {
		if p := ev.GetProperty(prop); p == nil || p.Value != v {
			t.Errorf("%s = %+v, want %q", prop, p, v)
		}
	}
}

func TestAllDayEventIsDates(t *testing.T) {
	day := party
	day.AllDay = true
	day.Start = time.Date(2061, 3, 8, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	day.End = day.Start.AddDate(0, 0, 1)
	body := string(Calendar("-//x//y//DA", day))
	if !strings.Contains(body, "\r\nDTSTART;VALUE=DATE:20610308\r\n") || !strings.Contains(body, "\r\nDTEND;VALUE=DATE:20610309\r\n") {
		t.Errorf("an all-day event is not written as dates:\n%s", body)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if start, err := cal.Events()[0].GetAllDayStartAt(); err != nil || start.Format("2006-01-02") != "2061-03-08" {
		t.Errorf("all-day start %v, %v", start, err)
	}
}

// TestLinesAreFoldedAndEscaped checks RFC 5545 3.1 and 3.3.11 on the
// bytes: CRLF endings, at most 75 octets a line, no character split, and
// unfolding gives back the escaped value.
func TestLinesAreFoldedAndEscaped(t *testing.T) {
	body := string(Calendar("-//sharecard//sharecard//DA", party))
	if !strings.HasSuffix(body, "END:VCALENDAR\r\n") || strings.Contains(strings.ReplaceAll(body, "\r\n", ""), "\n") {
		t.Fatal("lines do not all end in CRLF")
	}
	folded := 0
	for _, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line of %d octets: %q", len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("a fold splits a character: %q", line)
		}
		if strings.HasPrefix(line, " ") {
			folded++
		}
	}
	if folded < 3 {
		t.Errorf("the long description was folded %d times", folded)
	}
	unfolded := strings.ReplaceAll(body, "\r\n ", "")
	for _, want := range []string{
		`DESCRIPTION:Sig nej tak\, og lær\, hvordan festen kan rykkes frem\; nu.\nBackslash: \\ æøå`,
		`\nhttps://www.ligestillingitoppen.dk/laer?utm_source=sharecard&utm_medium=invitation` + "\r\n",
		"LOCATION:Christiansborg\\, København\r\n",
		"URL:" + party.URL + "\r\n",
		"DTSTART:20610308T180000Z\r\n",
		"DTSTAMP:20261202T120000Z\r\n",
	} {
		if !strings.Contains(unfolded, want) {
			t.Errorf("the calendar lacks %q:\n%s", want, unfolded)
		}
	}
}
