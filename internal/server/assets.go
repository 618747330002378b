package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
)

// asset is one small static response with a strong ETag.
type asset struct {
	body        []byte
	etag        string
	contentType string
}

func newAsset(body []byte, contentType string) asset {
	h := sha256.Sum256(body)
	return asset{body: body, etag: `"` + hex.EncodeToString(h[:10]) + `"`, contentType: contentType}
}

// assetSet holds the beacon script and the campaigns' stylesheets, each
// built the first time a campaign's colours are asked for (a publish may
// bring new ones): the colours go into a stylesheet rather than an inline
// style so the CSP can forbid inline styles.
type assetSet struct {
	script asset
	fonts  asset // fonts.js, which turns the card's fonts on
	css    *texttemplate.Template
	mu     sync.Mutex
	styles map[styleKey]asset

	// send and preview are the send page's and the campaign page's
	// scripts: copy and share, and the live preview.
	send, preview asset
}

// styleKey is what a stylesheet depends on: the colours and the fonts.
type styleKey struct {
	colors campaign.Colors
	fonts  string // the @font-face URLs, joined
}

func newAssetSet() (*assetSet, error) {
	js, err := files.ReadFile("static/beacon.js")
	if err != nil {
		return nil, err
	}
	css, err := files.ReadFile("templates/style.css")
	if err != nil {
		return nil, err
	}
	tpl, err := texttemplate.New("css").Parse(string(css))
	if err != nil {
		return nil, fmt.Errorf("server: parse style.css: %w", err)
	}
	fontsJS, err := files.ReadFile("static/fonts.js")
	if err != nil {
		return nil, err
	}
	send, err := files.ReadFile("static/send.js")
	if err != nil {
		return nil, err
	}
	preview, err := files.ReadFile("static/preview.js")
	if err != nil {
		return nil, err
	}
	return &assetSet{script: newAsset(js, "text/javascript; charset=utf-8"), fonts: newAsset(fontsJS, "text/javascript; charset=utf-8"),
		send: newAsset(send, "text/javascript; charset=utf-8"), preview: newAsset(preview, "text/javascript; charset=utf-8"),
		css: tpl, styles: map[styleKey]asset{}}, nil
}

// style is the stylesheet for a campaign's colours. Colours are checked
// when the campaign loads, and the template only formats them, so it
// cannot fail on them; the bound keeps a long run of publishes from
// growing the map without end.
func (s *assetSet) style(camp *campaign.Campaign) asset {
	faces := webFonts(camp)
	key := styleKey{colors: camp.Colors}
	for _, f := range faces {
		key.fonts += f.Family + "=" + f.URL + ";"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.styles[key]; ok {
		return st
	}
	p := paletteOf(camp.Colors)
	p.Fonts = faces
	var buf bytes.Buffer
	_ = s.css.Execute(&buf, p)
	if len(s.styles) >= 1024 {
		clear(s.styles)
	}
	st := newAsset(buf.Bytes(), "text/css; charset=utf-8")
	s.styles[key] = st
	return st
}

func (s *assetSet) styleURL(camp *campaign.Campaign) string {
	return "/c/" + camp.ID + "/style.css?v=" + s.style(camp).etag[1:9]
}

// webFont is one @font-face of a campaign's pages.
type webFont struct {
	Family, URL, Format string
}

// webFonts are the campaign's page fonts as the stylesheet names them:
// "card-heading" and "card-body", served by the campaign at a URL that
// carries the file's hash.
func webFonts(camp *campaign.Campaign) []webFont {
	var out []webFont
	for _, f := range camp.PageFonts() {
		ext, format := fontFormat(f.Data)
		out = append(out, webFont{Family: "card-" + f.Role, URL: "/c/" + camp.ID + "/fonts/" + f.Name + ext + "?v=" + f.Hash, Format: format})
	}
	return out
}

// fontFormat is a font file's extension and CSS format() by its magic:
// CFF outlines ("OTTO") are OpenType, the rest TrueType.
func fontFormat(data []byte) (ext, format string) {
	if bytes.HasPrefix(data, []byte("OTTO")) {
		return ".otf", "opentype"
	}
	return ".ttf", "truetype"
}

// font serves GET/HEAD /c/:campaign/fonts/:name.otf: a font the
// campaign's pages are set in, cacheable for a year at its hash.
func (a *app) font() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, ok := a.share.Campaigns().Lookup(c.Param("campaign"))
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "no such campaign")
		}
		file := c.Param("file")
		name := strings.TrimSuffix(strings.TrimSuffix(file, ".otf"), ".ttf")
		f, ok := camp.PageFont(name)
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "no such font")
		}
		ext, _ := fontFormat(f.Data)
		if name+ext != file {
			return echo.NewHTTPError(http.StatusNotFound, "no such font")
		}
		h := c.Response().Header()
		h.Set("ETag", `"`+f.Hash+`"`)
		if c.QueryParam("v") == f.Hash {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "public, max-age=300")
		}
		h.Set("Vary", "Accept-Encoding")
		if etagMatch(c.Request().Header.Get("If-None-Match"), `"`+f.Hash+`"`) {
			return c.NoContent(http.StatusNotModified)
		}
		return c.Blob(http.StatusOK, "font/"+ext[1:], f.Data)
	}
}

func (s *assetSet) scriptURL() string { return "/static/beacon.js?v=" + s.script.etag[1:9] }

func (s *assetSet) fontsScriptURL() string { return "/static/fonts.js?v=" + s.fonts.etag[1:9] }

func (s *assetSet) sendScriptURL() string { return "/static/send.js?v=" + s.send.etag[1:9] }

func (s *assetSet) previewScriptURL() string { return "/static/preview.js?v=" + s.preview.etag[1:9] }

// serveAsset answers with a versioned asset: cacheable for a year when
// the URL names its current version, briefly otherwise.
func serveAsset(c echo.Context, a asset) error {
	h := c.Response().Header()
	h.Set("ETag", a.etag)
	if v := c.QueryParam("v"); v != "" && v == a.etag[1:9] {
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "public, max-age=300")
	}
	h.Set("Vary", "Accept-Encoding")
	if etagMatch(c.Request().Header.Get("If-None-Match"), a.etag) {
		return c.NoContent(http.StatusNotModified)
	}
	return c.Blob(http.StatusOK, a.contentType, a.body)
}

func (a *app) stylesheet() echo.HandlerFunc {
	return func(c echo.Context) error {
		camp, ok := a.share.Campaigns().Lookup(c.Param("campaign"))
		if !ok {
			return echo.NewHTTPError(http.StatusNotFound, "no such campaign")
		}
		return serveAsset(c, a.assets.style(camp))
	}
}

func (a *app) script() echo.HandlerFunc {
	return func(c echo.Context) error { return serveAsset(c, a.assets.script) }
}

func (a *app) fontsScript() echo.HandlerFunc {
	return func(c echo.Context) error { return serveAsset(c, a.assets.fonts) }
}

// staticScript serves one of the pages' other scripts.
func (a *app) staticScript(pick func(*assetSet) asset) echo.HandlerFunc {
	return func(c echo.Context) error { return serveAsset(c, pick(a.assets)) }
}

// palette is the page's colours, each checked to be a hex colour before it
// goes into CSS.
type palette struct {
	Background, Foreground, Accent, OnAccent, Line, Field string
	Fonts                                                 []webFont
}

var hexColor = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

func paletteOf(c campaign.Colors) palette {
	p := palette{
		Background: orDefault(c.Background, "#10233f"),
		Foreground: orDefault(c.Foreground, "#ffffff"),
		Accent:     orDefault(c.Accent, "#e8b04b"),
	}
	// Text on the accent button: black or white, whichever contrasts more.
	if luminance(p.Accent) > 0.179 {
		p.OnAccent = "#000000"
	} else {
		p.OnAccent = "#ffffff"
	}
	// A hairline colour between background and foreground.
	p.Line = mix(p.Background, p.Foreground, 0.2)
	// Form field borders need 3:1 against the background (WCAG 1.4.11).
	p.Field = mix(p.Background, p.Foreground, 0.6)
	return p
}

func orDefault(v, def string) string {
	if hexColor.MatchString(v) {
		return v
	}
	return def
}

func rgb(hexc string) (r, g, b float64) {
	s := hexc[1:]
	if len(s) == 3 {
		s = string([]byte{s[0], s[0], s[1], s[1], s[2], s[2]})
	}
	n, _ := strconv.ParseUint(s, 16, 32)
	return float64(n>>16&0xff) / 255, float64(n>>8&0xff) / 255, float64(n&0xff) / 255
}

// luminance is the WCAG relative luminance of a hex colour.
func luminance(hexc string) float64 {
	lin := func(c float64) float64 {
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	r, g, b := rgb(hexc)
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func mix(a, b string, t float64) string {
	ar, ag, ab := rgb(a)
	br, bg, bb := rgb(b)
	c := func(x, y float64) int { return int((x + (y-x)*t) * 255) }
	return fmt.Sprintf("#%02x%02x%02x", c(ar, br), c(ag, bg), c(ab, bb))
}
