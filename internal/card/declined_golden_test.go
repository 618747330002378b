package card_test

import (
	"path/filepath"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/testcampaign"
)

// TestGoldenDeclinedCards holds the "I declined" card of both shipped
// campaigns, in every size, to its golden image (testdata/golden/declined),
// pixel for pixel as TestGoldenCards does: a typical decliner with a
// title, and the longest name the goldens know, which must wrap and
// shrink inside its box. go test ./internal/card -update rewrites them.
func TestGoldenDeclinedCards(t *testing.T) {
	goldenBuild(t)
	names := []struct {
		key    string
		fields card.Fields
	}{
		{"short", card.Fields{Name: "Lars Hansen", Title: "Adm. direktør", Org: "Novo Nordisk"}},
		goldenNames[3], // verylong
	}
	for _, id := range []string{"ligestilling", "equality-2061"} {
		c, ok := testcampaign.Set(t).Lookup(id)
		if !ok {
			t.Fatalf("no campaign %s", id)
		}
		for _, v := range campaign.VariantNames {
			for _, n := range names {
				t.Run(id+"/"+v+"/"+n.key, func(t *testing.T) {
					tpl, ok := c.Declined(v)
					if !ok {
						t.Fatalf("%s has no declined %s", id, v)
					}
					img, err := card.Render(tpl, n.fields)
					if err != nil {
						t.Fatal(err)
					}
					path := filepath.Join("testdata", "golden", "declined", id+"-"+v+"-"+n.key+".png")
					checkGolden(t, img, path)
				})
			}
		}
	}
}
