package dashboard

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/stats"
)

func jsonError(c echo.Context, status int, msg string) error {
	return c.JSON(status, map[string]string{"error": msg})
}

// known reports whether id is a campaign this service serves.
func (h *Handlers) known(id string) bool {
	if h.d.Campaigns == nil {
		return true
	}
	_, ok := h.d.Campaigns.Lookup(id)
	return ok
}

// StatsJSON serves GET /api/v1/campaigns/:id/stats (behind the admin bearer
// token middleware of the server).
func (h *Handlers) StatsJSON(c echo.Context) error {
	id := c.Param("id")
	if !h.known(id) {
		return jsonError(c, http.StatusNotFound, fmt.Sprintf("campaign %q not found", id))
	}
	v := c.QueryParams()
	q, err := stats.ParseQueryIn(id, v.Get("from"), v.Get("to"), v.Get("granularity"), h.d.Now(), h.timeZone(id))
	if err != nil {
		return jsonError(c, http.StatusBadRequest, trimBad(err))
	}
	offset, limit, msg := pageParams(v.Get("offset"), v.Get("limit"))
	if msg != "" {
		return jsonError(c, http.StatusBadRequest, msg)
	}
	r, err := h.d.Stats.Report(c.Request().Context(), q)
	var page *stats.InvitationPage
	if err == nil {
		page, err = h.d.Stats.Invitations(c.Request().Context(), q, offset, limit)
	}
	if err != nil {
		if errors.Is(err, stats.ErrBadInput) {
			return jsonError(c, http.StatusBadRequest, trimBad(err))
		}
		h.d.Log.Error("dashboard: stats report", "campaign", id, "err", err)
		return jsonError(c, http.StatusServiceUnavailable, "the stats store did not answer; try again shortly")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, statsAnswer{Report: r, Invitations: page})
}

// statsAnswer is the stats API's answer: the report and one page of the
// per-invitation table.
type statsAnswer struct {
	*stats.Report
	Invitations *stats.InvitationPage `json:"invitations"`
}

// DefaultAPIPage is how many invitations the stats API lists without
// ?limit=.
const DefaultAPIPage = 50

// pageParams reads ?offset= and ?limit= (a page of the per-invitation
// table); msg says what is wrong with them.
func pageParams(offset, limit string) (int, int, string) {
	o, l := 0, DefaultAPIPage
	var err error
	if offset != "" {
		if o, err = strconv.Atoi(offset); err != nil || o < 0 {
			return 0, 0, fmt.Sprintf("offset must be a whole number from 0, not %q", offset)
		}
	}
	if limit != "" {
		if l, err = strconv.Atoi(limit); err != nil || l < 1 || l > stats.MaxInvitationPage {
			return 0, 0, fmt.Sprintf("limit must be a whole number from 1 to %d, not %q", stats.MaxInvitationPage, limit)
		}
	}
	return o, l, ""
}

// trimBad drops the "bad input: " marker from a message meant for people.
func trimBad(err error) string {
	return strings.ReplaceAll(err.Error(), stats.ErrBadInput.Error()+": ", "")
}
