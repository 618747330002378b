package card_test

import (
	"image"
	"image/draw"
	"path/filepath"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
)

// corpusFields reads testdata/corpus.tsv (the shaping test's reader):
// invitees in every script.
func corpusFields(t testing.TB) (keys []string, fields []card.Fields) {
	t.Helper()
	for _, e := range card.ReadCorpus(t) {
		keys = append(keys, e.Key)
		fields = append(fields, card.Fields{Name: e.Name, Title: e.Title, Org: e.Org})
	}
	return keys, fields
}

// TestCorpusGoldenCards renders every corpus invitee in every variant of
// the demo campaign and compares the personal area (PersonalBounds: the
// rest of the card is the base image, which the main goldens check) with
// testdata/golden/corpus. Regenerate with -update and look at each one:
// the expected result of every script was checked by eye against
// hb-view's rendering of the same text.
func TestCorpusGoldenCards(t *testing.T) {
	goldenBuild(t)
	c := demoCampaign(t)
	keys, fields := corpusFields(t)
	for _, v := range campaign.VariantNames {
		tpl, _ := c.Variant(v)
		area := tpl.PersonalBounds()
		for i, key := range keys {
			t.Run(v+"/"+key, func(t *testing.T) {
				img, err := card.Render(tpl, fields[i])
				if err != nil {
					t.Fatal(err)
				}
				crop := image.NewRGBA(image.Rect(0, 0, area.Dx(), area.Dy()))
				draw.Draw(crop, crop.Rect, img, area.Min, draw.Src)
				if missing := tpl.Missing(fields[i].Name + fields[i].Title + fields[i].Org); len(missing) > 0 {
					t.Errorf("no font draws %q", string(missing))
				}
				path := filepath.Join("testdata", "golden", "corpus", v+"-"+key+".png")
				checkGolden(t, crop, path)
			})
		}
	}
}
