package dashboard

import (
	"image/color"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"
)

// TestThePaletteIsLegible: every colour the dashboard and the report take
// from a campaign meets WCAG AA on what it is drawn on — 4.5:1 for text,
// 3:1 for chart marks — for both built-in campaigns, whose own colours are
// kept where they pass, and for campaigns whose colours fail, which get a
// darker or lighter shade.
func TestThePaletteIsLegible(t *testing.T) {
	set := demoCampaigns(t)
	type colours struct{ bg, fg, accent string }
	tests := []struct {
		name string
		c    colours
		keep []string // colours that must pass unchanged: band, band-text, band-soft
	}{
		{"ligestilling", colourOf(t, set, "ligestilling"), []string{"band", "band-text", "band-soft"}},
		{"equality-2061", colourOf(t, set, "equality-2061"), []string{"band", "band-text", "band-soft"}},
		{"a pale band with white text and a yellow accent", colours{"#fff8dc", "#ffffff", "#ffff00"}, []string{"band"}},
		{"everything the same mid grey", colours{"#808080", "#808080", "#808080"}, nil},
		{"a black band with black text", colours{"#000000", "#000000", "#111111"}, nil},
		{"an accent like the page", colours{"#0b1322", "#f5efe0", "#f3f4f6"}, []string{"band", "band-text"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			bg, _ := parseHex(tc.c.bg)
			fg, _ := parseHex(tc.c.fg)
			ac, _ := parseHex(tc.c.accent)
			p := newPalette(bg, fg, ac)
			checks := []struct {
				what   string
				c      color.NRGBA
				on     []color.NRGBA
				min    float64
				source color.NRGBA
			}{
				{"band-text", p.BandText, []color.NRGBA{p.Band}, 4.5, fg},
				{"band-soft", p.BandSoft, []color.NRGBA{p.Band}, 4.5, ac},
				{"accent", p.Accent, lightGround, 4.5, ac},
				{"views", p.Views, lightGround, 3, bg},
				{"goal", p.Goal, lightGround, 3, ac},
			}
			for _, ch := range checks {
				for _, g := range ch.on {
					if r := contrast(ch.c, g); r < ch.min {
						t.Errorf("%s %s on %s: %.2f:1, want %.1f:1", ch.what, hexOf(ch.c), hexOf(g), r, ch.min)
					}
				}
				for _, k := range tc.keep {
					if k == ch.what && ch.c != ch.source {
						t.Errorf("%s became %s, though %s passes", ch.what, hexOf(ch.c), hexOf(ch.source))
					}
				}
			}
			if p.Band != bg {
				t.Errorf("the band is %s, not the campaign's %s", hexOf(p.Band), tc.c.bg)
			}
			if contrast(p.Views, p.Goal) < 1.5 {
				t.Errorf("the two series %s and %s cannot be told apart", hexOf(p.Views), hexOf(p.Goal))
			}
			if css := p.css(); !strings.Contains(css, "--band:"+strings.ToLower(tc.c.bg)) {
				t.Errorf("css %q lacks the band", css)
			}
		})
	}
}

func colourOf(t *testing.T, set *campaign.Set, id string) struct{ bg, fg, accent string } {
	t.Helper()
	c, ok := set.Lookup(id)
	if !ok {
		t.Fatalf("no campaign %s", id)
	}
	return struct{ bg, fg, accent string }{c.Colors.Background, c.Colors.Foreground, c.Colors.Accent}
}

func TestContrast(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#767676", "#ffffff", 4.54},
		{"#4b5563", "#f3f4f6", 6.86},
	} {
		a, _ := parseHex(tc.a)
		b, _ := parseHex(tc.b)
		if got := contrast(a, b); got < tc.want-0.01 || got > tc.want+0.01 {
			t.Errorf("%s on %s: %.2f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}
