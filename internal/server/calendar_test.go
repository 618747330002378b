package server

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
)

// TestCalendarIsTheParty: the invitation's .ics parses (golang-ical) as
// one event on 8 March 2061 at 19:00 in Copenhagen, with the learning
// site, UTM-tagged, in its description and a UID stable per invitation.
func TestCalendarIsTheParty(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	w := f.do(req{method: "GET", path: share.CalendarPath(tok)})
	wantStatus(t, w, 200)
	h := w.Header()
	if h.Get("Content-Type") != "text/calendar; charset=utf-8" || h.Get("Content-Disposition") != `attachment; filename="ligestilling.ics"` {
		t.Errorf("headers %v", h)
	}
	cal, err := ics.ParseCalendar(strings.NewReader(w.Body.String()))
	if err != nil {
		t.Fatalf("golang-ical cannot parse it: %v\n%s", err, w.Body.String())
	}
	if len(cal.Events()) != 1 {
		t.Fatalf("%d events", len(cal.Events()))
	}
	ev := cal.Events()[0]
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	start, err := ev.GetStartAt()
	if err != nil || !start.Equal(time.Date(2061, 3, 8, 19, 0, 0, 0, cph)) {
		t.Errorf("starts %v (%v), want 8 March 2061 19:00 in Copenhagen", start.In(cph), err)
	}
	if end, err := ev.GetEndAt(); err != nil || end.Sub(start) != 4*time.Hour {
		t.Errorf("ends %v (%v), want four hours later", end, err)
	}
	if s := ev.GetProperty(ics.ComponentPropertySummary); s == nil || s.Value != "Festen for ligestilling i dansk topledelse" {
		t.Errorf("summary %+v", s)
	}
	desc := ev.GetProperty(ics.ComponentPropertyDescription).Value
	camp, _ := f.app.share.Campaigns().Lookup("ligestilling")
	learn, _ := share.LearningURL(camp, tok)
	if !strings.HasSuffix(desc, "\n\n"+learn) || !strings.HasPrefix(desc, "Sig nej tak") {
		t.Errorf("description %q, want the call to decline and then %s", desc, learn)
	}
	u, _ := url.Parse(learn)
	if u.Query().Get("utm_source") != "sharecard" || u.Query().Get("utm_content") != stats.InvitationID(tok) {
		t.Errorf("learning link %s is not UTM-tagged", learn)
	}
	uid := ev.Id()
	if uid != stats.InvitationID(tok)+".ligestilling@invitation.example.dk" || strings.Contains(uid, "Lars") {
		t.Errorf("UID %q", uid)
	}
	again, _ := ics.ParseCalendar(strings.NewReader(f.do(req{method: "GET", path: share.CalendarPath(tok)}).Body.String()))
	if again.Events()[0].Id() != uid {
		t.Error("the UID changed between two downloads")
	}
	other, _ := ics.ParseCalendar(strings.NewReader(f.do(req{method: "GET", path: share.CalendarPath(f.token(invitation("Åse Holm")))}).Body.String()))
	if other.Events()[0].Id() == uid {
		t.Error("two invitations share a UID")
	}
	if stamp, err := ev.GetDtStampTime(); err != nil || time.Since(stamp) > time.Minute {
		t.Errorf("DTSTAMP %v (%v)", stamp, err)
	}

	head := f.do(req{method: "HEAD", path: share.CalendarPath(tok)})
	wantStatus(t, head, 200)
	if head.Body.Len() != 0 || head.Header().Get("Content-Length") == "" {
		t.Error("HEAD has a body or no length")
	}
	// The page offers it.
	if page := f.do(req{method: "GET", path: "/i/" + tok}).Body.String(); !strings.Contains(page, `href="`+share.CalendarPath(tok)+`" download>Sæt festen i kalenderen</a>`) {
		t.Error("the invitation page does not offer the calendar")
	}
	wantError(t, f.do(req{method: "GET", path: "/i/garbage/calendar.ics"}), 404, "no such invitation")
	if _, err := f.app.share.Revoke(t.Context(), tok); err != nil {
		t.Fatal(err)
	}
	wantError(t, f.do(req{method: "GET", path: share.CalendarPath(tok)}), 410, "withdrawn")
}

func TestCalendarOfACampaignWithoutAnEvent(t *testing.T) {
	f := newFixture(t)
	inv, err := f.app.share.Resolve(f.token(invitation("Lars Hansen")))
	if err != nil {
		t.Fatal(err)
	}
	camp := *inv.Camp
	camp.Event = nil
	inv.Camp = &camp
	if _, err := f.app.share.Calendar(inv, time.Now()); !errors.Is(err, share.ErrNoEvent) {
		t.Errorf("err %v, want ErrNoEvent", err)
	}
	if code, _ := statusOf(share.ErrNoEvent); code != 404 {
		t.Errorf("ErrNoEvent is %d, want 404", code)
	}
}
