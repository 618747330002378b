// Package server owns sharecard's HTTP service: the echo app with every
// route in routes.go, the handlers (built from their dependencies), the
// middleware (metrics, limits, timeouts, security headers), one error
// handler that decides every status, and the embedded pages. It wires the
// other packages and holds no business rules beyond HTTP.
package server

import (
	"context"
	"embed"
	"fmt"
	"html/template"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	adminauth "github.com/sharecard/sharecard/internal/admin"
	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/studio"
)

//go:embed templates static
var files embed.FS

// CacheHealth is what readiness asks of the image cache (*cache.Tiered).
type CacheHealth interface {
	Health(ctx context.Context) cache.Health
}

// Deps are everything the service is built from.
type Deps struct {
	Config config.Config
	Share  *share.Service
	// Library is the campaign store the admin API publishes to; nil: the
	// campaign endpoints answer 404.
	Library   *campaign.Library
	Cache     CacheHealth
	Stats     stats.Recorder      // nil records nothing
	Dashboard *dashboard.Handlers // nil: the admin pages are not mounted
	// Studio is the campaign studio, mounted behind the dashboard's
	// login; nil (or no Dashboard): not mounted.
	Studio *studio.Handlers
	// Gate checks the admin API's bearer token and throttles failures;
	// serve.go shares one with the dashboard. nil: one for the config's
	// admin token.
	Gate     *adminauth.Gate
	Redis    redis.UniversalClient
	Registry *prometheus.Registry // nil: a private registry
	Log      *slog.Logger
	// Now is the clock events are stamped with; nil is time.Now. A replay
	// of a campaign (scripts/replay) plays its days through it.
	Now func() time.Time
}

// app is the state the handlers share, built once in New.
type app struct {
	cfg       config.Config
	share     *share.Service
	library   *campaign.Library
	cache     CacheHealth
	stats     stats.Recorder
	dash      *dashboard.Handlers
	studio    *studio.Handlers
	gate      *adminauth.Gate
	redis     redis.UniversalClient
	registry  *prometheus.Registry
	log       *slog.Logger
	links     share.Links
	metrics   *metrics
	pages     *template.Template
	assets    *assetSet
	pageCache *otter.Cache[string, renderedPage]
	busyLog   *sampler
	started   time.Time
	now       func() time.Time
}

// pageCacheBytes bounds the cache of rendered invitation pages (about
// 5.5 KB each, plain and gzip: some 1,500 pages).
const pageCacheBytes = 8 << 20

// New builds the echo app serving every route.
func New(d Deps) (*echo.Echo, error) {
	e, _, err := newApp(d)
	return e, err
}

func newApp(d Deps) (*echo.Echo, *app, error) {
	if d.Share == nil || d.Cache == nil {
		return nil, nil, fmt.Errorf("server: Share and Cache are required")
	}
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	if d.Stats == nil {
		d.Stats = stats.Discard{}
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Gate == nil {
		d.Gate = adminauth.New(d.Config.AdminToken, adminauth.Options{})
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	m, err := newMetrics(d.Registry)
	if err != nil {
		return nil, nil, err
	}
	pages, err := template.New("").ParseFS(files, "templates/*.html")
	if err != nil {
		return nil, nil, fmt.Errorf("server: parse pages: %w", err)
	}
	assets, err := newAssetSet()
	if err != nil {
		return nil, nil, err
	}
	a := &app{
		cfg: d.Config, share: d.Share, library: d.Library, cache: d.Cache, stats: d.Stats,
		dash: d.Dashboard, studio: d.Studio, gate: d.Gate, redis: d.Redis, registry: d.Registry, log: d.Log,
		links:   d.Share.Links(),
		metrics: m, pages: pages, assets: assets, started: time.Now(), busyLog: &sampler{every: time.Second}, now: d.Now,
		pageCache: otter.Must(&otter.Options[string, renderedPage]{
			MaximumWeight: pageCacheBytes,
			Weigher: func(token string, p renderedPage) uint32 {
				return uint32(len(token) + len(p.plain) + len(p.gzipped) + 64)
			},
		}),
	}
	e := echo.New()
	e.HideBanner = true
	e.HidePort = true
	e.HTTPErrorHandler = a.handleError
	if d.Config.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	} else {
		e.IPExtractor = echo.ExtractIPDirect()
	}
	a.routes(e)
	return e, a, nil
}

// HTTPServer wraps the app with the configured timeouts.
func HTTPServer(cfg config.Config, h http.Handler, log *slog.Logger) *http.Server {
	return &http.Server{
		Addr:              cfg.Addr,
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}
