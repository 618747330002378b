package dashboard

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/admin"
	"github.com/sharecard/sharecard/internal/campaign"
)

const (
	cookieName = "sharecard_session"
	csrfField  = "csrf"
)

// session is a verified login.
type session struct {
	nonce   []byte
	expires time.Time
}

// newSession returns the cookie value for a fresh session: expiry and a
// random nonce, signed. Nothing is stored on the server.
func (h *Handlers) newSession() string {
	payload := make([]byte, 8+16)
	binary.BigEndian.PutUint64(payload, uint64(h.d.Now().Add(sessionLife).Unix()))
	_, _ = rand.Read(payload[8:])
	return b64(payload) + "." + b64(h.sign("session", payload))
}

func (h *Handlers) sign(purpose string, data []byte) []byte {
	m := hmac.New(sha256.New, h.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(data)
	return m.Sum(nil)
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// session returns the request's valid session, if any.
func (h *Handlers) session(c echo.Context) (session, bool) {
	if h.d.AdminToken == "" {
		return session{}, false
	}
	ck, err := c.Cookie(cookieName)
	if err != nil {
		return session{}, false
	}
	p, s, ok := strings.Cut(ck.Value, ".")
	if !ok {
		return session{}, false
	}
	payload, err1 := base64.RawURLEncoding.DecodeString(p)
	sig, err2 := base64.RawURLEncoding.DecodeString(s)
	if err1 != nil || err2 != nil || len(payload) != 24 || !hmac.Equal(sig, h.sign("session", payload)) {
		return session{}, false
	}
	exp := time.Unix(int64(binary.BigEndian.Uint64(payload)), 0)
	if !h.d.Now().Before(exp) || h.d.Ended.Revoked(endedID(payload[8:])) {
		return session{}, false
	}
	return session{nonce: payload[8:], expires: exp}, true
}

// endedID names a session on the revocation list once it is logged out:
// the cookie alone stays valid for its 12 hours otherwise, wherever a
// copy of it went. The prefix keeps it apart from invitation fingerprints.
func endedID(nonce []byte) string { return "session:" + hex.EncodeToString(nonce) }

// csrf is the form token bound to a session: forms carry it, and a POST
// without it is refused (on top of SameSite=Strict).
func (h *Handlers) csrf(s session) string { return b64(h.sign("csrf", s.nonce)) }

func (h *Handlers) checkCSRF(c echo.Context, s session) bool {
	got := c.FormValue(csrfField)
	return got != "" && hmac.Equal([]byte(got), []byte(h.csrf(s)))
}

// sameOrigin refuses a POST whose Origin names another site (browsers
// send it on cross-site form posts).
func sameOrigin(c echo.Context) bool {
	o := c.Request().Header.Get("Origin")
	if o == "" {
		return true // not a browser, or one that does not say; CSRF token still applies
	}
	u, err := url.Parse(o)
	return err == nil && u.Host == c.Request().Host
}

func (h *Handlers) secure(c echo.Context) bool {
	return h.d.SecureCookies || c.Scheme() == "https" || c.Request().Header.Get("X-Forwarded-Proto") == "https"
}

func (h *Handlers) setCookie(c echo.Context, value string, maxAge int) {
	c.SetCookie(&http.Cookie{
		Name:     cookieName,
		Value:    value,
		Path:     "/admin",
		MaxAge:   maxAge,
		HttpOnly: true,
		Secure:   h.secure(c),
		SameSite: http.SameSiteStrictMode,
	})
}

// safeNext keeps a post-login redirect on the dashboard: only local
// /admin/ paths, never another host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return ""
	}
	if u, err := url.Parse(next); err != nil || u.Host != "" || u.Scheme != "" {
		return ""
	}
	return next
}

func (h *Handlers) landing() string {
	// The first campaign in the default language, else the first.
	if h.d.Campaigns != nil {
		ids := h.d.Campaigns.IDs()
		for _, id := range ids {
			if c, ok := h.d.Campaigns.Lookup(id); ok && c.Language == campaign.DefaultLanguage {
				return "/admin/campaigns/" + url.PathEscape(id)
			}
		}
		if len(ids) > 0 {
			return "/admin/campaigns/" + url.PathEscape(ids[0])
		}
	}
	return "/admin/campaigns/ligestilling"
}

// LoginForm serves GET /admin/login.
func (h *Handlers) LoginForm(c echo.Context) error {
	if _, ok := h.session(c); ok {
		return c.Redirect(http.StatusSeeOther, h.landing())
	}
	return h.render(c, http.StatusOK, "login", loginView{Next: safeNext(c.QueryParam("next")), Disabled: h.d.AdminToken == ""})
}

// Login serves POST /admin/login (token form → session cookie).
func (h *Handlers) Login(c echo.Context) error {
	if err := parseForm(c); err != nil {
		return err
	}
	next := safeNext(c.FormValue("next"))
	if !sameOrigin(c) {
		return h.render(c, http.StatusForbidden, "login", loginView{Next: next, Error: "Formularen kom fra et andet websted. Åbn login-siden og prøv igen."})
	}
	if h.d.AdminToken == "" {
		return h.render(c, http.StatusForbidden, "login", loginView{Disabled: true})
	}
	// The right token always logs in; wrong ones are throttled per client
	// (see package admin), and only those within the allowance are logged.
	var throttled *admin.ThrottledError
	switch err := h.d.Gate.Check(c.RealIP(), c.FormValue("token")); {
	case errors.As(err, &throttled):
		c.Response().Header().Set("Retry-After", strconv.Itoa(throttled.RetrySeconds()))
		return h.render(c, http.StatusTooManyRequests, "login", loginView{Next: next, Error: "For mange forkerte forsøg. Vent et øjeblik og prøv igen."})
	case err != nil:
		h.d.Log.Warn("dashboard: failed admin login")
		return h.render(c, http.StatusUnauthorized, "login", loginView{Next: next, Error: "Forkert admin-token."})
	}
	h.setCookie(c, h.newSession(), int(sessionLife.Seconds()))
	if next == "" {
		next = h.landing()
	}
	return c.Redirect(http.StatusSeeOther, next)
}

// Logout serves POST /admin/logout.
func (h *Handlers) Logout(c echo.Context) error {
	if err := parseForm(c); err != nil {
		return err
	}
	if s, ok := h.session(c); ok {
		if !sameOrigin(c) || !h.checkCSRF(c, s) {
			return echo.NewHTTPError(http.StatusForbidden, "the logout form is stale; reload the page and try again")
		}
		// Ended on every replica, or the cookie is kept so the manager
		// can try again: never a logout that only seems to have worked.
		if err := h.d.Ended.Revoke(c.Request().Context(), endedID(s.nonce)); err != nil {
			h.d.Log.Warn("dashboard: ending a session failed", "err", err)
			return echo.NewHTTPError(http.StatusServiceUnavailable, "the session could not be ended on every server; try logging out again")
		}
	}
	h.setCookie(c, "", -1)
	return c.Redirect(http.StatusSeeOther, "/admin/login")
}

// RequireSession guards the /admin pages; without a session it redirects to
// the login form.
func (h *Handlers) RequireSession(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s, ok := h.session(c)
		if !ok {
			if c.Request().Method != http.MethodGet && c.Request().Method != http.MethodHead {
				return echo.NewHTTPError(http.StatusUnauthorized, "log in at /admin/login first")
			}
			return c.Redirect(http.StatusSeeOther, "/admin/login?next="+url.QueryEscape(c.Request().URL.RequestURI()))
		}
		if c.Request().Method == http.MethodPost && (!sameOrigin(c) || !h.checkCSRF(c, s)) {
			return echo.NewHTTPError(http.StatusForbidden, "the form is stale or came from another site; reload the dashboard and try again")
		}
		c.Set("session", s)
		return next(c)
	}
}

// parseForm reads the form body up front: c.FormValue alone drops the
// error, so a body over the limit (413 from the body-limit middleware)
// would pass as an empty form.
func parseForm(c echo.Context) error {
	_, err := c.FormParams()
	var he *echo.HTTPError
	if err == nil || errors.As(err, &he) {
		return err
	}
	// A malformed body (a bad percent-escape, say) is the client's mistake.
	return echo.NewHTTPError(http.StatusBadRequest, "the form could not be read: "+err.Error())
}

// CSRF is the form token of the request's session, for other admin pages
// behind RequireSession (the studio) whose forms and posts it checks; ""
// without a session.
func (h *Handlers) CSRF(c echo.Context) string {
	s, ok := c.Get("session").(session)
	if !ok {
		return ""
	}
	return h.csrf(s)
}
