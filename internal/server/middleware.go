package server

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
	"golang.org/x/time/rate"

	adminauth "github.com/sharecard/sharecard/internal/admin"
)

// The Content-Security-Policies. Pages load only their own stylesheet,
// script and images; nothing may frame them. formAction is filled per page.
const (
	pageCSP = "default-src 'none'; img-src 'self'; style-src 'self'; font-src 'self'; script-src 'self'; connect-src 'self'; " +
		"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	// The dashboard draws its charts as inline SVG with its own styles.
	dashboardCSP = "default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; " +
		"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
	apiCSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
)

// securityHeaders sets the headers every response carries. Handlers and
// route middleware may widen the CSP.
func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		set := baseHeaders
		if p := c.Path(); p == imageRoute || p == downloadRoute || p == campaignImageRoute || p == declinedImageRoute || p == declinedDownloadRoute {
			set = imageHeaders
		}
		for _, kv := range set {
			h[kv.key] = kv.value
		}
		return next(c)
	}
}

type headerValue struct {
	key   string
	value []string
}

// baseHeaders are assigned straight into the header map: on a cached image
// Header.Set's canonicalisation and one slice per header were a measurable
// part of the request. Sharing the value slices is safe because each has
// capacity 1, so an Add appends into a copy, and net/http copies the map
// before writing it.
var baseHeaders = []headerValue{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Referrer-Policy", []string{"strict-origin-when-cross-origin"}},
	{"X-Frame-Options", []string{"DENY"}},
	{"Content-Security-Policy", []string{apiCSP}},
	{"Permissions-Policy", []string{"camera=(), microphone=(), geolocation=(), interest-cohort=()"}},
}

// imageHeaders leave out what only governs a document (framing, the
// referrer of its links, the features its scripts may use): an image has
// none of those, and the image routes are the ones served thousands of
// times a second. nosniff and the deny-all CSP stay, so a card opened on
// its own can never be read as anything but an image.
var imageHeaders = []headerValue{
	{"X-Content-Type-Options", []string{"nosniff"}},
	{"Content-Security-Policy", []string{apiCSP}},
}

// csp sets policy on a route group's responses; a handler may still set its
// own (the dashboard, the invitation page's form-action).
func (a *app) csp(policy string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			c.Response().Header().Set("Content-Security-Policy", policy)
			return next(c)
		}
	}
}

// timeout gives a handler a deadline; a handler that runs out answers 503.
func (a *app) timeout() echo.MiddlewareFunc {
	return middleware.ContextTimeoutWithConfig(middleware.ContextTimeoutConfig{
		Timeout: a.cfg.RequestTimeout,
		ErrorHandler: func(err error, c echo.Context) error {
			if errors.Is(err, context.DeadlineExceeded) {
				return errTimeout
			}
			return err
		},
	})
}

// requireAdmin checks the Bearer token through the admin gate: the right
// token always passes, and a client that keeps sending wrong ones (or
// none) gets 429 with Retry-After, as the dashboard's login does.
func (a *app) requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		token, sent := strings.CutPrefix(c.Request().Header.Get(echo.HeaderAuthorization), "Bearer ")
		err := a.gate.Check(c.RealIP(), strings.TrimSpace(token))
		if err == nil {
			return next(c)
		}
		var throttled *adminauth.ThrottledError
		if errors.As(err, &throttled) {
			c.Response().Header().Set("Retry-After", strconv.Itoa(throttled.RetrySeconds()))
			return echo.NewHTTPError(http.StatusTooManyRequests, throttled.Error())
		}
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="sharecard"`)
		if !sent {
			return echo.NewHTTPError(http.StatusUnauthorized, "missing admin token: send Authorization: Bearer <SHARECARD_ADMIN_TOKEN>")
		}
		return echo.NewHTTPError(http.StatusUnauthorized, "wrong admin token")
	}
}

// selfServiceLimit allows each client SelfServiceRate invitations a minute.
func (a *app) selfServiceLimit() echo.MiddlewareFunc {
	perMinute := a.cfg.SelfServiceRate
	if perMinute <= 0 {
		perMinute = 10
	}
	return clientLimit(perMinute, "too many invitations from this address: try again in a minute")
}

// draftsPerInvitation is how many live previews a client may draw for
// each invitation it may make: typing a name, a title and an organisation
// with pauses is a dozen drafts or so; a script asking for more is not
// typing.
const draftsPerInvitation = 6

// previewLimit allows each client draftsPerInvitation × SelfServiceRate
// draft cards a minute, a limit of its own: a visitor who previews while
// typing must still be able to make the invitation.
func (a *app) previewLimit() echo.MiddlewareFunc {
	perMinute := a.cfg.SelfServiceRate
	if perMinute <= 0 {
		perMinute = 10
	}
	return clientLimit(perMinute*draftsPerInvitation, "too many previews from this address: try again in a moment")
}

// clientLimit allows each client (by RealIP) perMinute requests a minute,
// in bursts of up to perMinute; past that, 429 with Retry-After.
func clientLimit(perMinute int, message string) echo.MiddlewareFunc {
	store := middleware.NewRateLimiterMemoryStoreWithConfig(middleware.RateLimiterMemoryStoreConfig{
		Rate:      rate.Limit(float64(perMinute) / 60),
		Burst:     perMinute,
		ExpiresIn: 3 * time.Minute,
	})
	retry := strconv.Itoa(max(1, 60/perMinute))
	return middleware.RateLimiterWithConfig(middleware.RateLimiterConfig{
		Store: store,
		IdentifierExtractor: func(c echo.Context) (string, error) {
			return c.RealIP(), nil
		},
		DenyHandler: func(c echo.Context, _ string, _ error) error {
			c.Response().Header().Set("Retry-After", retry)
			return echo.NewHTTPError(http.StatusTooManyRequests, message)
		},
		ErrorHandler: func(c echo.Context, err error) error {
			return echo.NewHTTPError(http.StatusForbidden, "cannot tell who is asking")
		},
	})
}

// errTimeout means a request ran out of time.
var errTimeout = errors.New("the request took too long")

// sameSite refuses a POST that a browser says comes from another site:
// Sec-Fetch-Site "cross-site", or an Origin that is neither this request's
// host nor the public base URL's (an opaque "null" origin is left to
// Sec-Fetch-Site). Requests without either header (not a
// browser, or an old one) pass; they cannot be forged from another page.
func (a *app) sameSite(next echo.HandlerFunc) echo.HandlerFunc {
	base := ""
	if u, err := url.Parse(a.links.Base); err == nil {
		base = u.Host
	}
	return func(c echo.Context) error {
		r := c.Request()
		cross := r.Header.Get("Sec-Fetch-Site") == "cross-site"
		// "null" is what a browser sends in privacy-sensitive contexts,
		// even for a site's own form: Sec-Fetch-Site decides those.
		if o := r.Header.Get("Origin"); o != "" && o != "null" && !cross {
			u, err := url.Parse(o)
			cross = err != nil || (u.Host != r.Host && u.Host != base)
		}
		if cross {
			return echo.NewHTTPError(http.StatusForbidden, "posts from another site are not accepted: use the invitation page")
		}
		return next(c)
	}
}
