// Package dashboard owns the campaign manager's pages: admin login with a
// session cookie, the stats API and the dashboard with server-side charts.
package dashboard

import (
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/stats"
)

// Deps are what the dashboard needs.
type Deps struct {
	Stats         *stats.Buffered
	Campaigns     *campaign.Set
	AdminToken    string
	SecureCookies bool // set the Secure flag (behind HTTPS)
	Log           *slog.Logger
}

// Handlers serve the admin pages and the stats API.
type Handlers struct{ d Deps }

// New builds the handlers.
func New(d Deps) *Handlers { return &Handlers{d: d} }

func notYet(c echo.Context) error {
	return echo.NewHTTPError(http.StatusNotImplemented, "dashboard not built yet")
}

// LoginForm serves GET /admin/login.
func (h *Handlers) LoginForm(c echo.Context) error { return notYet(c) }

// Login serves POST /admin/login (token form → session cookie).
func (h *Handlers) Login(c echo.Context) error { return notYet(c) }

// Logout serves POST /admin/logout.
func (h *Handlers) Logout(c echo.Context) error { return notYet(c) }

// RequireSession guards the /admin pages; without a session it redirects to
// the login form.
func (h *Handlers) RequireSession(next echo.HandlerFunc) echo.HandlerFunc { return next }

// Campaign serves GET /admin/campaigns/:id, the dashboard page.
func (h *Handlers) Campaign(c echo.Context) error { return notYet(c) }

// Impressions serves POST /admin/campaigns/:id/impressions (manually
// entered platform reach).
func (h *Handlers) Impressions(c echo.Context) error { return notYet(c) }

// StatsJSON serves GET /api/v1/campaigns/:id/stats (behind the admin bearer
// token middleware of the server).
func (h *Handlers) StatsJSON(c echo.Context) error { return notYet(c) }
