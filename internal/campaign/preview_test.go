package campaign

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/card"
)

// TestDemoPreviewsFit: the shipped campaign's titles and descriptions
// fit link previews for typical names, with the call to decline first.
func TestDemoPreviewsFit(t *testing.T) {
	set, err := Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := set.Lookup("ligestilling")
	for _, name := range []string{"Lars Hansen", TypicalFields.Name, "Anne Søndergaard", "Søren Kierkegaard"} {
		p := c.InvitationPreview(card.Fields{Name: name})
		if n := utf8.RuneCountInString(p.Title); n > MaxTitle {
			t.Errorf("%s: title %q is %d characters", name, p.Title, n)
		}
		if n := utf8.RuneCountInString(p.Description); n > MaxDescription || !strings.HasPrefix(p.Description, "Sig nej tak") {
			t.Errorf("%s: description %q is %d characters or does not begin with the call to decline", name, p.Description, n)
		}
	}
	p := c.CampaignPreview()
	if utf8.RuneCountInString(p.Title) > MaxTitle || utf8.RuneCountInString(p.Description) > MaxDescription || !strings.HasPrefix(p.Description, "Sig nej tak") {
		t.Errorf("campaign preview %+v", p)
	}
	if c.SiteName() != "Ligestilling i toppen" || c.GenericFields().Name != "topchef" {
		t.Errorf("site name %q, generic name %q", c.SiteName(), c.GenericFields().Name)
	}
}

// TestLongPreviewsWarnAtTheLine: a title or description longer than
// previews show loads, with a warning that says where and how long.
func TestLongPreviewsWarnAtTheLine(t *testing.T) {
	long := strings.Repeat("Meget lang tekst. ", 10)
	src := strings.Replace(validCampaign, "og_description: Om 39 år.", "og_description: "+long, 1)
	src = strings.Replace(src, "self_service_title: Send en invitation", "self_service_title: "+long, 1)
	src = strings.Replace(src, "self_service: false", "self_service: true", 1)
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if _, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", log); err != nil {
		t.Fatalf("a long preview must warn, not refuse: %v", err)
	}
	logs := buf.String()
	for _, want := range []string{
		fmt.Sprintf("%s:%d: texts.og_description is 179 characters for a typical invitee; link previews cut it after 160", testFile, lineOf(t, src, "og_description:")),
		fmt.Sprintf("%s:%d: texts.self_service_title is 179 characters", testFile, lineOf(t, src, "self_service_title:")),
	} {
		if !strings.Contains(logs, want) {
			t.Errorf("no warning %q in:\n%s", want, logs)
		}
	}
	if strings.Contains(logs, "og_title") {
		t.Errorf("a title that fits was warned about:\n%s", logs)
	}
}
