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

	"github.com/sharecard/sharecard/internal/stats"
)

//go:embed templates/*.html templates/dashboard.css
var files embed.FS

var (
	css = func() string {
		b, err := files.ReadFile("templates/dashboard.css")
		if err != nil {
			panic(err)
		}
		return string(b)
	}()
	// The pages' only style is the embedded sheet inlined in <style>; its
	// hash is the one style the policy allows, and no script runs at all.
	pageCSP = func() string {
		sum := sha256.Sum256([]byte(css))
		return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src data:; " +
			"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	}()
	pages = template.Must(template.New("").Funcs(template.FuncMap{
		"num": num, "dec": dec, "duration": duration, "pct": pct,
		"platform": platformLabel,
		"css":      func() template.CSS { return template.CSS(css) },
	}).ParseFS(files, "templates/*.html"))
)

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
	hd.Set("Content-Security-Policy", pageCSP)
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
	ID, Title    string
	Range        string
	Ranges       []rangeLink
	From, To     string
	Report       *stats.Report
	Cards        []card
	Funnel       template.HTML
	Series       template.HTML
	PlatformSVG  template.HTML
	CSRF         string
	Today        string
	Platforms    []string
	Message      string
	Error        string
	GeneratedAt  string
	HasEntered   bool
	AnyPlatforms bool
}

// Campaign serves GET /admin/campaigns/:id, the dashboard page.
func (h *Handlers) Campaign(c echo.Context) error {
	id := c.Param("id")
	if !h.known(id) {
		return h.render(c, http.StatusNotFound, "notfound", id)
	}
	now := h.d.Now()
	q, key := pageQuery(id, c.QueryParam("range"), now)
	r, err := h.d.Stats.Report(c.Request().Context(), q)
	if err != nil {
		if errors.Is(err, stats.ErrBadInput) {
			return h.render(c, http.StatusNotFound, "notfound", id)
		}
		h.d.Log.Error("dashboard: stats report", "campaign", id, "err", err)
		return h.render(c, http.StatusServiceUnavailable, "unavailable", id)
	}
	s, _ := c.Get("session").(session)
	if s.nonce == nil {
		s, _ = h.session(c)
	}
	v := campaignView{
		ID:          id,
		Title:       id,
		Range:       key,
		Report:      r,
		Funnel:      funnelChart(r),
		Series:      seriesChart(r),
		PlatformSVG: platformChart(r),
		CSRF:        h.csrf(s),
		Today:       now.UTC().Format(time.DateOnly),
		Platforms:   stats.Platforms,
		From:        r.From.Format("2/1 2006 15:04"),
		To:          r.To.Format("2/1 2006 15:04"),
		GeneratedAt: r.GeneratedAt.Format("15:04:05"),
		HasEntered:  len(r.ImpressionsEntered) > 0,
	}
	if cmp, ok := h.campaign(id); ok && cmp != "" {
		v.Title = cmp
	}
	for _, x := range ranges {
		v.Ranges = append(v.Ranges, rangeLink{Key: x.Key, Label: x.Label, Active: x.Key == key})
	}
	for _, p := range r.Platforms {
		if p.PreviewFetches > 0 || p.ImpressionsEntered > 0 {
			v.AnyPlatforms = true
		}
	}
	switch c.QueryParam("saved") {
	case "1":
		v.Message = "Visningerne er gemt."
	}
	if e := c.QueryParam("error"); e != "" {
		v.Error = entryErrors[e]
	}
	t := r.Totals
	v.Cards = []card{
		{Label: "Visninger på platformene", Value: num(t.ImpressionsEntered), Sub: "indtastet manuelt", Entered: true},
		{Label: "Forhåndsvisninger", Value: num(t.PreviewFetches), Sub: "hentet af platformenes crawlere"},
		{Label: "Sidevisninger", Value: num(t.PageViews), Sub: "personer, ikke crawlere"},
		{Label: "Unikke besøgende", Value: num(t.UniqueVisitors), Sub: "sum af daglige tal"},
		{Label: "Afslag", Value: num(t.Declines), Sub: pct(t.Declines, t.PageViews) + " af sidevisninger"},
		{Label: "Klik til læringssiden", Value: num(t.LearningClicks), Sub: pct(t.LearningClicks, t.Declines) + " af afslag"},
		{Label: "Minutter i alt", Value: dec(r.EngagedTime.TotalMinutes), Sub: "synlig tid på siden"},
		{Label: "Gennemsnitlig tid", Value: duration(r.EngagedTime.AverageSeconds), Sub: "pr. sidevisning"},
	}
	return h.render(c, http.StatusOK, "campaign", v)
}

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
	if r := c.FormValue("range"); r != "" {
		_, key := pageQuery(id, r, h.d.Now())
		back += "?range=" + key + "&"
	} else {
		back += "?"
	}
	day, err := time.Parse(time.DateOnly, strings.TrimSpace(c.FormValue("day")))
	if err != nil || day.After(h.d.Now()) {
		return c.Redirect(http.StatusSeeOther, back+"error=day#indtast")
	}
	platform := c.FormValue("platform")
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
