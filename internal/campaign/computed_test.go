package campaign

import (
	"strings"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/card"
)

func TestYearsUntil(t *testing.T) {
	event := time.Date(2061, 3, 8, 19, 0, 0, 0, time.UTC)
	tests := []struct {
		today time.Time
		want  int
	}{
		{time.Date(2022, 3, 8, 0, 0, 0, 0, time.UTC), 39},  // the campaign's own day
		{time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), 34}, // "om 39 år" had become 34
		{time.Date(2027, 3, 7, 0, 0, 0, 0, time.UTC), 34},
		{time.Date(2027, 3, 8, 0, 0, 0, 0, time.UTC), 34},
		{time.Date(2027, 3, 9, 0, 0, 0, 0, time.UTC), 33},
		{time.Date(2061, 3, 8, 0, 0, 0, 0, time.UTC), 0},
		{time.Date(2070, 1, 1, 0, 0, 0, 0, time.UTC), 0},
	}
	for _, tt := range tests {
		if got := yearsUntil(tt.today, event); got != tt.want {
			t.Errorf("from %s: %d, want %d", tt.today.Format(time.DateOnly), got, tt.want)
		}
	}
}

// years is validCampaign with an event and {{years_until}} in a page
// text and on the card.
func years(t *testing.T, zone string) *Set {
	t.Helper()
	src := strings.Replace(validCampaign, "self_service: false\n", "self_service: false\ntimezone: "+zone+"\nevent:\n  start: 2061-03-08T19:00\n", 1)
	src = strings.Replace(src, "  event: Festen\n", "  event: Festen om {{years_until}} år\n", 1)
	src = strings.Replace(src, `text: "Kære {{name}}"`, `text: "Om {{years_until}} år, {{name}}"`, 1)
	if !strings.Contains(src, "{{years_until}} år, {{name}}") {
		t.Fatal("the test campaign changed: no card text to put {{years_until}} in")
	}
	set, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
	if err != nil {
		t.Fatal(err)
	}
	return set
}

// TestYearsUntilChangesAtMidnight: {{years_until}} follows an injected
// clock in the campaign's time zone, on pages and cards alike, and the
// template version (so every image URL and cache key) changes with it.
func TestYearsUntilChangesAtMidnight(t *testing.T) {
	set := years(t, "Europe/Copenhagen")
	c, _ := set.Lookup("demo")
	cph, _ := time.LoadLocation("Europe/Copenhagen")
	// On the day of the event, 2027 to 2061 is 34 whole years; from the
	// day after, 33.
	now := time.Date(2027, 3, 8, 23, 59, 0, 0, cph)
	set.SetClock(func() time.Time { return now })

	tpl, _ := c.Variant("og")
	before := tpl.Version
	if got := c.Expand(c.Texts.Event, card.Fields{}); got != "Festen om 34 år" {
		t.Errorf("the page says %q", got)
	}
	img1, err := card.Render(tpl, card.Fields{Name: "Lars"})
	if err != nil {
		t.Fatal(err)
	}
	v1 := c.TextVersion()

	// 23:30 UTC is already the next day in Copenhagen.
	now = time.Date(2027, 3, 8, 23, 30, 0, 0, time.UTC)
	tpl, _ = c.Variant("og")
	if tpl.Version == before || c.TextVersion() == v1 {
		t.Error("the template version did not change with the number")
	}
	if got := c.Expand(c.Texts.Event, card.Fields{}); got != "Festen om 33 år" {
		t.Errorf("the page says %q", got)
	}
	img2, err := card.Render(tpl, card.Fields{Name: "Lars"})
	if err != nil {
		t.Fatal(err)
	}
	if string(img1.Pix) == string(img2.Pix) {
		t.Error("the card did not change with the number")
	}
	// And back: the same day gives the same version again.
	now = time.Date(2027, 3, 8, 12, 0, 0, 0, cph)
	if tpl, _ = c.Variant("og"); tpl.Version != before {
		t.Error("the same day gives another version")
	}
}

func TestYearsUntilNeedsAnEvent(t *testing.T) {
	src := strings.Replace(validCampaign, "  event: Festen\n", "  event: Festen om {{years_until}} år\n", 1)
	_, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
	if err == nil || !strings.Contains(err.Error(), "add an event: section") {
		t.Errorf("err %v", err)
	}
}

func TestTimeZoneAndLanguage(t *testing.T) {
	set := years(t, "America/New_York")
	c, _ := set.Lookup("demo")
	if c.TimeZone.String() != "America/New_York" || c.Language != "da" {
		t.Errorf("timezone %v, language %q", c.TimeZone, c.Language)
	}
	if c.Event.Start.Location().String() != "America/New_York" {
		t.Errorf("the event's time zone %v is not the campaign's", c.Event.Start.Location())
	}
	for _, bad := range []struct{ line, want string }{
		{"timezone: Mars/Olympus\n", `timezone "Mars/Olympus"`},
		{"language: dansk\n", `language "dansk"`},
	} {
		src := strings.Replace(validCampaign, "self_service: false\n", "self_service: false\n"+bad.line, 1)
		_, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("%q: err %v", bad.line, err)
		}
	}
}
