package campaign

import (
	"fmt"
	"strings"
	"testing"

	"github.com/sharecard/sharecard/internal/variant"
)

// declinedSection is an "I declined" card for validCampaign.
const declinedSection = `declined:
  og:
    size: [1200, 630]
    layers:
      - {type: fill, color: "#000000"}
      - {type: text, text: "{{name}} har takket nej", font: serif, size: 40, color: gold, box: [10, 10, 600, 60]}
  square:
    size: [1080, 1080]
    layers:
      - {type: fill, color: "#010101"}
  portrait:
    size: [1080, 1350]
    layers:
      - {type: fill, color: "#020202"}
  story:
    size: [1080, 1920]
    layers:
      - {type: fill, color: "#030303"}
      - {type: text, text: "{{name}} – om {{years_until}} år", font: serif, size: 40, color: gold, box: [10, 300, 600, 60]}
`

// withDeclined is validCampaign with an event (for {{years_until}}) and
// the "I declined" card.
var withDeclined = strings.Replace(validCampaign, "texts:\n", "event:\n  start: 2061-03-08T19:00\ntexts:\n", 1) + declinedSection

func TestTheDeclinedCardLoads(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		card    bool
		decline string
	}{
		{"a campaign with the card, declining to the thanks by default", withDeclined, true, DeclineConfirm},
		{"a campaign without the card", validCampaign, false, DeclineConfirm},
		{"decline: direct", strings.Replace(validCampaign, "self_service: false\n", "self_service: false\ndecline: direct\n", 1), false, DeclineDirect},
		{"decline: confirm said out loud", strings.Replace(withDeclined, "self_service: false\n", "self_service: false\ndecline: confirm\n", 1), true, DeclineConfirm},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			set, err := Load(testFS(t, map[string]string{testFile: tt.src}), "assets/campaigns", nil)
			if err != nil {
				t.Fatal(err)
			}
			c, _ := set.Lookup("demo")
			if c.Decline != tt.decline || c.HasDeclinedCard() != tt.card {
				t.Errorf("decline %q, card %v; want %q, %v", c.Decline, c.HasDeclinedCard(), tt.decline, tt.card)
			}
			for _, v := range VariantNames {
				tpl, ok := c.Declined(v)
				if ok != tt.card {
					t.Fatalf("%s: declined card %v", v, ok)
				}
				if !ok {
					continue
				}
				inv, _ := c.Variant(v)
				want, _ := variant.Lookup(v)
				if tpl.Width != want.Width || tpl.Height != want.Height || tpl.Version == "" || tpl.Version == inv.Version {
					t.Errorf("%s: %d×%d version %q (the invitation's %q)", v, tpl.Width, tpl.Height, tpl.Version, inv.Version)
				}
			}
		})
	}
}

func TestDeclinedErrorsPointAtTheLine(t *testing.T) {
	tests := []struct {
		name, old, new, marker, want string
	}{
		{"an unknown decline setting", "self_service: false\n", "self_service: false\ndecline: maybe\n", "decline: maybe", `campaign.decline is "maybe": must be one of confirm, direct`},
		{"a missing size of the card", "  portrait:\n    size: [1080, 1350]\n    layers:\n      - {type: fill, color: \"#020202\"}\n  story:\n    size: [1080, 1920]\n    layers:\n      - {type: fill, color: \"#030303\"}\n      - {type: text, text: \"{{name}} –", "  story:\n    size: [1080, 1920]\n    layers:\n      - {type: fill, color: \"#030303\"}\n      - {type: text, text: \"{{name}} –", "  og:\n    size: [1200, 630]\n    layers:\n      - {type: fill, color: \"#000000\"}\n      - {type: text, text: \"{{name}} har", `declined: missing variant "portrait"`},
		{"an unknown size of the card", "  square:\n    size: [1080, 1080]\n    layers:\n      - {type: fill, color: \"#010101\"}\n  portrait:\n    size: [1080, 1350]\n    layers:\n      - {type: fill, color: \"#020202\"}\n  story:\n    size: [1080, 1920]\n    layers:\n      - {type: fill, color: \"#030303\"}\n      - {type: text, text: \"{{name}} –", "  square:\n    size: [1080, 1080]\n    layers:\n      - {type: fill, color: \"#010101\"}\n  reel:\n    size: [1, 1]\n  portrait:\n    size: [1080, 1350]\n    layers:\n      - {type: fill, color: \"#020202\"}\n  story:\n    size: [1080, 1920]\n    layers:\n      - {type: fill, color: \"#030303\"}\n      - {type: text, text: \"{{name}} –", "reel:", `declined: unknown variant "reel"`},
		{"a card of the wrong size", "    size: [1200, 630]\n    layers:\n      - {type: fill, color: \"#000000\"}\n      - {type: text, text: \"{{name}} har", "    size: [1200, 628]\n    layers:\n      - {type: fill, color: \"#000000\"}\n      - {type: text, text: \"{{name}} har", "[1200, 628]", "declined og must be 1200×630"},
		{"a text box too low on the card", "har takket nej\", font: serif, size: 40, color: gold, box: [10, 10, 600, 60]", "har takket nej\", font: serif, size: 40, color: gold, box: [10, 10, 600, 20]", "box: [10, 10, 600, 20]", "declined og, layer 2: text box [10 10 600 20] is 20 px high"},
		{"card text in the band Instagram covers", "år\", font: serif, size: 40, color: gold, box: [10, 300", "år\", font: serif, size: 40, color: gold, box: [10, 100", "box: [10, 100", "declined story, layer 2 (text): text must stay out of the top and bottom 250 px"},
		{"an unknown key in a card layer", "har takket nej\", font: serif,", "har takket nej\", fnt: x, font: serif,", "fnt: x", `unknown key "fnt" in declined og, layer 2 (text)`},
		{"a misspelt placeholder on the card", "{{name}} har takket nej", "{{nme}} har takket nej", "{{nme}}", "unknown placeholder {{nme}}"},
		{"a misspelt placeholder in a decline text", "  decline: Afslå invitationen\n", "  decline: Afslå invitationen\n  declined_og_title: \"{{navn}} har takket nej\"\n", "{{navn}}", "texts.declined_og_title: unknown placeholder {{navn}}"},
		{"the card's section as a list", declinedSection, "declined: [og]\n", "declined: [og]", "declined must be"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(withDeclined, tc.old) {
				t.Fatalf("%q is not in the campaign", tc.old)
			}
			src := strings.Replace(withDeclined, tc.old, tc.new, 1)
			_, err := Load(testFS(t, map[string]string{testFile: src}), "assets/campaigns", nil)
			if err == nil {
				t.Fatal("loaded without error")
			}
			prefix := fmt.Sprintf("%s:%d: ", testFile, lineOf(t, src, tc.marker))
			found := false
			for _, line := range strings.Split(err.Error(), "\n") {
				if strings.HasPrefix(line, prefix) && strings.Contains(line, tc.want) {
					found = true
				}
			}
			if !found {
				t.Errorf("errors:\n%v\nwant a line starting %q containing %q", err, prefix, tc.want)
			}
		})
	}
}
