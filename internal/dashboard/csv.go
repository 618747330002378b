package dashboard

import (
	"encoding/csv"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/stats"
)

// bom makes Excel read the file as UTF-8 (æ, ø and å, and any script in
// a campaign name), whatever the machine's settings.
const bom = "\ufeff"

// dailyHeader is the daily series' columns: one row a day, one column a
// number, named as in the stats JSON.
var dailyHeader = []string{"date", "impressions_entered", "unique_visitors", "page_views", "preview_fetches",
	"declines", "learning_clicks", "share_clicks", "downloads"}

// invitationHeader is the per-invitation table's columns.
var invitationHeader = []string{"invitation_id", "page_views", "preview_fetches", "declines", "learning_clicks",
	"share_clicks", "downloads", "engaged_minutes"}

// StatsCSV serves GET /api/v1/campaigns/:id/stats.csv (Bearer) and the
// dashboard's download of it (session): ?table=daily (default), the daily
// series over ?from=&to= (or the dashboard's ?range=), or
// ?table=invitations, every invitation's numbers, read a page at a time.
// Always UTF-8 with a byte-order mark; ?sep=semicolon writes ; between
// fields and decimal commas, as Excel with Danish settings expects.
func (h *Handlers) StatsCSV(c echo.Context) error {
	id := c.Param("id")
	if !h.known(id) {
		return jsonError(c, http.StatusNotFound, fmt.Sprintf("campaign %q not found", id))
	}
	v := c.QueryParams()
	semicolon := false
	switch v.Get("sep") {
	case "", "comma":
	case "semicolon":
		semicolon = true
	default:
		return jsonError(c, http.StatusBadRequest, `sep must be "comma" or "semicolon"`)
	}
	table := v.Get("table")
	if table != "" && table != "daily" && table != "invitations" {
		return jsonError(c, http.StatusBadRequest, `table must be "daily" or "invitations"`)
	}
	var q stats.Query
	if v.Get("from") != "" || v.Get("to") != "" || v.Get("range") == "" {
		var err error
		if q, err = stats.ParseQueryIn(id, v.Get("from"), v.Get("to"), "day", h.d.Now(), h.timeZone(id)); err != nil {
			return jsonError(c, http.StatusBadRequest, trimBad(err))
		}
	} else {
		q, _, _ = viewQuery(id, v, h.d.Now(), h.timeZone(id))
	}
	q.Granularity = stats.Day
	name := "sharecard-" + id + "-" + q.From.In(h.timeZone(id)).Format("2006-01-02") + "-" + q.To.Add(-1).In(h.timeZone(id)).Format("2006-01-02")
	if table == "invitations" {
		name += "-invitations"
	}

	res := c.Response()
	// Nothing is written before the first read has answered, so a store
	// that fails is still a clean 503.
	var rows [][]string
	if table == "invitations" {
		page, err := h.d.Stats.Invitations(c.Request().Context(), q, 0, stats.MaxInvitationPage)
		if err != nil {
			return h.statsError(c, id, err)
		}
		rows = append(rows, invitationHeader)
		for {
			for _, inv := range page.Invitations {
				rows = append(rows, []string{inv.ID, itoa(inv.PageViews), itoa(inv.PreviewFetches), itoa(inv.Declines),
					itoa(inv.LearningClicks), itoa(inv.ShareClicks), itoa(inv.Downloads), decimal(inv.EngagedSeconds/60, semicolon)})
			}
			next := page.Offset + len(page.Invitations)
			if next >= page.Total || len(page.Invitations) == 0 {
				break
			}
			var err error
			if page, err = h.d.Stats.Invitations(c.Request().Context(), q, next, stats.MaxInvitationPage); err != nil {
				return h.statsError(c, id, err)
			}
		}
	} else {
		r, err := h.d.Stats.Report(c.Request().Context(), q)
		if err != nil {
			return h.statsError(c, id, err)
		}
		entered := map[string]int64{}
		for _, im := range r.ImpressionsEntered {
			entered[im.Day] += im.Count
		}
		rows = append(rows, dailyHeader)
		for _, p := range r.Series {
			day := p.Start.Format("2006-01-02")
			var uniques int64
			if p.UniqueVisitors != nil {
				uniques = *p.UniqueVisitors
			}
			rows = append(rows, []string{day, itoa(entered[day]), itoa(uniques), itoa(p.PageViews), itoa(p.PreviewFetches),
				itoa(p.Declines), itoa(p.LearningClicks), itoa(p.ShareClicks), itoa(p.Downloads)})
		}
	}
	res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	res.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
	res.Header().Set("Cache-Control", "no-store")
	res.WriteHeader(http.StatusOK)
	if c.Request().Method == http.MethodHead {
		return nil
	}
	if _, err := res.Write([]byte(bom)); err != nil {
		return err
	}
	w := csv.NewWriter(res)
	if semicolon {
		w.Comma = ';'
	}
	w.UseCRLF = true // what Excel writes, and reads without a doubt
	if err := w.WriteAll(rows); err != nil {
		return err
	}
	return nil
}

func (h *Handlers) statsError(c echo.Context, id string, err error) error {
	if errors.Is(err, stats.ErrBadInput) {
		return jsonError(c, http.StatusBadRequest, trimBad(err))
	}
	h.d.Log.Error("dashboard: stats", "campaign", id, "err", err)
	return jsonError(c, http.StatusServiceUnavailable, "the stats store did not answer; try again shortly")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// decimal writes f with one decimal, with a comma where the fields are
// separated by semicolons (the Danish convention Excel then expects).
func decimal(f float64, comma bool) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	if comma {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}
