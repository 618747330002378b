package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/studio"
)

// Body limits, as docs/api.md gives them: 1 MiB (1,048,576 bytes) for
// single requests, 10 MiB for batches. (echo reads "1M" as 1,000,000.)
const (
	bodyLimit      = "1MiB"
	batchBodyLimit = "10MiB"
	beaconLimit    = "1KiB"
	reportLimit    = "16KiB" // a report's fields are bounded far below this
)

// The image routes, named because securityHeaders gives them a set of
// their own.
const (
	imageRoute         = "/i/:token/:file"
	downloadRoute      = "/i/:token/download/:file"
	campaignImageRoute = "/c/:campaign/:file" // og.jpg, portrait.jpg
	fontRoute          = "/c/:campaign/fonts/:file"
	// The "I declined" card's images and downloads.
	declinedImageRoute    = "/i/:token/declined/:file"
	declinedDownloadRoute = "/i/:token/declined/download/:file"
)

// routes lists every endpoint and its middleware, top to bottom.
func (a *app) routes(e *echo.Echo) {
	getHead := []string{http.MethodGet, http.MethodHead}

	// Every request: metrics by route and status, then baseline security
	// headers (nosniff, referrer policy, a deny-all CSP that pages widen).
	// A panic becomes a 500 through the error handler, never a stack trace.
	e.Use(a.metricsMiddleware, middleware.RecoverWithConfig(middleware.RecoverConfig{DisableStackAll: true, DisablePrintStack: true}), securityHeaders)

	timeout := a.timeout()
	gzip := middleware.GzipWithConfig(middleware.GzipConfig{Level: 6, MinLength: 512})
	body := middleware.BodyLimit(bodyLimit)
	batchBody := middleware.BodyLimit(batchBodyLimit)
	page := a.csp(pageCSP) // the invitation page adds the learning site to form-action itself
	admin := a.requireAdmin

	// The invitation: page, images, actions.
	e.Match(getHead, "/i/:token", a.invitationPage(), page, timeout) // keeps its own gzip copy
	// Images set their own deadline, on a cache miss only.
	e.Match(getHead, imageRoute, a.image("", false))
	e.Match(getHead, downloadRoute, a.image("", true))
	e.Match(getHead, "/i/:token/share", a.linkedIn(""), timeout)
	// The party for a calendar; not counted.
	e.Match(getHead, "/i/:token/calendar.ics", a.calendar(), timeout)
	// The page's QR code (for the send step and print); not counted.
	e.Match(getHead, "/i/:token/qr.svg", a.qr(share.QRSVG), timeout)
	e.Match(getHead, "/i/:token/qr.png", a.qr(share.QRPNG), timeout)
	// The maker's page for sending a self-service invitation; not counted.
	e.Match(getHead, "/i/:token/send", a.sendPage(), page, timeout, gzip)
	// The counted actions take posts from this site's own pages only, so
	// another site cannot inflate declines or reading time.
	e.POST("/i/:token/decline", a.decline(), a.sameSite, body, timeout)
	e.POST("/i/:token/beacon", a.beacon(), a.sameSite, middleware.BodyLimit(beaconLimit))
	// Take-down: anyone may report a card; the post is same-site, small and
	// rate-limited per client (in memory; nothing about the reporter is kept).
	e.Match(getHead, "/i/:token/report", a.reportForm(), page, timeout)
	e.POST("/i/:token/report", a.sendReport(), page, a.sameSite, middleware.BodyLimit(reportLimit), timeout)
	e.Match(getHead, "/i/:token/report/sent", a.reportSent(), page, timeout)
	// After the decline: the thanks (per device: never cached), the "I
	// declined" card, its LinkedIn share, and the counted way to learn.
	e.Match(getHead, "/i/:token/declined", a.declinedPage(), page, timeout, gzip)
	e.Match(getHead, declinedImageRoute, a.image(share.Declined, false))
	e.Match(getHead, declinedDownloadRoute, a.image(share.Declined, true))
	e.Match(getHead, "/i/:token/declined/share", a.linkedIn(share.Declined), timeout)
	e.Match(getHead, "/i/:token/learn", a.learn(), timeout)

	// The public campaign page and self-service minting (rate-limited per
	// client).
	e.Match(getHead, "/c/:campaign", a.campaignPage(), page, timeout, gzip)
	e.POST("/c/:campaign", a.selfService(), page, a.sameSite, a.selfServiceLimit(), body, timeout, gzip)
	e.Match(getHead, "/c/:campaign/style.css", a.stylesheet(), gzip)
	// What sharecard processes, per campaign; every page's footer links it.
	e.Match(getHead, "/c/:campaign/privacy", a.privacyPage(), page, timeout, gzip)
	// The campaign's own card, its page's og:image; a render like any card.
	e.Match(getHead, campaignImageRoute, a.campaignImage())
	// The campaign's fonts, for pages in the card's type.
	e.Match(getHead, fontRoute, a.font(), gzip)
	e.Match(getHead, "/static/beacon.js", a.script(), gzip)
	e.Match(getHead, "/static/fonts.js", a.fontsScript(), gzip)
	// The live preview while typing: checked as self-service is, drawn
	// small, never minted, counted or cached (rate-limited per client).
	e.Match(getHead, "/c/:campaign/preview.jpg", a.draft(), a.previewLimit(), timeout)
	e.Match(getHead, "/static/send.js", a.staticScript(func(s *assetSet) asset { return s.send }), gzip)
	e.Match(getHead, "/static/preview.js", a.staticScript(func(s *assetSet) asset { return s.preview }), gzip)

	// The admin API (Bearer SHARECARD_ADMIN_TOKEN).
	e.POST("/api/v1/invitations", a.createInvitation(), admin, body, timeout)
	e.POST("/api/v1/invitations/batch", a.batch(), admin, batchBody)
	e.DELETE("/api/v1/invitations/:token", a.revokeInvitation(), admin, timeout)
	e.POST("/api/v1/prerender", a.prerender(), admin, batchBody)

	// The campaign store (Bearer): the handlers bound their bodies
	// themselves (256 KiB for a campaign file, 5 MiB for an asset), to say
	// which bound a body broke.
	e.Match(getHead, "/api/v1/campaigns", a.listCampaigns(), admin, timeout)
	e.PUT("/api/v1/campaigns/:id", a.putCampaign(), admin, timeout)
	e.Match(getHead, "/api/v1/campaigns/:id", a.getCampaign(), admin, timeout)
	e.DELETE("/api/v1/campaigns/:id", a.archiveCampaign(), admin, timeout)
	e.Match(getHead, "/api/v1/campaigns/:id/versions", a.campaignVersions(), admin, timeout)
	e.Match(getHead, "/api/v1/campaigns/:id/reports", a.listReports(), admin, timeout)
	e.POST("/api/v1/campaigns/:id/rollback", a.rollbackCampaign(), admin, body, timeout)
	e.PUT("/api/v1/campaigns/:id/assets/:name", a.putAsset(), admin, timeout)
	e.DELETE("/api/v1/campaigns/:id/assets/:name", a.deleteAsset(), admin, timeout)
	e.Match(getHead, "/api/v1/campaigns/:id/assets/:name", a.getAsset(), admin, timeout)

	// The dashboard (session cookie) and its JSON (Bearer).
	if d := a.dash; d != nil {
		adminPage := a.csp(dashboardCSP)
		e.Match(getHead, "/admin/login", d.LoginForm, adminPage)
		e.POST("/admin/login", d.Login, adminPage, body)
		e.POST("/admin/logout", d.Logout, adminPage, body)
		e.Match(getHead, "/admin/campaigns/:id", d.Campaign, adminPage, gzip, d.RequireSession)
		e.Match(getHead, "/admin/campaigns/:id/report.pdf", d.ReportPDF, adminPage, d.RequireSession)
		e.Match(getHead, "/admin/campaigns/:id/report.png", d.ReportPNG, adminPage, d.RequireSession)
		e.Match(getHead, "/admin/campaigns/:id/stats.csv", d.StatsCSV, adminPage, d.RequireSession)
		e.Match(getHead, "/admin/campaigns/:id/live", d.Live, adminPage, d.RequireSession)
		e.Match(getHead, "/admin/static/dashboard.js", d.Script, gzip)
		e.POST("/admin/campaigns/:id/impressions", d.Impressions, adminPage, body, d.RequireSession)
		// The campaign studio (session; its posts carry the session's
		// CSRF token, which RequireSession checks).
		if st := a.studio; st != nil {
			studioPage := a.csp(studio.CSP)
			studioBody := middleware.BodyLimit(studio.MaxBody)
			e.Match(getHead, "/admin/studio", st.Index, studioPage, d.RequireSession)
			e.POST("/admin/studio", st.Create, studioPage, body, d.RequireSession)
			e.Match(getHead, "/admin/studio/:id", st.Page, studioPage, gzip, d.RequireSession)
			e.POST("/admin/studio/:id/check", st.Check, studioPage, studioBody, d.RequireSession)
			e.POST("/admin/studio/:id/preview", st.Preview, studioPage, studioBody, d.RequireSession)
			e.POST("/admin/studio/:id/diff", st.Diff, studioPage, studioBody, d.RequireSession)
			e.POST("/admin/studio/:id/publish", st.Publish, studioPage, studioBody, d.RequireSession)
			e.POST("/admin/studio/:id/rollback", st.Rollback, studioPage, body, d.RequireSession)
			e.POST("/admin/studio/:id/asset", st.Upload, studioPage, middleware.BodyLimit(studio.MaxUpload), d.RequireSession)
			e.POST("/admin/studio/:id/asset/delete", st.DeleteAsset, studioPage, body, d.RequireSession)
			e.Match(getHead, "/admin/studio/:id/card/:variant", st.Card, studioPage, d.RequireSession)
			e.Match(getHead, "/admin/static/studio.js", st.Script, gzip)
			e.Match(getHead, "/admin/static/studio.css", st.Stylesheet, gzip)
		}
		e.POST("/admin/campaigns/:id/reports/:report", d.HandleReport, adminPage, body, d.RequireSession)
		e.Match(getHead, "/api/v1/campaigns/:id/stats", d.StatsJSON, admin, timeout)
		e.Match(getHead, "/api/v1/campaigns/:id/stats.csv", d.StatsCSV, admin, timeout)
	}

	// Operations.
	e.Match(getHead, "/healthz", a.healthz())
	e.Match(getHead, "/readyz", a.readyz(), timeout)
	e.Match(getHead, "/api/v1/openapi.json", a.openAPI(), gzip)
	e.Match(getHead, "/", a.home())
	e.Match(getHead, "/favicon.ico", noFavicon)
}
