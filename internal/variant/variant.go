// Package variant is the one list of card sizes sharecard makes: their
// names, canvases, the areas platforms cover, and which one link previews
// use. Campaigns, tokens, the share core and the numbers all read it, so a
// new size is added here and nowhere else.
package variant

import "slices"

// Variant is one platform size.
type Variant struct {
	Name   string
	Width  int
	Height int
	// Safe is how many pixels at the top and at the bottom the platform
	// covers with its own interface; no text may go there.
	Safe int
	// Label is the download button's default word for it (Danish; a
	// campaign's texts may override it).
	Label string
}

// all is the list, in display order. Tokens name a variant by its position
// here (invite's variant set is a bit per entry), so new variants may only
// be appended.
var all = []Variant{
	// Link previews: LinkedIn, Facebook, X, Slack, WhatsApp.
	{Name: "og", Width: 1200, Height: 630, Label: "Link"},
	// The Instagram feed.
	{Name: "square", Width: 1080, Height: 1080, Label: "Kvadrat"},
	// The feed's tallest crop.
	{Name: "portrait", Width: 1080, Height: 1350, Label: "Portræt"},
	// Instagram stories: the top and bottom 250 px hold the platform's own
	// bars.
	{Name: "story", Width: 1080, Height: 1920, Safe: 250, Label: "Story"},
}

// Preview is the variant link previews show and crawlers fetch.
const Preview = "og"

// All returns every variant in display order.
func All() []Variant { return slices.Clone(all) }

// Names returns every variant's name in display order.
func Names() []string {
	out := make([]string, len(all))
	for i, v := range all {
		out[i] = v.Name
	}
	return out
}

// Lookup finds a variant by name.
func Lookup(name string) (Variant, bool) {
	for _, v := range all {
		if v.Name == name {
			return v, true
		}
	}
	return Variant{}, false
}

// Index is name's position in the list, or -1.
func Index(name string) int {
	for i, v := range all {
		if v.Name == name {
			return i
		}
	}
	return -1
}
