package dashboard

import (
	"fmt"
	"html/template"
	"math"
	"strings"
	"time"

	"github.com/sharecard/sharecard/internal/stats"
)

// The charts are inline SVG written here: no script, no external file,
// nothing for a Content-Security-Policy to allow. Every label goes through
// template.HTMLEscapeString.

const (
	colorInk   = "#1f2937"
	colorMuted = "#6b7280"
	colorGrid  = "#e5e7eb"
)

type bar struct {
	Label string
	Value int64
	Note  string // small text after the value
	Color string
}

func esc(s string) string { return template.HTMLEscapeString(s) }

// barLayout sizes a bar chart for the panel it sits in, so its text
// renders at the page's size.
type barLayout struct {
	width, labelW, barMax, valueW int
	// noteBelow puts a bar's note on a line of its own under the bar, so
	// a phone's narrow chart keeps its text at the page's size.
	noteBelow bool
}

var (
	// The wide bars leave 180 units for a note such as "100,0 % af
	// sidevisninger", which at 310 ran past the chart's edge.
	wideBars    = barLayout{width: 700, labelW: 180, barMax: 260, valueW: 80}
	compactBars = barLayout{width: 440, labelW: 130, barMax: 170, valueW: 70}
	// narrowBars is the funnel on a phone: its notes below the bars.
	narrowBars = barLayout{width: 400, labelW: 150, barMax: 170, valueW: 70, noteBelow: true}
)

// barChart draws labelled horizontal bars, scaled to the largest value.
func barChart(title string, l barLayout, bars []bar) template.HTML {
	rowH := 40
	if l.noteBelow {
		rowH = 58
	}
	width, labelW, barMax := l.width, l.labelW, l.barMax
	h := len(bars)*rowH + 8
	var max int64 = 1
	for _, b := range bars {
		if b.Value > max {
			max = b.Value
		}
	}
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s"><title>%s</title>`, width, h, esc(title), esc(title))
	for i, b := range bars {
		y := i*rowH + 4
		w := float64(b.Value) / float64(max) * float64(barMax)
		if b.Value > 0 && w < 2 {
			w = 2
		}
		fmt.Fprintf(&s, `<text x="0" y="%d" class="lbl">%s</text>`, y+22, esc(b.Label))
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%d" height="28" rx="3" fill="%s"/>`, labelW, y+4, barMax, "#f3f4f6")
		fmt.Fprintf(&s, `<rect x="%d" y="%d" width="%.1f" height="28" rx="3" fill="%s"/>`, labelW, y+4, w, b.Color)
		fmt.Fprintf(&s, `<text x="%d" y="%d" class="val">%s</text>`, labelW+barMax+10, y+23, esc(num(b.Value)))
		switch {
		case b.Note != "" && l.noteBelow:
			fmt.Fprintf(&s, `<text x="%d" y="%d" class="note">%s</text>`, labelW, y+48, esc(b.Note))
		case b.Note != "":
			fmt.Fprintf(&s, `<text x="%d" y="%d" class="note">%s</text>`, labelW+barMax+l.valueW, y+23, esc(b.Note))
		}
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

// funnelChart draws the campaign funnel. The first steps are not subsets
// of each other (a crawler fetch is not a visit, one visitor views many
// times), so only the goal steps carry a rate, each of a number that holds
// it: a decline counts once per invitation, visitor and day and follows a
// page view of that invitation, and its learning click counts as it does.
// Declines per unique visitor would be no share: one person may decline
// several invitations.
func funnelChart(r *stats.Report, pal palette, l barLayout) template.HTML {
	var bars []bar
	t := r.Totals
	for i, st := range r.Funnel {
		note := ""
		switch st.Step {
		case string(stats.Decline):
			note = pct(st.Count, t.PageViews) + " af sidevisninger"
		case string(stats.LearningClick):
			note = pct(st.Count, t.Declines) + " af afslag"
		}
		// The campaign's colours: what leads up to the goal in one, the
		// goal (declines, learning clicks) in the other.
		c := pal.Views
		if i >= 4 {
			c = pal.Goal
		}
		bars = append(bars, bar{Label: funnelLabel(st.Step), Value: st.Count, Note: note, Color: hexOf(c)})
	}
	return barChart("Tragt: fra invitation til læringssiden", l, bars)
}

// platformChart draws preview fetches by platform.
func platformChart(r *stats.Report, pal palette) template.HTML {
	var bars []bar
	for _, p := range r.Platforms {
		if p.PreviewFetches == 0 {
			continue
		}
		bars = append(bars, bar{Label: platformLabel(p.Platform), Value: p.PreviewFetches, Note: pct(p.PreviewFetches, r.Totals.PreviewFetches), Color: hexOf(pal.Views)})
	}
	if len(bars) == 0 {
		return ""
	}
	return barChart("Forhåndsvisninger pr. platform", compactBars, bars)
}

// seriesChart draws page views as bars and declines as a line over the
// report's buckets, on one honest scale.
//
// width is the drawing's width in the page's pixels: 900 for a wide
// panel, about 400 for a phone, so its text stays at the page's size.
func seriesChart(r *stats.Report, pal palette, width int) template.HTML {
	colorViews, colorDecline := hexOf(pal.Views), hexOf(pal.Goal)
	const (
		height      = 260
		left, right = 52, 16
		top, bottom = 28, 36
	)
	pts := r.Series
	n := len(pts)
	if n == 0 {
		return ""
	}
	var max int64 = 1
	for _, p := range pts {
		max = maxInt(max, maxInt(p.PageViews, p.Declines))
	}
	ymax, ystep := axis(max)
	plotW, plotH := float64(width-left-right), float64(height-top-bottom)
	slot := plotW / float64(n)
	y := func(v int64) float64 { return float64(top) + plotH - float64(v)/float64(ymax)*plotH }

	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="Sidevisninger og afslag over tid"><title>Sidevisninger og afslag over tid</title>`, width, height)
	for v := int64(0); v <= ymax; v += ystep {
		yy := y(v)
		fmt.Fprintf(&s, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, left, width-right, yy, yy, colorGrid)
		fmt.Fprintf(&s, `<text x="%d" y="%.1f" class="axis" text-anchor="end">%s</text>`, left-8, yy+4, esc(num(v)))
	}
	// Legend.
	fmt.Fprintf(&s, `<rect x="%d" y="6" width="12" height="12" rx="2" fill="%s"/><text x="%d" y="16" class="axis">Sidevisninger</text>`, width-right-230, colorViews, width-right-213)
	fmt.Fprintf(&s, `<line x1="%d" x2="%d" y1="12" y2="12" stroke="%s" stroke-width="2.5"/><circle cx="%d" cy="12" r="3" fill="%s"/><text x="%d" y="16" class="axis">Afslag</text>`,
		width-right-100, width-right-80, colorDecline, width-right-90, colorDecline, width-right-74)

	barW := math.Max(1, slot*0.68)
	step := labelStep(n)
	if width < 600 {
		step *= 2
	}
	var line []string
	for i, p := range pts {
		x := float64(left) + float64(i)*slot
		if p.PageViews > 0 {
			fmt.Fprintf(&s, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="1.5" fill="%s"><title>%s: %s sidevisninger</title></rect>`,
				x+(slot-barW)/2, y(p.PageViews), barW, float64(top)+plotH-y(p.PageViews), colorViews, esc(bucketTitle(p.Start, r.Granularity)), esc(num(p.PageViews)))
		}
		cx := x + slot/2
		line = append(line, fmt.Sprintf("%.1f,%.1f", cx, y(p.Declines)))
		if i%step == 0 {
			fmt.Fprintf(&s, `<text x="%.1f" y="%d" class="axis" text-anchor="middle">%s</text>`, cx, height-bottom+18, esc(bucketLabel(p.Start, r.Granularity)))
		}
	}
	fmt.Fprintf(&s, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-linejoin="round"/>`, strings.Join(line, " "), colorDecline)
	if n <= 60 {
		for i, p := range pts {
			cx := float64(left) + float64(i)*slot + slot/2
			fmt.Fprintf(&s, `<circle cx="%.1f" cy="%.1f" r="3" fill="%s"><title>%s: %s afslag</title></circle>`, cx, y(p.Declines), colorDecline, esc(bucketTitle(p.Start, r.Granularity)), esc(num(p.Declines)))
		}
	}
	fmt.Fprintf(&s, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, left, width-right, float64(top)+plotH, float64(top)+plotH, colorMuted)
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}

func maxInt(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}

// axis picks a round step (1, 2 or 5 times a power of ten) giving at
// most four intervals, and the axis top as a whole number of steps.
func axis(max int64) (top, step int64) {
	raw := math.Max(1, float64(max)/4)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw {
			step = int64(m * p)
			break
		}
	}
	top = step * ((max + step - 1) / step)
	if top == 0 {
		top = step
	}
	return top, step
}

// labelStep shows at most about 12 x-axis labels.
func labelStep(n int) int {
	if n <= 12 {
		return 1
	}
	return (n + 11) / 12
}

func bucketLabel(t time.Time, g stats.Granularity) string {
	if g == stats.Hour && (t.Hour() != 0) {
		return t.Format("15")
	}
	return fmt.Sprintf("%d/%d", t.Day(), int(t.Month()))
}

func bucketTitle(t time.Time, g stats.Granularity) string {
	if g == stats.Hour {
		return fmt.Sprintf("%d/%d kl. %s", t.Day(), int(t.Month()), t.Format("15"))
	}
	return fmt.Sprintf("%d/%d", t.Day(), int(t.Month()))
}

var funnelLabels = map[string]string{
	string(stats.Minted):        "Invitationer oprettet",
	string(stats.PreviewFetch):  "Forhåndsvisninger",
	string(stats.PageView):      "Sidevisninger",
	"unique_visitor":            "Unikke besøgende",
	string(stats.Decline):       "Afslag",
	string(stats.LearningClick): "Klik til læringssiden",
}

func funnelLabel(step string) string {
	if l, ok := funnelLabels[step]; ok {
		return l
	}
	return step
}

var platformLabels = map[string]string{
	"linkedin": "LinkedIn", "facebook": "Facebook / Meta", "twitter": "X (Twitter)", "slack": "Slack",
	"discord": "Discord", "whatsapp": "WhatsApp", "telegram": "Telegram", "skype": "Skype",
	"iframely": "Iframely", "embedly": "Embedly", "instagram": "Instagram", "tiktok": "TikTok", "other": "Andre",
}

func platformLabel(p string) string {
	if l, ok := platformLabels[p]; ok {
		return l
	}
	return p
}
