package card

import (
	"bytes"
	"image/color"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestScriptsRenderConcurrently renders names in every script from many
// goroutines at once on a template whose fallback fonts are not loaded
// yet, so the first renders race to load them: every render must equal
// the same render done alone. Run it with -race.
func TestScriptsRenderConcurrently(t *testing.T) {
	chain, err := NotoFallback(os.DirFS(filepath.Join("..", "..")))
	if err != nil {
		t.Fatal(err)
	}
	tpl, err := Compile(Spec{Variant: "test", Width: 800, Height: 300, Fallback: chain,
		Layers: []Layer{Fill{Color: color.NRGBA{10, 20, 40, 255}}, nameBox(t)}})
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"王小明", "محمد علي", "अनुष्का शर्मा", "สมชาย ใจดี", "Lars 👩‍💼🇩🇰", "김민준", "שרה כהן", "ნინო ბერიძე"}
	results := make([][]byte, len(names)*4)
	var wg sync.WaitGroup
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			img, err := Render(tpl, Fields{Name: names[i%len(names)]})
			if err != nil {
				t.Error(err)
				return
			}
			results[i] = img.Pix
		}()
	}
	wg.Wait()
	for i, got := range results {
		img, err := Render(tpl, Fields{Name: names[i%len(names)]})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, img.Pix) {
			t.Errorf("%q rendered concurrently differs from the same render alone", names[i%len(names)])
		}
	}
}
