package campaign

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// withEvent is validCampaign with an event: section.
func withEvent(event string) string {
	return strings.Replace(validCampaign, "self_service: false\n", "self_service: false\nevent:\n"+event, 1)
}

func TestEventIsRead(t *testing.T) {
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	tests := []struct {
		name, event      string
		start, end       time.Time
		allDay           bool
		location         string
		wantNoEventAtAll bool
	}{
		{"an evening with an end", "  start: 2061-03-08T19:00\n  end: 2061-03-08T23:30\n  timezone: Europe/Copenhagen\n  location: Christiansborg\n",
			time.Date(2061, 3, 8, 19, 0, 0, 0, cph), time.Date(2061, 3, 8, 23, 30, 0, 0, cph), false, "Christiansborg", false},
		{"a start alone lasts four hours", "  start: 2061-03-08T19:00\n  timezone: Europe/Copenhagen\n",
			time.Date(2061, 3, 8, 19, 0, 0, 0, cph), time.Date(2061, 3, 8, 23, 0, 0, 0, cph), false, "", false},
		{"a date alone is the whole day", "  start: 2061-03-08\n  timezone: UTC\n",
			time.Date(2061, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2061, 3, 9, 0, 0, 0, 0, time.UTC), true, "", false},
		{"an end date is the last day, inclusive", "  start: 2061-03-08\n  end: 2061-03-09\n  timezone: UTC\n",
			time.Date(2061, 3, 8, 0, 0, 0, 0, time.UTC), time.Date(2061, 3, 10, 0, 0, 0, 0, time.UTC), true, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Load(testFS(t, map[string]string{testFile: withEvent(tt.event)}), "assets/campaigns", nil)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := set.Lookup("demo")
			ev := c.Event
			if ev == nil || !ev.Start.Equal(tt.start) || !ev.End.Equal(tt.end) || ev.AllDay != tt.allDay || ev.Location != tt.location {
				t.Errorf("event %+v, want %v – %v all-day %v at %q", ev, tt.start, tt.end, tt.allDay, tt.location)
			}
		})
	}
	set, err := Load(testFS(t, map[string]string{testFile: validCampaign}), "assets/campaigns", nil)
	if err != nil {
		t.Fatal(err)
	}
	if c, _ := set.Lookup("demo"); c.Event != nil {
		t.Errorf("a campaign without event: has %+v", c.Event)
	}
}

func TestEventErrorsPointAtTheLine(t *testing.T) {
	tests := []struct {
		name, event, marker, want string
	}{
		{"a start that is not a date", "  start: 8. marts 2061\n  timezone: UTC\n", "8. marts", `event.start "8. marts 2061": write a date`},
		{"a start with seconds", "  start: 2061-03-08T19:00:00\n  timezone: UTC\n", "T19:00:00", `event.start "2061-03-08T19:00:00"`},
		{"an unknown time zone", "  start: 2061-03-08T19:00\n  timezone: Europe/Aarhus\n", "Europe/Aarhus", `event.timezone "Europe/Aarhus": want an IANA time zone`},
		{"a missing start", "  timezone: UTC\n", "timezone", `event: missing key "start"`},
		{"an end before the start", "  start: 2061-03-08T19:00\n  end: 2061-03-08T18:00\n  timezone: UTC\n", "T18:00", `event.end "2061-03-08T18:00" is not after event.start`},
		{"an end of another form", "  start: 2061-03-08T19:00\n  end: 2061-03-09\n  timezone: UTC\n", "end: 2061-03-09", "both dates or both dates and times"},
		{"an unknown key", "  start: 2061-03-08T19:00\n  timezone: UTC\n  duration: 4h\n", "duration", `unknown key "duration" in event`},
		{"a list instead of a mapping", "  - 2061-03-08\n", "- 2061", "event must be a mapping"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := withEvent(tc.event)
			_, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
			if err == nil {
				t.Fatal("loaded without error")
			}
			prefix := fmt.Sprintf("%s:%d: ", testFile, lineOf(t, src, tc.marker))
			if !strings.Contains("\n"+err.Error(), "\n"+prefix) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("errors:\n%v\nwant a line starting %q containing %q", err, prefix, tc.want)
			}
		})
	}
}
