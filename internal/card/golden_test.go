package card_test

import (
	"bytes"
	"flag"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/testcampaign"
)

// update rewrites the golden images: go test ./internal/card -update. Look
// at every image it writes before committing it.
var update = flag.Bool("update", false, "rewrite the golden images in testdata/golden")

// demoCampaign is the shipped demo campaign, loaded once.
func demoCampaign(t testing.TB) *campaign.Campaign { return testcampaign.Demo(t) }

// goldenNames are the invitees every variant is checked with.
var goldenNames = []struct {
	key    string
	fields card.Fields
}{
	{"short", card.Fields{Name: "Lars", Title: "Adm. direktør"}},
	{"long", card.Fields{Name: "Anne-Marie Søndergaard-Østergaard Kristiansen", Title: "Bestyrelsesformand", Org: "Østjysk Energi A/S"}},
	{"danish", card.Fields{Name: "Åse Ærø-Øvlisen", Title: "Formand", Org: "Dansk Ølunion"}},
	{"verylong", card.Fields{Name: "Zoë Łucja O'Brien-Müller Straße Frederiksen Bjørnholt Løvenskiold", Title: "Directrice générale", Org: "Compagnie Générale des Entreprises Réunies"}},
}

// Rendering is deterministic, but glyph rasterization uses floating point
// that may round differently on another CPU, so goldens are compared with a
// tolerance: a pixel differs when a channel is off by more than
// channelTolerance, and at most maxDifferentFraction of pixels may differ.
const (
	channelTolerance     = 12
	maxDifferentFraction = 0.002
)

func TestGoldenCards(t *testing.T) {
	c := demoCampaign(t)
	for _, v := range campaign.VariantNames {
		for _, n := range goldenNames {
			t.Run(v+"/"+n.key, func(t *testing.T) {
				tpl, ok := c.Variant(v)
				if !ok {
					t.Fatalf("no variant %s", v)
				}
				img, err := card.Render(tpl, n.fields)
				if err != nil {
					t.Fatal(err)
				}
				path := filepath.Join("testdata", "golden", v+"-"+n.key+".png")
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
				diff := differentPixels(img, want)
				total := img.Bounds().Dx() * img.Bounds().Dy()
				if float64(diff) > maxDifferentFraction*float64(total) {
					// Kept after the test (unlike t.TempDir) so it can be looked at.
					got := filepath.Join(os.TempDir(), "sharecard-golden-"+filepath.Base(path))
					var buf bytes.Buffer
					_ = png.Encode(&buf, img)
					_ = os.WriteFile(got, buf.Bytes(), 0o644)
					t.Errorf("%d of %d pixels differ from %s (rendered: %s); if the change is intended, run go test ./internal/card -update and look at the images",
						diff, total, path, got)
				}
			})
		}
	}
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%v (create goldens with: go test ./internal/card -update)", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

func differentPixels(a, b image.Image) int {
	n := 0
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, aa := a.At(x, y).RGBA()
			br, bg, bb, ba := b.At(x, y).RGBA()
			if off(ar, br) || off(ag, bg) || off(ab, bb) || off(aa, ba) {
				n++
			}
		}
	}
	return n
}

func off(a, b uint32) bool {
	d := int(a>>8) - int(b>>8)
	return d > channelTolerance || d < -channelTolerance
}

func demoFS() fs.FS { return sharecard.Files() }

const demoDir = sharecard.CampaignDir

func TestOGJPEGStaysUnderTheWhatsAppLimit(t *testing.T) {
	c := demoCampaign(t)
	tpl, _ := c.Variant("og")
	for _, n := range goldenNames {
		b, err := card.RenderBytes(tpl, n.fields, card.JPEG, card.EncodeOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if len(b) >= 300*1024 {
			t.Errorf("%s: og JPEG is %d bytes at the default quality; WhatsApp drops previews over 300 KB", n.key, len(b))
		}
	}
}

// The PNG of a render is spliced from rows compressed once per template and
// rows compressed per render; it must decode to exactly the rendered pixels.
func TestRenderedPNGDecodesToTheRender(t *testing.T) {
	c := demoCampaign(t)
	for _, v := range campaign.VariantNames {
		tpl, _ := c.Variant(v)
		for _, n := range goldenNames {
			img, err := card.Render(tpl, n.fields)
			if err != nil {
				t.Fatal(err)
			}
			b, err := card.RenderBytes(tpl, n.fields, card.PNG, card.EncodeOptions{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := png.Decode(bytes.NewReader(b))
			if err != nil {
				t.Fatalf("%s/%s: %v", v, n.key, err)
			}
			if d := differentPixelsExact(img, got); d != 0 {
				t.Errorf("%s/%s: %d pixels differ from the render", v, n.key, d)
			}
		}
	}
}

func differentPixelsExact(a, b image.Image) int {
	n := 0
	r := a.Bounds()
	if r != b.Bounds() {
		return r.Dx() * r.Dy()
	}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			ar, ag, ab, aa := a.At(x, y).RGBA()
			br, bg, bb, ba := b.At(x, y).RGBA()
			if ar != br || ag != bg || ab != bb || aa != ba {
				n++
			}
		}
	}
	return n
}

// The JPEG of a render reuses pre-encoded rows; it must be byte for byte
// the JPEG of the whole image, whatever the quality.
func TestRenderedJPEGEqualsAFullEncode(t *testing.T) {
	c := demoCampaign(t)
	for _, v := range campaign.VariantNames {
		tpl, _ := c.Variant(v)
		for i, q := range []int{0, 75, 88, 95, 30, 60, 99} { // more qualities than the template plans for
			f := goldenNames[i%len(goldenNames)].fields
			img, err := card.Render(tpl, f)
			if err != nil {
				t.Fatal(err)
			}
			var full bytes.Buffer
			if err := card.Encode(&full, img, card.JPEG, card.EncodeOptions{JPEGQuality: q}); err != nil {
				t.Fatal(err)
			}
			got, err := card.RenderBytes(tpl, f, card.JPEG, card.EncodeOptions{JPEGQuality: q})
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, full.Bytes()) {
				t.Errorf("%s q%d: RenderBytes gives %d bytes that differ from encoding the render (%d bytes)", v, q, len(got), full.Len())
			}
		}
	}
}

func TestPrepareKeepsRendersIdentical(t *testing.T) {
	set, err := campaign.Load(demoFS(), demoDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	c, _ := set.Lookup("ligestilling")
	cold, _ := c.Variant("og")
	want, err := card.RenderBytes(cold, goldenNames[1].fields, card.PNG, card.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	warm, _ := demoCampaign(t).Variant("og")
	if err := warm.Prepare(card.EncodeOptions{}); err != nil {
		t.Fatal(err)
	}
	got, err := card.RenderBytes(warm, goldenNames[1].fields, card.PNG, card.EncodeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("a prepared template renders different bytes")
	}
}
