package card

import (
	"bytes"
	"image"
	"image/color"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var (
	fontOnce  sync.Once
	testFonts map[string]*Font
	fontErr   error

	notoOnce sync.Once
	noto     []*Font
	notoErr  error
)

// testFallback is the shipped fallback chain, read from the repository.
func testFallback(t testing.TB) []*Font {
	t.Helper()
	notoOnce.Do(func() { noto, notoErr = NotoFallback(os.DirFS(filepath.Join("..", ".."))) })
	if notoErr != nil {
		t.Fatal(notoErr)
	}
	return append([]*Font{testFont(t, "DejaVuSans.ttf")}, noto...)
}

// font returns one of the repository's fonts, parsed once per test binary.
func testFont(t testing.TB, file string) *Font {
	t.Helper()
	fontOnce.Do(func() {
		testFonts = map[string]*Font{}
		for _, f := range []string{"EBGaramond12-Regular.otf", "EBGaramond12-Italic.otf", "Inter-Regular.otf", "DejaVuSans.ttf"} {
			data, err := os.ReadFile(filepath.Join("..", "..", "fonts", f))
			if err != nil {
				fontErr = err
				return
			}
			if testFonts[f], err = ParseFont("fonts/"+f, data); err != nil {
				fontErr = err
				return
			}
		}
	})
	if fontErr != nil {
		t.Fatal(fontErr)
	}
	f, ok := testFonts[file]
	if !ok {
		t.Fatalf("no test font %s", file)
	}
	return f
}

// logBuffer collects what a template logs.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

func (l *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// nameBox is a text box shaped like the name line of a card.
func nameBox(t testing.TB) TextBox {
	return TextBox{
		Text:     "{{name}}",
		Font:     testFont(t, "EBGaramond12-Italic.otf"),
		Size:     80,
		MinSize:  40,
		MaxLines: 2,
		Color:    color.NRGBA{255, 255, 255, 255},
		Box:      Rect{X: 100, Y: 50, W: 600, H: 180},
	}
}

// testTemplate compiles a small card: a dark fill and the given text boxes.
func testTemplate(t testing.TB, log *slog.Logger, boxes ...TextBox) *Template {
	t.Helper()
	layers := []Layer{Fill{Color: color.NRGBA{10, 20, 40, 255}}}
	for _, b := range boxes {
		layers = append(layers, b)
	}
	tpl, err := Compile(Spec{Variant: "test", Width: 800, Height: 300, Layers: layers,
		Fallback: testFallback(t), Log: log})
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// inkOutside counts changed pixels of img outside r compared with base.
func inkOutside(img, base *image.RGBA, r image.Rectangle) int {
	n := 0
	for y := img.Rect.Min.Y; y < img.Rect.Max.Y; y++ {
		for x := img.Rect.Min.X; x < img.Rect.Max.X; x++ {
			if (image.Point{x, y}).In(r) {
				continue
			}
			i := img.PixOffset(x, y)
			if !bytes.Equal(img.Pix[i:i+4], base.Pix[i:i+4]) {
				n++
			}
		}
	}
	return n
}
