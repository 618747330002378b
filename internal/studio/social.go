package studio

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/variant"
)

// platform is one place a share is seen, with how much of the link
// preview's title and description it shows before it cuts (in
// characters; 0: it does not show that text at all). The figures are
// approximate, measured on the platforms' own apps at common widths;
// docs/templates.md gives each one's reasoning.
type platform struct {
	Key, Name   string
	Title, Desc int
	// Caption: the platform shows no link preview; the description stands
	// for the caption a poster writes, cut where the feed cuts it.
	Caption bool
}

// platforms are the link previews the simulator draws, in the order the
// page shows them.
var platforms = []platform{
	{Key: "linkedin", Name: "LinkedIn (opslag i feedet)", Title: 70},
	{Key: "facebook", Name: "Facebook", Title: 88, Desc: 110},
	{Key: "x", Name: "X (summary_large_image)", Title: 70},
	{Key: "slack", Name: "Slack", Title: 150, Desc: 300},
	{Key: "whatsapp", Name: "WhatsApp", Title: 65, Desc: 90},
	{Key: "imessage", Name: "iMessage", Title: 60},
	{Key: "instagram", Name: "Instagram (opslag i feedet)", Desc: 125, Caption: true},
}

// clipped is a text as a platform shows it.
type clipped struct {
	Text string `json:"text"`
	Cut  bool   `json:"cut"`
	// Shown is false where the platform does not show this text.
	Shown bool `json:"shown"`
}

// clip cuts s to at most limit characters as the platforms do: at a word
// boundary when one is near, with an ellipsis.
func clip(s string, limit int) clipped {
	if limit <= 0 {
		return clipped{}
	}
	if utf8.RuneCountInString(s) <= limit {
		return clipped{Text: s, Shown: true}
	}
	full := []rune(s)
	r := full[:limit-1]
	// Back to the last space if it is within a word's length (unless the
	// cut falls between words already); a long word is cut inside, as the
	// platforms do.
	for i := len(r) - 1; i > 0 && i > len(r)-16 && !unicode.IsSpace(full[limit-1]); i-- {
		if unicode.IsSpace(r[i]) {
			r = r[:i]
			break
		}
	}
	t := strings.TrimRightFunc(string(r), func(c rune) bool { return unicode.IsSpace(c) || strings.ContainsRune(",;:–-", c) })
	return clipped{Text: t + "…", Cut: true, Shown: true}
}

// shareView is one platform's mockup.
type shareView struct {
	Key      string  `json:"key"`
	Name     string  `json:"name"`
	Title    clipped `json:"title"`
	Desc     clipped `json:"description"`
	Caption  bool    `json:"caption"`
	TitleMax int     `json:"title_max"`
	DescMax  int     `json:"description_max"`
}

// box is a text layer's place on a card, for the safe-zone drawing.
type box struct {
	X, Y, W, H float64
	Label      string
	Unsafe     bool
}

// frameView is a variant with a platform's unsafe bands (the story).
type frameView struct {
	Variant       string   `json:"variant"`
	Width, Height int      `json:"-"`
	Safe          int      `json:"safe"`
	Bottom        int      `json:"bottom"` // where the bottom band begins
	Boxes         []box    `json:"boxes"`
	Warnings      []string `json:"warnings"`
}

// socialView is the whole simulator: the share's texts for the typical
// invitee, every platform's cut of them, the story's safe zones, and the
// warnings.
type socialView struct {
	Sample      string      `json:"sample"`
	Title       string      `json:"title"`
	Description string      `json:"description"`
	SiteName    string      `json:"site_name"`
	Domain      string      `json:"domain"`
	Platforms   []shareView `json:"platforms"`
	Story       frameView   `json:"story"`
	Warnings    []string    `json:"warnings"`
	// CardURL is where the published cards are (the page's first
	// images); empty for a campaign not yet published.
	CardURL string `json:"-"`
	// Lang is the language the share is shown in.
	Lang string `json:"lang"`
}

// simulate builds the simulator's view of camp, shared from domain.
func simulate(camp *campaign.Campaign, domain string) socialView {
	p := camp.InvitationPreview(campaign.TypicalFields)
	v := socialView{Sample: campaign.TypicalFields.Name, Title: p.Title, Description: p.Description, SiteName: camp.SiteName(), Domain: domain, Lang: camp.Lang()}
	if n := utf8.RuneCountInString(p.Title); n > campaign.MaxTitle {
		v.Warnings = append(v.Warnings, fmt.Sprintf("Titlen er %d tegn for %s; over %d skærer de fleste platforme den.", n, v.Sample, campaign.MaxTitle))
	}
	if n := utf8.RuneCountInString(p.Description); n > campaign.MaxDescription {
		v.Warnings = append(v.Warnings, fmt.Sprintf("Beskrivelsen er %d tegn for %s; over %d skærer de fleste platforme den.", n, v.Sample, campaign.MaxDescription))
	}
	for _, pl := range platforms {
		s := shareView{Key: pl.Key, Name: pl.Name, Caption: pl.Caption, TitleMax: pl.Title, DescMax: pl.Desc,
			Title: clip(p.Title, pl.Title), Desc: clip(p.Description, pl.Desc)}
		switch {
		case s.Title.Cut && s.Desc.Cut:
			v.Warnings = append(v.Warnings, pl.Name+" skærer både titel og beskrivelse.")
		case s.Title.Cut:
			v.Warnings = append(v.Warnings, fmt.Sprintf("%s skærer titlen efter ca. %d tegn.", pl.Name, pl.Title))
		case s.Desc.Cut:
			v.Warnings = append(v.Warnings, fmt.Sprintf("%s skærer %s efter ca. %d tegn.", pl.Name, map[bool]string{true: "billedteksten", false: "beskrivelsen"}[pl.Caption], pl.Desc))
		}
		v.Platforms = append(v.Platforms, s)
	}
	v.Story = safeZones(camp, "story")
	v.Warnings = append(v.Warnings, v.Story.Warnings...)
	return v
}

// safeZones places the text layers of a variant against the bands its
// platform covers (variant.Safe at the top and at the bottom): a box that
// reaches into one is key content the platform hides.
func safeZones(camp *campaign.Campaign, name string) frameView {
	vr, _ := variant.Lookup(name)
	f := frameView{Variant: name, Width: vr.Width, Height: vr.Height, Safe: vr.Safe, Bottom: vr.Height - vr.Safe, Boxes: []box{}, Warnings: []string{}}
	for i, tb := range camp.TextBoxes(name) {
		b := box{X: tb.Box.X, Y: tb.Box.Y, W: tb.Box.W, H: tb.Box.H, Label: fmt.Sprintf("tekstlag %d: %s", i+1, short(tb.Text, 40))}
		top, bottom := float64(vr.Safe), float64(vr.Height-vr.Safe)
		if vr.Safe > 0 && (b.Y < top || b.Y+b.H > bottom) {
			b.Unsafe = true
			f.Warnings = append(f.Warnings, fmt.Sprintf("Story: %s går ind i de øverste eller nederste %d px, som Instagram dækker (y %g–%g).", b.Label, vr.Safe, b.Y, b.Y+b.H))
		}
		f.Boxes = append(f.Boxes, b)
	}
	return f
}

func short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
