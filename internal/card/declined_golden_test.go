package card_test

import (
	"bytes"
	"image/png"
	"os"
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
					if *update {
						var buf bytes.Buffer
						if err := png.Encode(&buf, img); err != nil {
							t.Fatal(err)
						}
						if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
							t.Fatal(err)
						}
						if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
							t.Fatal(err)
						}
						t.Logf("wrote %s", path)
						return
					}
					want := readPNG(t, path)
					if want.Bounds() != img.Bounds() {
						t.Fatalf("size %v, golden %v", img.Bounds(), want.Bounds())
					}
					if d := diffImages(img, want); d.pixels > 0 {
						got := filepath.Join(os.TempDir(), "sharecard-golden-declined-"+filepath.Base(path))
						var buf bytes.Buffer
						_ = png.Encode(&buf, img)
						_ = os.WriteFile(got, buf.Bytes(), 0o644)
						t.Errorf("%v differ from %s (rendered: %s); if the change is intended, run go test ./internal/card -update and look at the images",
							d, path, got)
					}
				})
			}
		}
	}
}
