package dashboard

import (
	"errors"
	"fmt"
	"net/http"
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
	q, err := stats.ParseQuery(id, v.Get("from"), v.Get("to"), v.Get("granularity"), h.d.Now())
	if err != nil {
		return jsonError(c, http.StatusBadRequest, trimBad(err))
	}
	r, err := h.d.Stats.Report(c.Request().Context(), q)
	if err != nil {
		if errors.Is(err, stats.ErrBadInput) {
			return jsonError(c, http.StatusBadRequest, trimBad(err))
		}
		h.d.Log.Error("dashboard: stats report", "campaign", id, "err", err)
		return jsonError(c, http.StatusServiceUnavailable, "the stats store did not answer; try again shortly")
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, r)
}

// trimBad drops the "bad input: " marker from a message meant for people.
func trimBad(err error) string {
	return strings.ReplaceAll(err.Error(), stats.ErrBadInput.Error()+": ", "")
}
