package card_test

import (
	"bytes"
	"strconv"
	"testing"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
)

// benchNames rotate so every render lays out and draws text anew, as a
// cache miss in the server does; glyph masks stay cached, as they do there.
var benchNames = []string{"Lars Hansen", "Anne-Marie Søndergaard-Østergaard Kristiansen", "Mette Frederiksen", "Zoë Łucja O'Brien-Müller"}

// BenchmarkRenderBytes is the cost of one card as the server pays it on a
// cache miss: render plus encode. bytes/op is the size of the file.
func BenchmarkRenderBytes(b *testing.B) {
	c := demoCampaign(b)
	for _, v := range campaign.VariantNames {
		tpl, _ := c.Variant(v)
		for _, f := range []card.Format{card.JPEG, card.PNG} {
			b.Run(v+"/"+string(f), func(b *testing.B) {
				b.ReportAllocs()
				size := 0
				for i := 0; b.Loop(); i++ {
					out, err := card.RenderBytes(tpl, card.Fields{Name: benchNames[i%len(benchNames)] + " " + strconv.Itoa(i%7), Title: "Adm. direktør"}, f, card.EncodeOptions{})
					if err != nil {
						b.Fatal(err)
					}
					size = len(out)
				}
				b.ReportMetric(float64(size), "bytes/op")
			})
		}
	}
}

// BenchmarkRender is the drawing alone: copy the base, draw the personal text.
func BenchmarkRender(b *testing.B) {
	c := demoCampaign(b)
	for _, v := range campaign.VariantNames {
		tpl, _ := c.Variant(v)
		b.Run(v, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if _, err := card.Render(tpl, card.Fields{Name: benchNames[i%len(benchNames)], Title: "Adm. direktør"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkEncode is the encoders alone on the og card, per JPEG quality.
func BenchmarkEncode(b *testing.B) {
	c := demoCampaign(b)
	tpl, _ := c.Variant("og")
	img, err := card.Render(tpl, card.Fields{Name: "Lars Hansen", Title: "Adm. direktør"})
	if err != nil {
		b.Fatal(err)
	}
	cases := []struct {
		name string
		f    card.Format
		q    int
	}{{"png", card.PNG, 0}, {"jpg-q80", card.JPEG, 80}, {"jpg-q85", card.JPEG, 85}, {"jpg-q88", card.JPEG, 88}, {"jpg-q90", card.JPEG, 90}, {"jpg-q95", card.JPEG, 95}}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var buf bytes.Buffer
			for b.Loop() {
				buf.Reset()
				if err := card.Encode(&buf, img, tc.f, card.EncodeOptions{JPEGQuality: tc.q}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(buf.Len()), "bytes/op")
		})
	}
}

// BenchmarkCompile is the one-off cost per template at start-up: the static
// layers drawn into the base image.
func BenchmarkCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := campaign.Load(demoFS(), demoDir, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstRender is the first render of a freshly loaded template,
// before Prepare: it includes compressing the static rows once.
func BenchmarkFirstRender(b *testing.B) {
	for _, f := range []card.Format{card.JPEG, card.PNG} {
		b.Run("og/"+string(f), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				b.StopTimer()
				set, err := campaign.Load(demoFS(), demoDir, nil)
				if err != nil {
					b.Fatal(err)
				}
				c, _ := set.Lookup("ligestilling")
				tpl, _ := c.Variant("og")
				b.StartTimer()
				if _, err := card.RenderBytes(tpl, card.Fields{Name: "Lars Hansen"}, f, card.EncodeOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
