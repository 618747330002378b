package studio

import (
	"net/http"
	"sync"
	"testing"

	"github.com/sharecard/sharecard/internal/variant"
)

// BenchmarkPreviewFourVariants is one stress name's previews as the
// studio asks for them: four posts of the draft (the demo file), one per
// variant, through the session check, the form parsing and the draft
// cache, rendered and encoded. The goal is under 50 ms for all four.
//
//	go test ./internal/studio -run '^$' -bench PreviewFourVariants -benchtime 50x
func BenchmarkPreviewFourVariants(b *testing.B) {
	f := newFixture(b)
	yaml := demoYAML(b)
	names := variant.Names()
	// The first preview compiles the draft; a designer waits for that
	// once per change, the benchmark measures the previews after it.
	for _, v := range names {
		f.preview(yaml, "Anne-Sofie Østergaard-Kjærsgaard", v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, v := range names {
			w := f.post(post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": yaml, "name": "Anne-Sofie Østergaard-Kjærsgaard", "variant": v}})
			if w.Code != http.StatusOK {
				b.Fatalf("%s: %d", v, w.Code)
			}
		}
	}
}

// BenchmarkPreviewFourVariantsAtOnce is the same four previews as the
// studio's script sends them: at once, answered when the last one is.
//
//	go test ./internal/studio -run '^$' -bench PreviewFourVariantsAtOnce -benchtime 50x
func BenchmarkPreviewFourVariantsAtOnce(b *testing.B) {
	f := newFixture(b)
	yaml := demoYAML(b)
	names := variant.Names()
	for _, v := range names {
		f.preview(yaml, "Anne-Sofie Østergaard-Kjærsgaard", v)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var wg sync.WaitGroup
		codes := make([]int, len(names))
		for i, v := range names {
			wg.Go(func() {
				codes[i] = f.post(post{path: "/admin/studio/ligestilling/preview", fields: map[string]string{"yaml": yaml, "name": "Anne-Sofie Østergaard-Kjærsgaard", "variant": v}}).Code
			})
		}
		wg.Wait()
		for i, c := range codes {
			if c != http.StatusOK {
				b.Fatalf("%s: %d", names[i], c)
			}
		}
	}
}

// BenchmarkDraftCompile is what a change costs before its first preview:
// the draft compiled with the campaign's assets.
//
//	go test ./internal/studio -run '^$' -bench DraftCompile -benchtime 10x
func BenchmarkDraftCompile(b *testing.B) {
	f := newFixture(b)
	yaml := []byte(demoYAML(b))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		y := append(append([]byte{}, yaml...), []byte("\n# "+string(rune('a'+i%26))+"\n")...)
		if _, _, err := f.lib.Draft(b.Context(), "ligestilling", y); err != nil {
			b.Fatal(err)
		}
	}
}
