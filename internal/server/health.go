package server

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/cache"
)

// healthz serves GET /healthz: the process is up.
func (a *app) healthz() echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
	}
}

type readiness struct {
	Status    string       `json:"status"` // ok, degraded, down
	Campaigns []string     `json:"campaigns"`
	Cache     cache.Health `json:"cache"`
	Redis     string       `json:"redis"` // disabled, ok, degraded
	Detail    string       `json:"detail,omitempty"`
	Uptime    string       `json:"uptime"`
}

// readyz serves GET /readyz: campaigns loaded, the cache's and Redis's
// state. Redis trouble is "degraded" with 200 (the service still answers
// from memory); only having no campaign at all is 503.
func (a *app) readyz() echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), time.Second)
		defer cancel()
		r := readiness{Status: "ok", Campaigns: a.share.Campaigns().IDs(), Cache: a.cache.Health(ctx), Redis: "disabled",
			Uptime: time.Since(a.started).Round(time.Second).String()}
		if a.redis != nil {
			pctx, pcancel := context.WithTimeout(ctx, max(a.cfg.RedisTimeout, 100*time.Millisecond)*5)
			err := a.redis.Ping(pctx).Err()
			pcancel()
			if err != nil {
				r.Redis, r.Status, r.Detail = "degraded", "degraded", err.Error()
			} else {
				r.Redis = "ok"
			}
		}
		if r.Cache.Redis == "degraded" {
			r.Status = "degraded"
		}
		code := http.StatusOK
		if len(r.Campaigns) == 0 {
			r.Status, code = "down", http.StatusServiceUnavailable
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.JSON(code, r)
	}
}

// home sends / to the first campaign's page.
func (a *app) home() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, ok := a.share.Campaigns().ForLanguages(acceptedLanguages(c.Request().Header.Get("Accept-Language")))
		if !ok {
			return echo.ErrNotFound
		}
		c.Response().Header().Set("Vary", "Accept-Language")
		return c.Redirect(http.StatusFound, "/c/"+camp.ID)
	}
}

// noFavicon answers the browser's automatic /favicon.ico request with an
// empty, long-cached 204 rather than a 404 in every visitor's console.
func noFavicon(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=604800")
	return c.NoContent(http.StatusNoContent)
}
