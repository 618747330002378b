package dashboard

import (
	"errors"
	"fmt"
	"image/color"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/stats"
)

// onePager is the campaign report a manager sends upward: the numbers in
// the order the campaign this service was built for was judged by
// (impressions, visitors, page views, average time, total minutes, then
// the goal: declines and learning-site clicks), a chart of page views and
// declines per day, the platforms, and what each number means. The PDF
// and the PNG draw the same one.
type onePager struct {
	Title       string
	Period      string
	Headlines   []headline
	Bars        []dayBar
	BarUnit     string // "dag" or "time"
	Platforms   []platformLine
	Definitions []string
	Generated   string
	// Paper is the page, Ink its text and Accent its rules; Band is the
	// header band with BandText and BandSoft on it; Views and Goal are the
	// chart's two series: the campaign's colours made legible on what
	// they sit on (see newPalette).
	Ink, Paper               color.NRGBA
	Accent                   color.NRGBA
	Band, BandText, BandSoft color.NRGBA
	Views, Goal              color.NRGBA
}

type headline struct {
	Label, Value string
	Entered      bool // typed in from the platforms, not measured
}

type dayBar struct {
	Label               string
	PageViews, Declines int64
}

type platformLine struct {
	Name                     string
	Entered, PreviewsFetched int64
}

// platformNames are the platforms as a report names them.
var platformNames = map[string]string{
	"linkedin": "LinkedIn", "facebook": "Facebook", "instagram": "Instagram", "twitter": "X (Twitter)",
	"tiktok": "TikTok", "slack": "Slack", "whatsapp": "WhatsApp", "other": "Andre",
}

// reportDefinitions say what each headline counts, in the report's
// footnote.
var reportDefinitions = []string{
	"Visninger: indtastet fra platformenes egne tal (LinkedIn, Facebook, …); sharecard kan ikke se dem.",
	"Besøgende: forskellige besøgende pr. dag (dagligt saltet hash, ingen persondata), lagt sammen over perioden.",
	"Sidevisninger: en person, der åbner en invitation; platformenes forhåndsvisninger tæller ikke med.",
	"Gns. tid: synlig tid på invitationssiden pr. sidevisning; Minutter i alt: al synlig tid.",
	"Afslag og klik til læringssitet: handlinger på invitationssiden.",
}

// danishMonths are the months as Danish dates abbreviate them.
var danishMonths = [...]string{"jan.", "feb.", "mar.", "apr.", "maj", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."}

// danishDate writes t as "2. dec. 2026".
func danishDate(t time.Time) string {
	return strconv.Itoa(t.Day()) + ". " + danishMonths[t.Month()-1] + " " + strconv.Itoa(t.Year())
}

// minSec writes seconds as "3:32".
func minSec(sec float64) string {
	s := int64(sec + 0.5)
	return strconv.FormatInt(s/60, 10) + ":" + pad2(s%60)
}

// buildOnePager assembles the report from a stats report. now is in the
// campaign's time zone, like the period and the chart's days, so the
// footer's hour is the one the reader's clock showed.
func buildOnePager(title string, r *stats.Report, pal palette, now time.Time) onePager {
	last := r.To.Add(-time.Nanosecond)
	p := onePager{
		Title:       title,
		Period:      danishDate(r.From) + " – " + danishDate(last),
		Definitions: reportDefinitions,
		Generated:   "Udarbejdet " + danishDate(now) + " kl. " + now.Format("15:04 MST") + " af sharecard",
		Paper:       groundPanel, Ink: legible(pal.Band, []color.NRGBA{groundPanel}, 4.5), Accent: pal.Goal,
		Band: pal.Band, BandText: pal.BandText, BandSoft: pal.BandSoft, Views: pal.Views, Goal: pal.Goal,
	}
	if danishDate(r.From) == danishDate(last) {
		p.Period = danishDate(r.From)
	}
	t := r.Totals
	p.Headlines = []headline{
		{"Visninger", num(t.ImpressionsEntered), true},
		{"Besøgende", num(t.UniqueVisitors), false},
		{"Sidevisninger", num(t.PageViews), false},
		{"Gns. tid", minSec(r.EngagedTime.AverageSeconds), false},
		{"Minutter i alt", num(int64(r.EngagedTime.TotalMinutes + 0.5)), false},
		{"Afslag", num(t.Declines), false},
		{"Klik til læring", num(t.LearningClicks), false},
	}
	p.BarUnit = "dag"
	if r.Granularity == stats.Hour {
		p.BarUnit = "time"
	}
	for _, pt := range r.Series {
		label := strconv.Itoa(pt.Start.Day()) + "/" + strconv.Itoa(int(pt.Start.Month()))
		if r.Granularity == stats.Hour {
			label = pt.Start.Format("15")
		}
		p.Bars = append(p.Bars, dayBar{Label: label, PageViews: pt.PageViews, Declines: pt.Declines})
	}
	for _, pc := range r.Platforms {
		name := platformNames[pc.Platform]
		if name == "" {
			name = pc.Platform
		}
		p.Platforms = append(p.Platforms, platformLine{Name: name, Entered: pc.ImpressionsEntered, PreviewsFetched: pc.PreviewFetches})
	}
	return p
}

// onePagerFor fetches the numbers for ?range= (as the dashboard) and
// builds the report in the campaign's colours.
func (h *Handlers) onePagerFor(c echo.Context) (onePager, error) {
	id := c.Param("id")
	if !h.known(id) {
		return onePager{}, echo.NewHTTPError(http.StatusNotFound, fmt.Sprintf("campaign %q not found", id))
	}
	now := h.d.Now()
	q, _, _ := viewQuery(id, c.QueryParams(), now, h.timeZone(id))
	if q.Granularity == stats.Hour && q.To.Sub(q.From) > 48*time.Hour {
		q.Granularity = stats.Day
	}
	r, err := h.d.Stats.Report(c.Request().Context(), q)
	if err != nil {
		if errors.Is(err, stats.ErrBadInput) {
			return onePager{}, echo.NewHTTPError(http.StatusBadRequest, trimBad(err))
		}
		h.d.Log.Error("dashboard: stats report", "campaign", id, "err", err)
		return onePager{}, echo.NewHTTPError(http.StatusServiceUnavailable, "the stats store did not answer; try again shortly")
	}
	title := id
	if h.d.Campaigns != nil {
		if camp, ok := h.d.Campaigns.Lookup(id); ok {
			title = camp.Texts.Event
		}
	}
	return buildOnePager(title, r, h.palette(id), now.In(h.timeZone(id))), nil
}

// reportName is the file a report is saved under (campaign ids are
// [a-z0-9-], safe in a header).
func reportName(id, ext string) string {
	return "rapport-" + id + "." + ext
}

// ReportPDF serves GET /admin/campaigns/:id/report.pdf (session): the
// one-page report as an A4 PDF with its font embedded.
func (h *Handlers) ReportPDF(c echo.Context) error {
	p, err := h.onePagerFor(c)
	if err != nil {
		return err
	}
	b, err := p.pdfBytes(h.d.Files, h.d.Now().UTC())
	if err != nil {
		return err
	}
	return h.sendReport(c, "application/pdf", reportName(c.Param("id"), "pdf"), b)
}

// ReportPNG serves GET /admin/campaigns/:id/report.png (session): the same
// page drawn by sharecard's own renderer, for a chat or a slide.
func (h *Handlers) ReportPNG(c echo.Context) error {
	p, err := h.onePagerFor(c)
	if err != nil {
		return err
	}
	b, err := p.pngBytes(h.d.Files, &h.reportFonts)
	if err != nil {
		return err
	}
	return h.sendReport(c, "image/png", reportName(c.Param("id"), "png"), b)
}

func (h *Handlers) sendReport(c echo.Context, contentType, name string, b []byte) error {
	hd := c.Response().Header()
	hd.Set("Cache-Control", "no-store")
	hd.Set("Content-Disposition", `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, contentType, b)
}
