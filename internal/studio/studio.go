// Package studio owns the campaign studio, the designer's pages under
// /admin/studio: a campaign's YAML in an editor, previews of the four
// card sizes for hard names as they type, a simulator of the share on
// each platform, and publishing (with a diff) and rollback through the
// campaign store's compare-and-set. The pages are drawn here on the
// server; the one script, served from this site, only updates them.
//
// The studio sits behind the dashboard's session login: the server
// mounts these handlers after the dashboard's RequireSession, which also
// checks every post's CSRF token.
package studio

import (
	"bytes"
	"embed"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
)

//go:embed static
var files embed.FS

// CSP is the studio pages' policy: nothing from elsewhere; previews are
// blob: URLs the script makes from the preview endpoint's answers.
const CSP = "default-src 'none'; img-src 'self' blob:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
	"form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// MaxBody bounds a studio post: a campaign file (campaign.MaxFileBytes,
// 256 KiB) and the few fields beside it. The file's own bound is checked
// after, with a message that names it.
const MaxBody = "264KiB"

// keptDrafts bounds the compiled drafts in memory (see drafts).
const keptDrafts = 4

// Deps are what the studio needs.
type Deps struct {
	Library *campaign.Library
	// CSRF is the form token of the request's session (the dashboard's).
	CSRF func(echo.Context) string
	// BaseURL is the service's public address; the simulator shows its
	// host as the shared link's domain.
	BaseURL string
	Encode  card.EncodeOptions
	Log     *slog.Logger
	Now     func() time.Time
}

// Handlers serve the studio.
type Handlers struct {
	d      Deps
	pages  *template.Template
	drafts *drafts
	domain string
	css    []byte
	script []byte
}

// New builds the studio's handlers.
func New(d Deps) (*Handlers, error) {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.CSRF == nil {
		d.CSRF = func(echo.Context) string { return "" }
	}
	pages, err := template.New("").Funcs(template.FuncMap{
		"pct": func(v, of float64) float64 { return v / of * 100 },
	}).ParseFS(files, "static/*.html")
	if err != nil {
		return nil, err
	}
	css, err := files.ReadFile("static/studio.css")
	if err != nil {
		return nil, err
	}
	script, err := files.ReadFile("static/studio.js")
	if err != nil {
		return nil, err
	}
	domain := "sharecard.example"
	if u, err := url.Parse(d.BaseURL); err == nil && u.Host != "" {
		domain = u.Host
	}
	return &Handlers{d: d, pages: pages, drafts: newDrafts(keptDrafts), domain: domain, css: css, script: script}, nil
}

// Script serves GET /admin/static/studio.js.
func (h *Handlers) Script(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "text/javascript; charset=utf-8", h.script)
}

// Stylesheet serves GET /admin/static/studio.css.
func (h *Handlers) Stylesheet(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "no-cache")
	return c.Blob(http.StatusOK, "text/css; charset=utf-8", h.css)
}

// render draws a page with the studio's headers.
func (h *Handlers) render(c echo.Context, status int, name string, data any) error {
	var buf bytes.Buffer
	if err := h.pages.ExecuteTemplate(&buf, name, data); err != nil {
		h.d.Log.Error("studio: render page", "page", name, "err", err)
		return echo.NewHTTPError(http.StatusInternalServerError, "the page could not be drawn")
	}
	hd := c.Response().Header()
	hd.Set("Content-Security-Policy", CSP)
	hd.Set("Cache-Control", "no-store")
	// same-origin: the dashboard's session check refuses posts whose
	// Origin is another site, and no-referrer would make it "null".
	hd.Set("Referrer-Policy", "same-origin")
	return c.HTMLBlob(status, buf.Bytes())
}

// wantsJSON tells the script's requests from a plain form post.
func wantsJSON(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get("Accept"), "application/json")
}

// problemJSON is a validation problem as the API gives it.
type problemJSON struct {
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

func problemsOf(err error) []problemJSON {
	out := []problemJSON{}
	list := campaign.Problems(err)
	var inv *campaign.InvalidError
	if errors.As(err, &inv) {
		list = inv.Problems
	}
	for _, p := range list {
		out = append(out, problemJSON{Line: p.Line, Column: p.Column, Message: p.Message})
	}
	return out
}
