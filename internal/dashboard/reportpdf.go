package dashboard

import (
	"bytes"
	"fmt"
	"image/color"
	"io/fs"
	"time"

	"codeberg.org/go-pdf/fpdf"

	cardpkg "github.com/sharecard/sharecard/internal/card"
)

// reportFont is the PDF's typeface: a TrueType font (fpdf embeds
// TrueType, not the campaign's CFF-flavoured OpenType fonts), with every
// Latin, Greek and Cyrillic letter a campaign name may hold.
const reportFont = cardpkg.NotoDir + "/NotoSans-Regular.ttf"

// pdfBytes draws the one-page report as an A4 PDF with its font embedded.
func (p onePager) pdfBytes(files fs.FS, created time.Time) ([]byte, error) {
	font, err := fs.ReadFile(files, reportFont)
	if err != nil {
		return nil, fmt.Errorf("report font: %w", err)
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(created)
	pdf.SetModificationDate(created)
	pdf.SetCatalogSort(true)
	pdf.SetTitle(p.Title+" – "+p.Period, true)
	pdf.SetProducer("sharecard", true)
	pdf.AddUTF8FontFromBytes("noto", "", font)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetMargins(16, 16, 16)
	pdf.AddPage()
	const W, left, right = 210.0, 16.0, 194.0
	fill := func(c color.NRGBA) { pdf.SetFillColor(int(c.R), int(c.G), int(c.B)) }
	text := func(c color.NRGBA) { pdf.SetTextColor(int(c.R), int(c.G), int(c.B)) }
	draw := func(c color.NRGBA) { pdf.SetDrawColor(int(c.R), int(c.G), int(c.B)) }
	grey := color.NRGBA{R: 75, G: 85, B: 99, A: 255}

	// The band: the campaign's colours, its name and the period.
	fill(p.Band)
	pdf.Rect(0, 0, W, 46, "F")
	text(p.BandSoft)
	pdf.SetFont("noto", "", 9)
	pdf.SetXY(left, 12)
	pdf.CellFormat(right-left, 5, "KAMPAGNERAPPORT", "", 1, "L", false, 0, "")
	text(p.BandText)
	pdf.SetFont("noto", "", 20)
	pdf.SetX(left)
	pdf.MultiCell(right-left, 9, p.Title, "", "L", false)
	text(p.BandSoft)
	pdf.SetFont("noto", "", 11)
	pdf.SetX(left)
	pdf.CellFormat(right-left, 6, p.Period, "", 1, "L", false, 0, "")

	// The headline numbers, four then three.
	y := 56.0
	cellW := (right - left) / 4
	for i, h := range p.Headlines {
		col, row := i%4, i/4
		x := left + float64(col)*cellW
		yy := y + float64(row)*26
		text(p.Ink)
		pdf.SetFont("noto", "", 20)
		pdf.SetXY(x, yy)
		pdf.CellFormat(cellW-4, 10, h.Value, "", 0, "L", false, 0, "")
		text(grey)
		pdf.SetFont("noto", "", 9)
		label := h.Label
		if h.Entered {
			label += " *"
		}
		pdf.SetXY(x, yy+11)
		pdf.CellFormat(cellW-4, 5, label, "", 0, "L", false, 0, "")
		draw(p.Accent)
		pdf.SetLineWidth(0.4)
		pdf.Line(x, yy-2, x+12, yy-2)
	}

	// The chart: page views and declines per day.
	y = 118
	text(p.Ink)
	pdf.SetFont("noto", "", 12)
	pdf.SetXY(left, y)
	pdf.CellFormat(right-left, 6, "Sidevisninger og afslag pr. "+p.BarUnit, "", 1, "L", false, 0, "")
	chartTop, chartH := y+12, 52.0
	var peak int64 = 1
	for _, b := range p.Bars {
		peak = max(peak, b.PageViews, b.Declines)
	}
	draw(color.NRGBA{R: 209, G: 213, B: 219, A: 255})
	pdf.SetLineWidth(0.2)
	pdf.Line(left, chartTop+chartH, right, chartTop+chartH)
	text(grey)
	pdf.SetFont("noto", "", 7)
	pdf.SetXY(left, chartTop-5)
	pdf.CellFormat(40, 4, num(peak), "", 0, "L", false, 0, "")
	if n := len(p.Bars); n > 0 {
		slot := (right - left) / float64(n)
		bw := min(slot*0.36, 6)
		every := max(1, n/12)
		for i, b := range p.Bars {
			x := left + float64(i)*slot + slot/2
			hv := chartH * float64(b.PageViews) / float64(peak)
			hd := chartH * float64(b.Declines) / float64(peak)
			fill(p.Views)
			pdf.Rect(x-bw, chartTop+chartH-hv, bw, hv, "F")
			fill(p.Goal)
			pdf.Rect(x, chartTop+chartH-hd, bw, hd, "F")
			if i%every == 0 {
				text(grey)
				pdf.SetXY(x-8, chartTop+chartH+1)
				pdf.CellFormat(16, 4, b.Label, "", 0, "C", false, 0, "")
			}
		}
	}
	ly := chartTop + chartH + 7
	fill(p.Views)
	pdf.Rect(left, ly+1, 3, 3, "F")
	text(grey)
	pdf.SetFont("noto", "", 8)
	pdf.SetXY(left+4, ly)
	pdf.CellFormat(30, 5, "Sidevisninger", "", 0, "L", false, 0, "")
	fill(p.Goal)
	pdf.Rect(left+36, ly+1, 3, 3, "F")
	pdf.SetXY(left+40, ly)
	pdf.CellFormat(30, 5, "Afslag", "", 0, "L", false, 0, "")

	// The platforms.
	y = ly + 12
	text(p.Ink)
	pdf.SetFont("noto", "", 12)
	pdf.SetXY(left, y)
	pdf.CellFormat(right-left, 6, "Platforme", "", 1, "L", false, 0, "")
	pdf.SetFont("noto", "", 8)
	text(grey)
	pdf.SetX(left)
	pdf.CellFormat(70, 6, "Platform", "B", 0, "L", false, 0, "")
	pdf.CellFormat(50, 6, "Visninger (indtastet)", "B", 0, "R", false, 0, "")
	pdf.CellFormat(58, 6, "Forhåndsvisninger (målt)", "B", 1, "R", false, 0, "")
	text(p.Ink)
	pdf.SetFont("noto", "", 9)
	if len(p.Platforms) == 0 {
		pdf.SetX(left)
		pdf.CellFormat(178, 6, "Ingen delinger endnu.", "", 1, "L", false, 0, "")
	}
	for _, pl := range p.Platforms {
		if pdf.GetY()+6 > 246 { // the footnote starts at 250 mm
			break
		}
		pdf.SetX(left)
		pdf.CellFormat(70, 6, pl.Name, "", 0, "L", false, 0, "")
		pdf.CellFormat(50, 6, num(pl.Entered), "", 0, "R", false, 0, "")
		pdf.CellFormat(58, 6, num(pl.PreviewsFetched), "", 1, "R", false, 0, "")
	}

	// What the numbers mean, and where they come from.
	text(grey)
	pdf.SetFont("noto", "", 7)
	pdf.SetXY(left, 250)
	for _, d := range append([]string{"* Indtastet af kampagnen fra platformenes egne statistikker, ikke målt af sharecard."}, p.Definitions...) {
		pdf.SetX(left)
		pdf.MultiCell(right-left, 3.6, d, "", "L", false)
	}
	pdf.SetXY(left, 284)
	pdf.CellFormat(right-left, 4, p.Generated, "", 0, "L", false, 0, "")

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("report pdf: %w", err)
	}
	return buf.Bytes(), nil
}
