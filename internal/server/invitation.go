package server

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/variant"
)

// invitation resolves the :token parameter: tampered tokens and unknown
// campaigns are 404, revoked invitations 410 (see statusOf).
func (a *app) invitation(c echo.Context) (share.Invitation, error) {
	return a.share.Resolve(c.Param("token"))
}

type download struct {
	URL, Label, Size string
}

// pageData is what invitation.html shows; html/template escapes every field.
type pageData struct {
	Lang, Locale                      string
	Title, Description, URL, ImageAlt string
	OGImage, PageImage                string
	OGImageSecure, OGImageType        string // secure_url only when the base URL is https
	SiteName                          string
	OGWidth, OGHeight                 int
	StyleURL, ScriptURL, BeaconURL    string
	FontsScriptURL                    string
	Event, Date, Heading, Body        string
	DeclineURL, ShareURL              string
	Decline, Share, Download          string
	Downloads                         []download
	CalendarURL                       string // empty: the campaign has no event
	Words                             invitationWords
	Footer                            footer
	// Declined replaces the decline button on the device that declined.
	Declined   *declinedState
	AltLocales []string
	Languages  []langLink
	Chrome     chromeWords
	// PortraitImage is the card narrow screens show (empty: the link has
	// no portrait), with its size so nothing shifts as it loads.
	PortraitImage                 string
	PortraitWidth, PortraitHeight int
}

// variantLabel is a download button's word for a variant: the campaign's,
// else the page's own in lang, else the variant's default.
func variantLabel(t campaign.Texts, lang, v string) string {
	custom := map[string]string{"square": t.LabelSquare, "portrait": t.LabelPortrait, "story": t.LabelStory}[v]
	if own := wordsFor(invitationText, lang).Variants[v]; custom == "" && own != "" {
		return own
	}
	def, _ := variant.Lookup(v)
	return orText(custom, def.Label)
}

// invitationPage serves GET/HEAD /i/:token: one page for people and
// crawlers alike, with the og:* tags first in <head>.
func (a *app) invitationPage() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		camp, token := inv.Camp, inv.Token
		a.recordVisit(c, camp.ID, token, "")
		declined := declinedHere(c.Request(), token)
		lg, byHeader := pageLanguage(c, camp.Languages())
		pg, err := a.page(inv, lg, declined)
		if err != nil {
			return err
		}
		h := c.Response().Header()
		// The decline form's 303 leads to the learning site; Chromium checks
		// form-action against redirects too, so that origin is allowed here.
		h.Set("Content-Security-Policy", strings.Replace(pageCSP, "form-action 'self'", "form-action 'self' "+origin(camp.LearningURL), 1))
		// The page that remembers a decline is that device's alone: no
		// shared cache may keep it, and none may answer a device that
		// declined with the page everyone else gets.
		if declined {
			h.Set("Cache-Control", "private, no-store")
		} else {
			h.Set("Cache-Control", "public, max-age=300")
		}
		h.Set("Vary", "Accept-Encoding, Cookie")
		if byHeader {
			h.Add("Vary", "Accept-Language")
		}
		body := pg.plain
		if acceptsGzip(c.Request().Header.Get(echo.HeaderAcceptEncoding)) {
			body = pg.gzipped
			h.Set(echo.HeaderContentEncoding, "gzip")
		}
		h.Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
		c.Response().WriteHeader(http.StatusOK)
		if c.Request().Method == http.MethodHead {
			return nil
		}
		_, err = c.Response().Write(body)
		return err
	}
}

// renderedPage is an invitation page, plain and gzip-compressed.
type renderedPage struct {
	plain, gzipped []byte
}

// buildPage executes invitation.html for one invitation in one language.
// The page depends only on the token, the language, the loaded campaign
// and whether this device declined it, so it is built once and kept in a
// small cache: a shared link is mostly the same page again.
func (a *app) buildPage(inv share.Invitation, lg string, declined bool) (renderedPage, error) {
	camp, token := inv.Camp.In(lg), inv.Token
	lg = camp.Lang()
	lq := share.LangQuery(camp)
	f := share.Fields(inv.Invitation)
	t := camp.Texts
	preview := camp.InvitationPreview(f)
	d := pageData{
		Lang: lg, Locale: camp.LocaleOf(lg), SiteName: camp.SiteName(), AltLocales: alternateLocales(camp),
		Languages: languageSwitch("/i/"+token, camp.Languages(), lg), Chrome: wordsFor(chromeText, lg),
		Title: preview.Title, Description: preview.Description,
		URL: a.links.Page(token) + langSuffix(camp), ImageAlt: camp.Expand(t.ImageAlt, f),
		StyleURL: a.assets.styleURL(camp), ScriptURL: a.assets.scriptURL(), FontsScriptURL: a.assets.fontsScriptURL(),
		BeaconURL: "/i/" + token + "/beacon",
		Event:     camp.Expand(t.Event, f), Date: camp.Expand(t.Date, f),
		Heading: camp.Expand(t.PageHeading, f), Body: camp.Expand(t.PageBody, f),
		DeclineURL: "/i/" + token + "/decline" + navLang(camp), ShareURL: "/i/" + token + "/share",
		Decline: t.Decline, Share: t.Share, Download: t.Download,
	}
	if d.Heading == "" {
		d.Heading = d.Title
	}
	d.Words = wordsFor(invitationText, d.Lang)
	d.Footer = footerFor(camp, d.Lang, token)
	if declined {
		d.Declined = declinedStateOf(camp, inv)
	}
	if share.HasCalendar(inv) {
		d.CalendarURL = share.CalendarPath(token) + langSuffix(camp)
	}
	// The preview image is the link-preview variant; a link without it
	// previews its first variant instead.
	published := share.Published(inv.Invitation)
	for _, ref := range published {
		if tpl, ok := camp.Variant(ref.Variant); ok {
			d.OGImage = a.links.Image(token, ref, tpl.Version) + lq
			d.OGImageType = ref.Format.ContentType()
			d.OGImageSecure = secureURL(d.OGImage)
			d.PageImage = share.ImagePath(token, ref, tpl.Version) + lq
			d.OGWidth, d.OGHeight = tpl.Width, tpl.Height
			break
		}
	}
	for _, ref := range published {
		tpl, ok := camp.Variant(ref.Variant)
		if !ok || ref.Variant == variant.Preview {
			continue
		}
		if ref.Variant == share.CampaignPortraitRef.Variant && d.PageImage != "" {
			// A JPEG for the page, as the link preview is: the PNG is for
			// Instagram and twice the bytes.
			d.PortraitImage = share.ImagePath(token, share.CampaignPortraitRef, tpl.Version) + lq
			d.PortraitWidth, d.PortraitHeight = tpl.Width, tpl.Height
		}
		d.Downloads = append(d.Downloads, download{
			URL:   share.DownloadPath(token, ref, tpl.Version) + lq,
			Label: variantLabel(camp.Texts, lg, ref.Variant), Size: strconv.Itoa(tpl.Width) + "×" + strconv.Itoa(tpl.Height),
		})
	}
	var buf bytes.Buffer
	if err := a.pages.ExecuteTemplate(&buf, "invitation.html", d); err != nil {
		return renderedPage{}, err
	}
	var zbuf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&zbuf, gzip.BestCompression)
	zw.Write(buf.Bytes())
	if err := zw.Close(); err != nil {
		return renderedPage{}, err
	}
	return renderedPage{plain: buf.Bytes(), gzipped: zbuf.Bytes()}, nil
}

// page returns the invitation's page in lang from the page cache (each
// language's page with its gzip copy), building it on a miss. declined is
// the page a device that declined it sees, kept under a key of its own.
func (a *app) page(inv share.Invitation, lang string, declined bool) (renderedPage, error) {
	// A page shows the campaign's version and its computed values (the
	// years until the event): it is built again after a publish, and on
	// the day a value changes.
	key := inv.Token + "@" + inv.Camp.Version + "\x00" + inv.Camp.TextVersion() + "\x00" + lang
	if declined {
		key += "\x00declined"
	}
	if pg, ok := a.pageCache.GetIfPresent(key); ok {
		return pg, nil
	}
	pg, err := a.buildPage(inv, lang, declined)
	if err != nil {
		return pg, err
	}
	a.pageCache.Set(key, pg)
	return pg, nil
}

// acceptsGzip reports whether an Accept-Encoding header admits gzip.
func acceptsGzip(header string) bool {
	for _, part := range strings.Split(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := strings.ReplaceAll(strings.TrimSpace(params), " ", "")
		if q == "q=0" || q == "q=0.0" || q == "q=0.00" || q == "q=0.000" {
			return false
		}
		return true
	}
	return false
}

// recordVisit counts a page or image fetch: a crawler's preview fetch, or a
// person's page view (IP and User-Agent go to the recorder only to be
// hashed into the day's unique-visitor set).
func (a *app) recordVisit(c echo.Context, campaignID, token, variant string) {
	req := c.Request()
	platform, bot := stats.Crawler(req.Method, req.UserAgent())
	now := a.now()
	if bot {
		a.stats.Record(stats.Event{Kind: stats.PreviewFetch, Campaign: campaignID, Token: token, Variant: variant, Platform: platform, At: now})
		return
	}
	if variant == "" {
		a.stats.Record(stats.Event{Kind: stats.PageView, Campaign: campaignID, Token: token, Human: true, IP: c.RealIP(), UserAgent: req.UserAgent(), At: now})
	}
}

// Header values every image response shares (capacity 1: see baseHeaders).
var (
	cacheImmutable  = []string{"public, max-age=31536000, immutable"}
	cacheHour       = []string{"public, max-age=3600"}
	corpCrossOrigin = []string{"cross-origin"}
)

// image serves GET/HEAD /i/:token/:variant.:ext and, as an attachment,
// /i/:token/download/:variant.:ext; for kind share.Declined, the "I
// declined" card's under /i/:token/declined/.
func (a *app) image(kind string, attachment bool) echo.HandlerFunc {
	resolve := a.share.ResolveImageIn
	if kind == share.Declined {
		resolve = a.share.ResolveDeclinedImage
	}
	return func(c echo.Context) error {
		if f := c.Param("file"); kind == "" && (f == "decline" || f == "beacon") {
			c.Response().Header().Set(echo.HeaderAllow, http.MethodPost)
			return echo.ErrMethodNotAllowed
		}
		res, err := resolve(c.Param("token"), c.Param("file"), c.QueryParam("lang"))
		if err != nil {
			return err
		}
		camp, addr, token := res.Camp, res.Addr, res.Token
		variant, format := addr.Ref.Name(), addr.Ref.Format
		req := c.Request()
		_, bot := stats.Crawler(req.Method, req.UserAgent())
		a.stats.Record(stats.Event{Kind: stats.ImageServed, Campaign: camp.ID, Token: token, Variant: variant, Format: string(format), Human: !bot, At: a.now()})
		if bot {
			a.recordVisit(c, camp.ID, token, variant)
		}
		if attachment && !bot {
			a.stats.Record(stats.Event{Kind: stats.Download, Campaign: camp.ID, Token: token, Variant: variant, Format: string(format), Human: true,
				IP: c.RealIP(), UserAgent: req.UserAgent(), At: a.now()})
		}

		h := c.Response().Header()
		// A URL with the current version never changes; an old or missing
		// version is answered with today's design, briefly cacheable.
		// (Assigned into the map with canonical keys and shared values, as
		// in securityHeaders: this is the hottest path of the service.)
		if v, ok := strings.CutPrefix(req.URL.RawQuery, "v="); ok && v == addr.Version || c.QueryParam("v") == addr.Version {
			h["Cache-Control"] = cacheImmutable
		} else {
			h["Cache-Control"] = cacheHour
		}
		h["Etag"] = []string{addr.ETag}
		h["Cross-Origin-Resource-Policy"] = corpCrossOrigin
		if attachment {
			h.Set("Content-Disposition", contentDisposition(share.DownloadName(camp.In(addr.Lang), res.Invitation.Invitation, addr.Ref)))
		}
		if etagMatch(req.Header.Get("If-None-Match"), addr.ETag) {
			return c.NoContent(http.StatusNotModified)
		}
		entry, err := a.share.Image(req.Context(), addr)
		if err != nil {
			return err
		}
		h[echo.HeaderContentType] = []string{entry.ContentType}
		h[echo.HeaderContentLength] = []string{strconv.Itoa(len(entry.Body))}
		c.Response().WriteHeader(http.StatusOK)
		if req.Method == http.MethodHead {
			return nil
		}
		_, err = c.Response().Write(entry.Body)
		return err
	}
}

// contentDisposition is an attachment that saves the file under fn
// (RFC 6266): filename= in ASCII for every client, filename*= in UTF-8
// (RFC 5987) for those that read it, and prefer it.
func contentDisposition(fn share.Filename) string {
	return `attachment; filename="` + fn.ASCII + `"; filename*=UTF-8''` + rfc5987(fn.Unicode)
}

// rfc5987 percent-encodes s as an RFC 5987 value: attr-char stays, every
// other byte is %XX.
func rfc5987(s string) string {
	const hexDigits = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexDigits[c>>4])
		b.WriteByte(hexDigits[c&15])
	}
	return b.String()
}

// etagMatch implements If-None-Match's weak comparison over a list.
func etagMatch(header, etag string) bool {
	if header == "" {
		return false
	}
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

// linkedIn serves GET /i/:token/share: counts the click and sends the
// visitor to LinkedIn's share dialog for this page; for kind
// share.Declined, /i/:token/declined/share, for the decline confirmation,
// whose preview is the "I declined" card.
func (a *app) linkedIn(kind string) echo.HandlerFunc {
	page := a.links.Page
	if kind == share.Declined {
		page = a.links.Declined
	}
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		camp, token := inv.Camp, inv.Token
		// A crawler unfurling the link (or any HEAD) is not a click.
		if _, bot := stats.Crawler(c.Request().Method, c.Request().UserAgent()); !bot {
			a.stats.Record(stats.Event{Kind: stats.ShareClick, Campaign: camp.ID, Token: token, Human: true,
				IP: c.RealIP(), UserAgent: c.Request().UserAgent(), At: a.now()})
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusSeeOther, share.LinkedInShare(page(token)))
	}
}

// decline serves POST /i/:token/decline: the campaign's goal. It is
// counted first, remembered on this device, and answered with the decline
// confirmation, or (decline: direct) straight with the learning site,
// whose address comes only from the campaign file, tagged with UTM
// parameters.
func (a *app) decline() echo.HandlerFunc {
	return func(c echo.Context) error {
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		camp, token := inv.Camp, inv.Token
		// IP and User-Agent go to the recorder only to be hashed: a decline
		// counts once per invitation and visitor a day.
		now, ip, ua := a.now(), c.RealIP(), c.Request().UserAgent()
		a.stats.Record(stats.Event{Kind: stats.Decline, Campaign: camp.ID, Token: token, Human: true, IP: ip, UserAgent: ua, At: now})
		dest := share.DeclinedPath(token) + navLang(inLanguage(c, camp))
		if camp.Decline == campaign.DeclineDirect {
			// Sent on at once: the learning click is this one.
			a.stats.Record(stats.Event{Kind: stats.LearningClick, Campaign: camp.ID, Token: token, Human: true, IP: ip, UserAgent: ua, At: now})
			if dest, err = share.LearningURL(camp, token); err != nil {
				return err
			}
		}
		a.rememberDecline(c, token)
		c.Response().Header().Set("Cache-Control", "no-store")
		return c.Redirect(http.StatusSeeOther, dest)
	}
}

// maxEngaged caps one beacon's report: a tab left open over lunch is not
// half an hour of reading.
const maxEngaged = 30 * 60

// beacon serves POST /i/:token/beacon: seconds the page was visible.
// Do-Not-Track and Global Privacy Control are honoured by not recording.
func (a *app) beacon() echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		if req.Header.Get("DNT") == "1" || req.Header.Get("Sec-GPC") == "1" {
			return c.NoContent(http.StatusNoContent)
		}
		inv, err := a.invitation(c)
		if err != nil {
			return err
		}
		camp := inv.Camp
		if _, bot := stats.Crawler(req.Method, req.UserAgent()); bot {
			return c.NoContent(http.StatusNoContent)
		}
		body, err := io.ReadAll(io.LimitReader(req.Body, 64))
		if err != nil {
			return err
		}
		secs, err := strconv.ParseFloat(strings.TrimSpace(string(body)), 64)
		if err != nil || secs != secs {
			return echo.NewHTTPError(http.StatusBadRequest, "the body must be the number of seconds the page was visible")
		}
		secs = min(max(secs, 0), maxEngaged)
		if secs > 0 {
			a.stats.Record(stats.Event{Kind: stats.EngagedTime, Campaign: camp.ID, Token: c.Param("token"), Human: true, Seconds: secs, At: a.now()})
		}
		return c.NoContent(http.StatusNoContent)
	}
}

// secureURL is u when it is https (og:image:secure_url), else "".
func secureURL(u string) string {
	if strings.HasPrefix(u, "https://") {
		return u
	}
	return ""
}

// origin returns scheme://host of an absolute URL, or "" when it has none.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// langSuffix is "?lang=xx" for a page in a language other than the
// campaign's default (its canonical address), else "".
// navLang is the query that keeps the page's language on a link within
// the site (a form, a redirect, a way back): always explicit, so a visitor
// who chose the campaign's default language against their browser's
// keeps it on the next page. Addresses meant to be shared use langSuffix.
func navLang(camp *campaign.Campaign) string {
	return "?lang=" + url.QueryEscape(camp.Lang())
}

// langSuffix is the language a page's own URL carries (see
// share.PageLangQuery).
func langSuffix(camp *campaign.Campaign) string { return share.PageLangQuery(camp) }
