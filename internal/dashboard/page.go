package dashboard

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/stats"
)

//go:embed templates/*.html templates/dashboard.css templates/dashboard.js
var files embed.FS

var (
	css = func() string {
		b, err := files.ReadFile("templates/dashboard.css")
		if err != nil {
			panic(err)
		}
		return string(b)
	}()
	script = func() []byte {
		b, err := files.ReadFile("templates/dashboard.js")
		if err != nil {
			panic(err)
		}
		return b
	}()
	// The pages' only style is the embedded sheet inlined in <style>; its
	// hash is the one style the policy allows. The one script is the
	// dashboard's own file, which asks this site alone for the numbers.
	pageCSP = cspWith("")
	pages   = template.Must(template.New("").Funcs(template.FuncMap{
		"num": num, "dec": dec, "duration": duration, "pct": pct,
		"platform": platformLabel,
		"count":    func(n int) string { return num(int64(n)) },
		"rowNum":   func(first, i int) string { return num(int64(first + i)) },
		"css":      func() template.CSS { return template.CSS(css) },
	}).ParseFS(files, "templates/*.html"))
)

// cspWith is the pages' policy, allowing the embedded sheet and, if not
// empty, the style block extra (a campaign's colours) by their hashes.
func cspWith(extra string) string {
	hash := func(s string) string {
		sum := sha256.Sum256([]byte(s))
		return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	}
	styles := hash(css)
	if extra != "" {
		styles += " " + hash(extra)
	}
	return "default-src 'none'; style-src " + styles + "; img-src data:; " +
		"script-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
}

type loginView struct {
	Next     string
	Error    string
	Disabled bool
}

func (h *Handlers) render(c echo.Context, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		h.d.Log.Error("dashboard: render page", "page", name, "err", err)
		return echo.NewHTTPError(http.StatusInternalServerError, "the page could not be drawn")
	}
	hd := c.Response().Header()
	policy := pageCSP
	if v, ok := data.(campaignView); ok && v.BrandCSS != "" {
		policy = cspWith(string(v.BrandCSS))
	}
	hd.Set("Content-Security-Policy", policy)
	hd.Set("Cache-Control", "no-store")
	// same-origin, not no-referrer: with no-referrer a browser sends "Origin: null"
	// on the forms' own posts, and sameOrigin would refuse them.
	hd.Set("Referrer-Policy", "same-origin")
	return c.HTMLBlob(status, buf.Bytes())
}

type card struct {
	Label, Value, Sub string
	Entered           bool
}

type rangeLink struct {
	Key, Label string
	Active     bool
}

type campaignView struct {
	ID, Title string
	Range     string
	// FromDay and ToDay are the period's first and last day (the custom
	// range's fields); Custom says they, not a preset, chose it.
	FromDay, ToDay string
	Custom         bool
	// History is the entered impressions' latest changes, for people.
	History  []historyRow
	Ranges   []rangeLink
	From, To string
	Report   *stats.Report
	Cards    []card
	Funnel   template.HTML
	Series   template.HTML
	// FunnelNarrow and SeriesNarrow are the same charts drawn for a
	// phone's width; the stylesheet shows one of each pair.
	FunnelNarrow, SeriesNarrow template.HTML
	PlatformSVG                template.HTML
	CSRF                       string
	Today                      string
	Platforms                  []string
	Message                    string
	Error                      string
	GeneratedAt                string
	GeneratedISO               string
	HasEntered                 bool
	AnyPlatforms               bool
	// Table is the page of the per-invitation table shown; Pager links
	// to the others.
	Table *stats.InvitationPage
	Pager pager
	// BrandCSS sets the campaign's colours (the stylesheet's custom
	// properties); the page's policy allows it by its hash.
	BrandCSS template.CSS
	// Period is the query string that keeps the period ("range=7d" or
	// "from=…&to=…"), for links that change something else.
	Period string
	// Reports are the campaign's take-down reports; ReportsOK is false
	// when the store did not answer.
	Reports       []reportRow
	OpenReports   int
	ReportsOK     bool
	ReportMessage string
	ReportFailed  bool
	CanRevoke     bool
}

// tablePage is how many invitations one page of the dashboard's table
// shows: a campaign of 100,000 is 2,000 pages, never one.
const tablePage = 50

// pager is the per-invitation table's position and its links (empty
// where there is no such page).
type pager struct {
	Page, Pages, First, Last, Total int
	Prev, Next, Start, End          string
}

func newPager(period string, page, total int) pager {
	p := pager{Page: page, Pages: max(1, (total+tablePage-1)/tablePage), Total: total}
	if total > 0 {
		p.First = (page-1)*tablePage + 1
		p.Last = min(total, page*tablePage)
	}
	link := func(n int) string { return "?" + period + "&page=" + strconv.Itoa(n) + "#invitationer" }
	if page > 1 {
		p.Prev, p.Start = link(page-1), link(1)
	}
	if page < p.Pages {
		p.Next, p.End = link(page+1), link(p.Pages)
	}
	return p
}

// Campaign serves GET /admin/campaigns/:id, the dashboard page.
func (h *Handlers) Campaign(c echo.Context) error {
	v, status, page := h.view(c)
	return h.render(c, status, page, v)
}

// Live serves GET /admin/campaigns/:id/live (session): the numbers' part
// of the dashboard alone, which the page's script puts in place of the
// old one every minute.
func (h *Handlers) Live(c echo.Context) error {
	v, status, page := h.view(c)
	if page == "campaign" {
		page = "live"
	}
	return h.render(c, status, page, v)
}

// Script serves the dashboard's script.
func (h *Handlers) Script(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=300")
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", script)
}

// view gathers what the dashboard shows; page is the template to render
// it with ("campaign", or an error page).
func (h *Handlers) view(c echo.Context) (v any, status int, page string) {
	id := c.Param("id")
	if !h.known(id) {
		return id, http.StatusNotFound, "notfound"
	}
	now := h.d.Now()
	q, key, custom := viewQuery(id, c.QueryParams(), now, h.timeZone(id))
	r, err := h.d.Stats.Report(c.Request().Context(), q)
	if err != nil {
		if errors.Is(err, stats.ErrBadInput) {
			return id, http.StatusNotFound, "notfound"
		}
		h.d.Log.Error("dashboard: stats report", "campaign", id, "err", err)
		return id, http.StatusServiceUnavailable, "unavailable"
	}
	pageNo, _ := strconv.Atoi(c.QueryParam("page"))
	pageNo = max(pageNo, 1)
	table, err := h.d.Stats.Invitations(c.Request().Context(), q, (pageNo-1)*tablePage, tablePage)
	if err == nil && len(table.Invitations) == 0 && table.Total > 0 {
		// Past the end (a bookmark from when there were more): the last pageNo.
		pageNo = (table.Total + tablePage - 1) / tablePage
		table, err = h.d.Stats.Invitations(c.Request().Context(), q, (pageNo-1)*tablePage, tablePage)
	}
	if err != nil {
		h.d.Log.Error("dashboard: invitations", "campaign", id, "err", err)
		return id, http.StatusServiceUnavailable, "unavailable"
	}
	period := "range=" + key
	if custom {
		period = "from=" + q.From.In(h.timeZone(id)).Format(time.DateOnly) + "&to=" + q.To.In(h.timeZone(id)).AddDate(0, 0, -1).Format(time.DateOnly)
	}
	pal := h.palette(id)
	s, _ := c.Get("session").(session)
	if s.nonce == nil {
		s, _ = h.session(c)
	}
	loc := h.timeZone(id)
	cv := campaignView{
		ID:           id,
		Title:        id,
		Range:        key,
		FromDay:      q.From.In(h.timeZone(id)).Format(time.DateOnly),
		ToDay:        q.To.In(h.timeZone(id)).AddDate(0, 0, -1).Format(time.DateOnly),
		Custom:       custom,
		Report:       r,
		Funnel:       funnelChart(r, pal, wideBars),
		FunnelNarrow: funnelChart(r, pal, narrowBars),
		Series:       seriesChart(r, pal, 900),
		SeriesNarrow: seriesChart(r, pal, 400),
		PlatformSVG:  platformChart(r, pal),
		BrandCSS:     template.CSS(pal.css()),
		CSRF:         h.csrf(s),
		Today:        now.In(loc).Format(time.DateOnly),
		Platforms:    stats.Platforms,
		From:         danishDateTime(r.From.In(loc)),
		To:           danishDateTime(r.To.In(loc)),
		GeneratedAt:  r.GeneratedAt.In(loc).Format("15:04:05"),
		GeneratedISO: r.GeneratedAt.UTC().Format(time.RFC3339),
		HasEntered:   len(r.ImpressionsEntered) > 0,
		Table:        table,
		Pager:        newPager(period, pageNo, table.Total),
		Period:       period,
	}
	if cmp, ok := h.campaign(id); ok && cmp != "" {
		cv.Title = cmp
	}
	for _, x := range ranges {
		cv.Ranges = append(cv.Ranges, rangeLink{Key: x.Key, Label: x.Label, Active: x.Key == key})
	}
	for _, p := range r.Platforms {
		if p.PreviewFetches > 0 || p.ImpressionsEntered > 0 {
			cv.AnyPlatforms = true
		}
	}
	switch c.QueryParam("saved") {
	case "1":
		cv.Message = "Visningerne er gemt."
	case "2":
		cv.Message = "Visningerne er slettet."
	}
	for i, ch := range r.ImpressionsHistory {
		if i == 20 {
			break
		}
		cv.History = append(cv.History, historyRow{At: danishDateTime(ch.At.In(loc)), Day: ch.Day, Platform: ch.Platform,
			From: orDash(ch.From), To: orDash(ch.To)})
	}
	if e := c.QueryParam("error"); e != "" {
		cv.Error = entryErrors[e]
	}
	cv.Reports, cv.OpenReports, cv.ReportsOK = h.reportRows(c.Request().Context(), id, loc)
	cv.ReportMessage = reportMessages[c.QueryParam("reports")]
	cv.ReportFailed = c.QueryParam("reports") == "failed"
	cv.CanRevoke = h.d.Revoker != nil
	t := r.Totals
	cv.Cards = []card{
		{Label: "Visninger på platformene", Value: num(t.ImpressionsEntered), Sub: "indtastet manuelt", Entered: true},
		{Label: "Forhåndsvisninger", Value: num(t.PreviewFetches), Sub: "hentet af platformenes crawlere"},
		{Label: "Sidevisninger", Value: num(t.PageViews), Sub: "personer, ikke crawlere"},
		{Label: "Unikke besøgende", Value: num(t.UniqueVisitors), Sub: "sum af daglige tal"},
		{Label: "Afslag", Value: num(t.Declines), Sub: pct(t.Declines, t.PageViews) + " af sidevisninger"},
		{Label: "Klik til læringssiden", Value: num(t.LearningClicks), Sub: pct(t.LearningClicks, t.Declines) + " af afslag"},
		{Label: "Minutter i alt", Value: dec(r.EngagedTime.TotalMinutes), Sub: "synlig tid på siden"},
		{Label: "Gennemsnitlig tid", Value: duration(r.EngagedTime.AverageSeconds), Sub: "pr. sidevisning"},
	}
	return cv, http.StatusOK, "campaign"
}

// palette is the campaign's colours made legible (see newPalette).
func (h *Handlers) palette(id string) palette {
	c := defaultColors
	if h.d.Campaigns != nil {
		if camp, ok := h.d.Campaigns.Lookup(id); ok {
			for i, s := range []string{camp.Colors.Background, camp.Colors.Foreground, camp.Colors.Accent} {
				if v, ok := parseHex(s); ok {
					c[i] = v
				}
			}
		}
	}
	return newPalette(c[0], c[1], c[2])
}

// timeZone is where the campaign's days are shown and counted (its
// timezone:).
func (h *Handlers) timeZone(id string) *time.Location { return Zones(h.d.Campaigns)(id) }

// Zones gives each campaign's time zone (its timezone:, default
// Europe/Copenhagen): the dashboard's days, and the recorder's
// (stats.Options.Zone) — they must be the same, or a day's visitors would
// be counted in one day and read in another.
func Zones(cs Campaigns) func(id string) *time.Location {
	def, err := time.LoadLocation(campaign.DefaultTimeZone)
	if err != nil {
		def = time.UTC
	}
	return func(id string) *time.Location {
		if cs != nil {
			if c, ok := cs.Lookup(id); ok && c.TimeZone != nil {
				return c.TimeZone
			}
		}
		return def
	}
}

// danishDateTime writes t as "2. dec. 2026 kl. 16:00".
func danishDateTime(t time.Time) string { return danishDate(t) + " kl. " + t.Format("15:04") }

// campaign returns a display title for id.
func (h *Handlers) campaign(id string) (string, bool) {
	if h.d.Campaigns == nil {
		return "", false
	}
	c, ok := h.d.Campaigns.Lookup(id)
	if !ok {
		return "", false
	}
	return c.Texts.Event, true
}

// entryErrors are the impression form's messages, keyed by a code in the
// redirect, so no typed text travels in a URL.
var entryErrors = map[string]string{
	"day":      "Datoen skal være en dag (ÅÅÅÅ-MM-DD), ikke i fremtiden.",
	"platform": "Vælg en platform fra listen.",
	"count":    "Antal visninger skal være et helt tal fra 0 og opefter.",
}

// Impressions serves POST /admin/campaigns/:id/impressions (manually
// entered platform reach).
func (h *Handlers) Impressions(c echo.Context) error {
	if err := parseForm(c); err != nil {
		return err
	}
	id := c.Param("id")
	if !h.known(id) {
		return h.render(c, http.StatusNotFound, "notfound", id)
	}
	back := "/admin/campaigns/" + url.PathEscape(id)
	back += "?"
	if _, key, custom := viewQuery(id, url.Values{"range": {c.FormValue("range")}, "from": {c.FormValue("from")}, "to": {c.FormValue("to")}}, h.d.Now(), h.timeZone(id)); custom {
		back += "from=" + url.QueryEscape(c.FormValue("from")) + "&to=" + url.QueryEscape(c.FormValue("to")) + "&"
	} else if c.FormValue("range") != "" {
		back += "range=" + key + "&"
	}
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("day")))
	if err != nil || day.After(h.d.Now()) {
		return c.Redirect(http.StatusSeeOther, back+"error=day#indtast")
	}
	platform := c.FormValue("platform")
	if c.FormValue("delete") == "1" {
		if err := h.d.Stats.DeleteImpressions(c.Request().Context(), id, day, platform); err != nil {
			if errors.Is(err, stats.ErrBadInput) {
				return c.Redirect(http.StatusSeeOther, back+"error=platform#indtast")
			}
			h.d.Log.Error("dashboard: delete impressions", "campaign", id, "err", err)
			return h.render(c, http.StatusServiceUnavailable, "unavailable", id)
		}
		h.d.Log.Info("dashboard: impressions deleted", "campaign", id, "day", day.Format(time.DateOnly), "platform", platform)
		return c.Redirect(http.StatusSeeOther, back+"saved=2#indtast")
	}
	countText := strings.NewReplacer(".", "", " ", "", "\u00a0", "").Replace(strings.TrimSpace(c.FormValue("count")))
	n, err := strconv.ParseInt(countText, 10, 64)
	if err != nil || n < 0 {
		return c.Redirect(http.StatusSeeOther, back+"error=count#indtast")
	}
	if err := h.d.Stats.SetImpressions(c.Request().Context(), id, day, platform, n); err != nil {
		if errors.Is(err, stats.ErrBadInput) {
			code := "count"
			if strings.Contains(err.Error(), "platform") {
				code = "platform"
			} else if strings.Contains(err.Error(), "day") {
				code = "day"
			}
			return c.Redirect(http.StatusSeeOther, back+"error="+code+"#indtast")
		}
		h.d.Log.Error("dashboard: store impressions", "campaign", id, "err", err)
		return h.render(c, http.StatusServiceUnavailable, "unavailable", id)
	}
	h.d.Log.Info("dashboard: impressions entered", "campaign", id, "day", day.Format(time.DateOnly), "platform", platform, "count", n)
	return c.Redirect(http.StatusSeeOther, back+"saved=1#indtast")
}

// historyRow is one change to the entered impressions, as the page shows
// it.
type historyRow struct {
	At, Day, Platform, From, To string
}

// orDash is n in Danish, or "–" for none (a new entry's from, a deleted
// one's to).
func orDash(n *int64) string {
	if n == nil {
		return "–"
	}
	return num(*n)
}
