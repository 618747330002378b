package dashboard

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/report"
)

// Revoker takes an invitation out of service on every replica
// (*share.Service).
type Revoker interface {
	Revoke(ctx context.Context, token string) (invite.Invitation, error)
}

// reportRow is one take-down report as the dashboard lists it.
type reportRow struct {
	ID, At, ISO, Reason, Detail, Contact string
	PageURL, Status, Handled             string
	Open                                 bool
}

// reasonLabels and statusLabels are the dashboard's Danish words for a
// report's reason and status.
var (
	reasonLabels = map[report.Reason]string{
		report.Offensive: "Krænkende eller stødende",
		report.AboutMe:   "Handler om mig – fjern det",
		report.Misuse:    "Udgiver sig for en anden / misbrug",
		report.Other:     "Andet",
	}
	statusLabels = map[report.Status]string{
		report.Open:      "Åben",
		report.Revoked:   "Linket er trukket tilbage",
		report.Dismissed: "Afvist – intet at gøre",
	}
)

// reportMessages are the outcomes of the report buttons, keyed by a code in
// the redirect.
var reportMessages = map[string]string{
	"revoked":   "Linket er trukket tilbage. Det viser nu siden om, at invitationen er trukket tilbage.",
	"dismissed": "Rapporten er afvist.",
	"handled":   "Rapporten var allerede behandlet.",
	"unknown":   "Rapporten findes ikke (længere).",
	"failed":    "Linket kunne ikke trækkes tilbage på alle servere. Prøv igen.",
}

// reportRows lists a campaign's reports for the page; a store that does
// not answer is said on the page, not an error for the whole dashboard.
func (h *Handlers) reportRows(ctx context.Context, id string, loc *time.Location) ([]reportRow, int, bool) {
	if h.d.Reports == nil {
		return nil, 0, true
	}
	rs, err := h.d.Reports.List(ctx, id)
	if err != nil {
		h.d.Log.Error("dashboard: list reports", "campaign", id, "err", err)
		return nil, 0, false
	}
	var rows []reportRow
	open := 0
	for _, r := range rs {
		row := reportRow{
			ID: r.ID, At: danishDateTime(r.CreatedAt.In(loc)), ISO: r.CreatedAt.UTC().Format(time.RFC3339),
			Reason: reasonLabels[r.Reason], Detail: r.Detail, Contact: r.Contact,
			PageURL: "/i/" + r.Token, Status: statusLabels[r.Status], Open: r.Status == report.Open,
		}
		if r.HandledAt != nil {
			row.Handled = danishDateTime(r.HandledAt.In(loc))
		}
		if row.Open {
			open++
		}
		rows = append(rows, row)
	}
	return rows, open, true
}

// HandleReport serves POST /admin/campaigns/:id/reports/:report (session
// and CSRF token): action=revoke takes the reported link out of service
// through the revocation list, in one click, and marks every open report
// of that invitation revoked; action=dismiss marks the report as needing
// no action.
func (h *Handlers) HandleReport(c echo.Context) error {
	if err := parseForm(c); err != nil {
		return err
	}
	id := c.Param("id")
	if !h.known(id) || h.d.Reports == nil {
		return h.render(c, http.StatusNotFound, "notfound", id)
	}
	back := "/admin/campaigns/" + url.PathEscape(id) + "?reports="
	ctx := c.Request().Context()
	rs, err := h.d.Reports.List(ctx, id)
	if err != nil {
		h.d.Log.Error("dashboard: list reports", "campaign", id, "err", err)
		return h.render(c, http.StatusServiceUnavailable, "unavailable", id)
	}
	var target *report.Report
	for i := range rs {
		if rs[i].ID == c.Param("report") {
			target = &rs[i]
		}
	}
	switch {
	case target == nil:
		return c.Redirect(http.StatusSeeOther, back+"unknown#rapporter")
	case target.Status != report.Open:
		return c.Redirect(http.StatusSeeOther, back+"handled#rapporter")
	}
	now := h.d.Now()
	switch c.FormValue("action") {
	case "dismiss":
		if _, err := h.d.Reports.Handle(ctx, id, target.ID, report.Dismissed, now); err != nil {
			return h.handleFailed(c, back, id, err)
		}
		h.d.Log.Info("dashboard: report dismissed", "campaign", id, "report", target.ID)
		return c.Redirect(http.StatusSeeOther, back+"dismissed#rapporter")
	case "revoke":
		if h.d.Revoker == nil {
			return echo.NewHTTPError(http.StatusNotImplemented, "this dashboard cannot revoke links")
		}
		// Revoked first: a report is marked only once its link is out of
		// service everywhere.
		if _, err := h.d.Revoker.Revoke(ctx, target.Token); err != nil {
			h.d.Log.Warn("dashboard: revoke a reported link", "campaign", id, "report", target.ID, "err", err)
			return c.Redirect(http.StatusSeeOther, back+"failed#rapporter")
		}
		for _, r := range rs {
			if r.Status == report.Open && r.Fingerprint == target.Fingerprint {
				if _, err := h.d.Reports.Handle(ctx, id, r.ID, report.Revoked, now); err != nil && !errors.Is(err, report.ErrHandled) {
					return h.handleFailed(c, back, id, err)
				}
			}
		}
		h.d.Log.Info("dashboard: reported link revoked", "campaign", id, "report", target.ID, "invitation", target.Fingerprint)
		return c.Redirect(http.StatusSeeOther, back+"revoked#rapporter")
	}
	return echo.NewHTTPError(http.StatusBadRequest, "action must be revoke or dismiss")
}

func (h *Handlers) handleFailed(c echo.Context, back, id string, err error) error {
	switch {
	case errors.Is(err, report.ErrHandled):
		return c.Redirect(http.StatusSeeOther, back+"handled#rapporter")
	case errors.Is(err, report.ErrNotFound):
		return c.Redirect(http.StatusSeeOther, back+"unknown#rapporter")
	}
	h.d.Log.Error("dashboard: handle report", "campaign", id, "err", err)
	return h.render(c, http.StatusServiceUnavailable, "unavailable", id)
}
