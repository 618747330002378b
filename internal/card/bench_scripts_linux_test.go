//go:build linux

package card_test

import (
	"runtime"
	"testing"

	"github.com/sharecard/sharecard/internal/card"
)

// scriptCards are the invitees of BenchmarkRenderBytesScriptsCPU: four
// names per script, rotated so every render lays out and shapes anew, as
// a cache miss in the server does (glyph masks stay cached, as there).
var scriptCards = []struct {
	name   string
	fields []card.Fields
}{
	{"latin", []card.Fields{
		{Name: "Lars Hansen", Title: "Adm. direktør"}, {Name: "Anne-Marie Søndergaard-Østergaard Kristiansen", Title: "Adm. direktør"},
		{Name: "Mette Frederiksen", Title: "Adm. direktør"}, {Name: "Zoë Łucja O'Brien-Müller", Title: "Adm. direktør"}}},
	{"arabic", []card.Fields{
		{Name: "محمد علي", Title: "المدير التنفيذي"}, {Name: "فاطمة الزهراء", Title: "المدير التنفيذي"},
		{Name: "عبد الرحمن الحسيني", Title: "المدير التنفيذي"}, {Name: "ليلى حداد", Title: "المدير التنفيذي"}}},
	{"chinese", []card.Fields{
		{Name: "王小明", Title: "首席执行官"}, {Name: "李小龙", Title: "首席执行官"},
		{Name: "欧阳娜娜", Title: "首席执行官"}, {Name: "陳美麗", Title: "首席执行官"}}},
	{"hindi", []card.Fields{
		{Name: "अनुष्का शर्मा", Title: "मुख्य कार्यकारी अधिकारी"}, {Name: "राहुल द्रविड़", Title: "मुख्य कार्यकारी अधिकारी"},
		{Name: "प्रियंका चोपड़ा", Title: "मुख्य कार्यकारी अधिकारी"}, {Name: "सचिन तेंदुलकर", Title: "मुख्य कार्यकारी अधिकारी"}}},
	{"emoji", []card.Fields{
		{Name: "Lars Hansen", Title: "Chief Happiness Officer 👩‍💼"}, {Name: "Mette Frederiksen", Title: "Rocket scientist 🚀👍🏽"},
		{Name: "Anne Holm", Title: "Team 👨‍👩‍👧 🇩🇰"}, {Name: "Bo Jensen", Title: "Number 1️⃣ ✨"}}},
}

// BenchmarkRenderBytesScriptsCPU is the og card on a cache miss (render
// plus encode, template prepared, masks cached) for names and titles in
// several scripts, with the CPU time per card beside the wall time.
func BenchmarkRenderBytesScriptsCPU(b *testing.B) {
	c := demoCampaign(b)
	tpl, _ := c.Variant("og")
	if err := tpl.Prepare(card.EncodeOptions{}); err != nil {
		b.Fatal(err)
	}
	for _, sc := range scriptCards {
		for _, f := range []card.Format{card.JPEG, card.PNG} {
			b.Run(sc.name+"/"+string(f), func(b *testing.B) {
				// Load the fallback fonts this script needs before timing.
				for _, fields := range sc.fields {
					if _, err := card.RenderBytes(tpl, fields, f, card.EncodeOptions{}); err != nil {
						b.Fatal(err)
					}
				}
				runtime.LockOSThread()
				defer runtime.UnlockOSThread()
				b.ReportAllocs()
				start := threadCPU()
				n := 0
				for i := 0; b.Loop(); i++ {
					if _, err := card.RenderBytes(tpl, sc.fields[i%len(sc.fields)], f, card.EncodeOptions{}); err != nil {
						b.Fatal(err)
					}
					n++
				}
				b.ReportMetric(float64(threadCPU()-start)/1e6/float64(n), "cpu-ms/op")
			})
		}
	}
}
