package dashboard

import (
	"fmt"
	"image/color"
	"io/fs"
	"sync"

	cardpkg "github.com/sharecard/sharecard/internal/card"
)

// reportFonts are the campaign's typefaces for the PNG report, parsed once.
type reportFonts struct {
	once        sync.Once
	serif, sans *cardpkg.Font
	fallback    []*cardpkg.Font
	err         error
}

func (rf *reportFonts) load(files fs.FS) error {
	rf.once.Do(func() {
		parse := func(p string) *cardpkg.Font {
			b, err := fs.ReadFile(files, p)
			if err != nil {
				rf.err = err
				return nil
			}
			f, err := cardpkg.ParseFont(p, b)
			if err != nil {
				rf.err = err
			}
			return f
		}
		rf.serif = parse("fonts/EBGaramond12-Regular.otf")
		rf.sans = parse("fonts/Inter-Regular.otf")
		if rf.err == nil {
			rf.fallback, rf.err = cardpkg.NotoFallback(files)
		}
	})
	return rf.err
}

// The PNG report is A4 at 150 dpi.
const pngW, pngH = 1240, 1754

// pngBytes draws the one-page report with sharecard's own renderer: the
// same layers as a card (fills, shapes, text boxes that shrink to fit),
// in the campaign's colours and typefaces.
func (p onePager) pngBytes(files fs.FS, rf *reportFonts) ([]byte, error) {
	if err := rf.load(files); err != nil {
		return nil, fmt.Errorf("report fonts: %w", err)
	}
	grey := color.NRGBA{R: 75, G: 85, B: 99, A: 255}
	rule := color.NRGBA{R: 209, G: 213, B: 219, A: 255}
	white := color.NRGBA{R: 255, G: 255, B: 255, A: 255}
	const left, right = 94.0, 1146.0
	var layers []cardpkg.Layer
	txt := func(s string, f *cardpkg.Font, size float64, c color.NRGBA, box cardpkg.Rect, align cardpkg.Align, lines int) {
		layers = append(layers, cardpkg.TextBox{Text: s, Font: f, Size: size, MinSize: size * 0.6, Color: c, Align: align,
			VAlign: cardpkg.VAlignTop, MaxLines: lines, LineHeight: 1.25, Box: box})
	}
	rect := func(box cardpkg.Rect, c color.NRGBA) {
		if box.W > 0 && box.H > 0 {
			layers = append(layers, cardpkg.Shape{Kind: cardpkg.ShapeRect, Box: box, Fill: c})
		}
	}
	layers = append(layers, cardpkg.Fill{Color: white})
	rect(cardpkg.Rect{X: 0, Y: 0, W: pngW, H: 272}, p.Band)
	txt("KAMPAGNERAPPORT", rf.sans, 26, p.BandSoft, cardpkg.Rect{X: left, Y: 64, W: right - left, H: 34}, cardpkg.AlignLeft, 1)
	txt(p.Title, rf.serif, 62, p.BandText, cardpkg.Rect{X: left, Y: 100, W: right - left, H: 120}, cardpkg.AlignLeft, 2)
	txt(p.Period, rf.sans, 30, p.BandSoft, cardpkg.Rect{X: left, Y: 218, W: right - left, H: 40}, cardpkg.AlignLeft, 1)

	cellW := (right - left) / 4
	for i, h := range p.Headlines {
		x := left + float64(i%4)*cellW
		y := 330 + float64(i/4)*150
		rect(cardpkg.Rect{X: x, Y: y - 14, W: 70, H: 3}, p.Accent)
		txt(h.Value, rf.serif, 64, p.Ink, cardpkg.Rect{X: x, Y: y, W: cellW - 20, H: 76}, cardpkg.AlignLeft, 1)
		label := h.Label
		if h.Entered {
			label += " *"
		}
		txt(label, rf.sans, 24, grey, cardpkg.Rect{X: x, Y: y + 80, W: cellW - 20, H: 32}, cardpkg.AlignLeft, 1)
	}

	y := 650.0
	txt("Sidevisninger og afslag pr. "+p.BarUnit, rf.serif, 38, p.Ink, cardpkg.Rect{X: left, Y: y, W: right - left, H: 50}, cardpkg.AlignLeft, 1)
	top, h := y+90, 250.0
	var peak int64 = 1
	for _, b := range p.Bars {
		peak = max(peak, b.PageViews, b.Declines)
	}
	txt(num(peak), rf.sans, 20, grey, cardpkg.Rect{X: left, Y: top - 32, W: 300, H: 28}, cardpkg.AlignLeft, 1)
	rect(cardpkg.Rect{X: left, Y: top + h, W: right - left, H: 2}, rule)
	if n := len(p.Bars); n > 0 {
		slot := (right - left) / float64(n)
		bw := min(slot*0.36, 36)
		every := max(1, n/12)
		for i, b := range p.Bars {
			x := left + float64(i)*slot + slot/2
			hv := h * float64(b.PageViews) / float64(peak)
			hd := h * float64(b.Declines) / float64(peak)
			rect(cardpkg.Rect{X: x - bw, Y: top + h - hv, W: bw, H: hv}, p.Views)
			rect(cardpkg.Rect{X: x, Y: top + h - hd, W: bw, H: hd}, p.Goal)
			if i%every == 0 {
				txt(b.Label, rf.sans, 20, grey, cardpkg.Rect{X: x - 50, Y: top + h + 8, W: 100, H: 28}, cardpkg.AlignCenter, 1)
			}
		}
	}
	ly := top + h + 48
	rect(cardpkg.Rect{X: left, Y: ly + 6, W: 18, H: 18}, p.Views)
	txt("Sidevisninger", rf.sans, 22, grey, cardpkg.Rect{X: left + 28, Y: ly, W: 260, H: 30}, cardpkg.AlignLeft, 1)
	rect(cardpkg.Rect{X: left + 300, Y: ly + 6, W: 18, H: 18}, p.Goal)
	txt("Afslag", rf.sans, 22, grey, cardpkg.Rect{X: left + 328, Y: ly, W: 260, H: 30}, cardpkg.AlignLeft, 1)

	y = ly + 70
	txt("Platforme", rf.serif, 38, p.Ink, cardpkg.Rect{X: left, Y: y, W: right - left, H: 50}, cardpkg.AlignLeft, 1)
	y += 62
	txt("Platform", rf.sans, 20, grey, cardpkg.Rect{X: left, Y: y, W: 420, H: 28}, cardpkg.AlignLeft, 1)
	txt("Visninger (indtastet)", rf.sans, 20, grey, cardpkg.Rect{X: left + 420, Y: y, W: 300, H: 28}, cardpkg.AlignRight, 1)
	txt("Forhåndsvisninger (målt)", rf.sans, 20, grey, cardpkg.Rect{X: left + 720, Y: y, W: right - left - 720, H: 28}, cardpkg.AlignRight, 1)
	rect(cardpkg.Rect{X: left, Y: y + 32, W: right - left, H: 2}, rule)
	y += 42
	if len(p.Platforms) == 0 {
		txt("Ingen delinger endnu.", rf.sans, 24, p.Ink, cardpkg.Rect{X: left, Y: y, W: right - left, H: 32}, cardpkg.AlignLeft, 1)
	}
	for _, pl := range p.Platforms {
		if y+38 > 1420 { // the footnote starts at 1440
			break
		}
		txt(pl.Name, rf.sans, 24, p.Ink, cardpkg.Rect{X: left, Y: y, W: 420, H: 32}, cardpkg.AlignLeft, 1)
		txt(num(pl.Entered), rf.sans, 24, p.Ink, cardpkg.Rect{X: left + 420, Y: y, W: 300, H: 32}, cardpkg.AlignRight, 1)
		txt(num(pl.PreviewsFetched), rf.sans, 24, p.Ink, cardpkg.Rect{X: left + 720, Y: y, W: right - left - 720, H: 32}, cardpkg.AlignRight, 1)
		y += 38
	}

	y = 1440
	for _, d := range append([]string{"* Indtastet af kampagnen fra platformenes egne statistikker, ikke målt af sharecard."}, p.Definitions...) {
		txt(d, rf.sans, 17, grey, cardpkg.Rect{X: left, Y: y, W: right - left, H: 46}, cardpkg.AlignLeft, 2)
		y += 40
	}
	txt(p.Generated, rf.sans, 17, grey, cardpkg.Rect{X: left, Y: 1712, W: right - left, H: 26}, cardpkg.AlignLeft, 1)

	tpl, err := cardpkg.Compile(cardpkg.Spec{Variant: "report", Width: pngW, Height: pngH, Layers: layers, Fallback: rf.fallback})
	if err != nil {
		return nil, fmt.Errorf("report png: %w", err)
	}
	return cardpkg.RenderBytes(tpl, cardpkg.Fields{}, cardpkg.PNG, cardpkg.EncodeOptions{})
}
