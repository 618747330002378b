package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/KimMachineGun/automemlimit/memlimit"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/redis/go-redis/v9"

	sharecard "github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/admin"
	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/dashboard"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/server"
	"github.com/sharecard/sharecard/internal/share"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/studio"
)

// runServe runs the HTTP service until ctx ends (SIGINT/SIGTERM), then
// drains in-flight requests for up to SHARECARD_SHUTDOWN_TIMEOUT.
func runServe(ctx context.Context, args []string, e env) int {
	fset := flag.NewFlagSet("sharecard serve", flag.ContinueOnError)
	fset.SetOutput(e.stderr)
	cfg, err := config.Load(fset, args, e.getenv)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err == nil {
		err = cfg.ValidateServe()
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "sharecard serve: %v\n", err)
		return 2
	}
	log := newLogger(cfg, e.stderr)
	if err := serve(ctx, cfg, log); err != nil {
		log.Error("sharecard serve stopped", "err", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, cfg config.Config, log *slog.Logger) error {
	if err := config.EnsureKeys(&cfg, log); err != nil {
		return err
	}
	// In a container, the collector aims below its memory limit (85 %,
	// unless GOMEMLIMIT is set): without it the heap may grow to twice
	// what the caches keep before a collection, and a 1 GiB container
	// would be killed long before the service needs that much.
	if _, err := memlimit.Set(memlimit.WithRatio(0.85),
		memlimit.WithProvider(memlimit.FromCgroup), memlimit.WithLogger(log.With("component", "memlimit"))); err != nil {
		log.Debug("no container memory limit to follow", "err", err)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	d, err := openDeps(ctx, cfg, log, reg)
	if err != nil {
		return err
	}
	defer d.close(log)
	// Every replica follows the store: at once on another's notice, and
	// each second in any case.
	runCtx, stopLibrary := context.WithCancel(ctx)
	defer stopLibrary()
	go d.library.Run(runCtx)
	if cfg.AssetsDir != "" {
		// Local work: a saved campaign file or asset is published at once.
		go func() {
			if err := campaign.HotReload(runCtx, d.library, cfg.AssetsDir, sharecard.CampaignDir, log, nil); err != nil {
				log.Error("hot reload is off", "dir", cfg.AssetsDir, "err", err)
			}
		}()
	}

	// One gate for the bearer API and the dashboard's login, so failures
	// at either count against the same allowance.
	gate := admin.New(cfg.AdminToken, admin.Options{})
	dash := dashboard.New(dashboard.Deps{
		Stats: d.stats, Campaigns: d.library, AdminToken: cfg.AdminToken, Ended: d.revoked, Gate: gate,
		SecureCookies: strings.HasPrefix(cfg.BaseURL, "https://"), Log: log,
	})
	st, err := studio.New(studio.Deps{Library: d.library, CSRF: dash.CSRF, BaseURL: cfg.BaseURL,
		Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality}, Log: log})
	if err != nil {
		return err
	}
	h, err := server.New(server.Deps{
		Config: cfg, Share: d.share, Library: d.library, Cache: d.cache, Stats: d.stats, Redis: d.redis, Registry: reg, Log: log, Gate: gate,
		Dashboard: dash, Studio: st,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("SHARECARD_ADDR=%s: %w", cfg.Addr, err)
	}
	srv := server.HTTPServer(cfg, h, log)
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	// Metrics have a listener of their own (loopback by default): they
	// include campaign totals, which the public port must not show.
	metricsAt := "off"
	if cfg.MetricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.MetricsAddr)
		if err != nil {
			srv.Close()
			return fmt.Errorf("SHARECARD_METRICS_ADDR=%s: %w (set another address, or off)", cfg.MetricsAddr, err)
		}
		msrv := &http.Server{Handler: server.MetricsHandler(reg), ReadHeaderTimeout: cfg.ReadHeaderTimeout,
			ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
		go func() {
			if err := msrv.Serve(mln); err != http.ErrServerClosed {
				errc <- fmt.Errorf("metrics: %w", err)
			}
		}()
		defer msrv.Close()
		metricsAt = mln.Addr().String()
	}
	log.Info("sharecard listening", "addr", ln.Addr().String(), "metrics", metricsAt, "base_url", cfg.BaseURL,
		"campaigns", d.library.IDs(), "redis", redisMode(cfg), "env", cfg.Env)

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down: draining in-flight requests", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("drain: %w", err)
	}
	log.Info("drained")
	return nil
}

// prepareCampaign does the one-off encoder work of c's templates before
// the first visitor would wait for it; the library calls it for every
// version it compiles, so a publish is prepared before it goes live.
func prepareCampaign(c *campaign.Campaign, opts card.EncodeOptions, log *slog.Logger) {
	for _, v := range campaign.VariantNames {
		if tpl, ok := c.Variant(v); ok {
			if err := tpl.Prepare(opts); err != nil {
				log.Warn("prepare template", "campaign", c.ID, "variant", v, "err", err)
			}
		}
	}
}

// deps are the long-lived parts the service and the CLI share.
type deps struct {
	library  *campaign.Library
	signer   *invite.Signer
	redis    redis.UniversalClient
	cache    *cache.Tiered
	stats    *stats.Buffered
	revoked  revoke.List
	closeRev func()
	share    *share.Service
}

// openDeps opens what the service and the CLI share. In embedded mode
// the CLI's counts (links minted) die with its process: only a service
// with Redis shares them with the dashboard.
func openDeps(ctx context.Context, cfg config.Config, log *slog.Logger, reg prometheus.Registerer) (*deps, error) {
	files, err := assetFiles(cfg)
	if err != nil {
		return nil, err
	}
	signer, err := newSigner(cfg)
	if err != nil {
		return nil, err
	}
	d := &deps{signer: signer, closeRev: func() {}}
	if d.redis, err = redisClient(cfg); err != nil {
		return nil, err
	}
	if d.library, err = openLibrary(ctx, cfg, files, d.redis, log); err != nil {
		if d.redis != nil {
			_ = d.redis.Close()
		}
		return nil, err
	}
	// Counters, revocations (and soon campaigns) live only in Redis: say
	// so at start-up when its settings could evict or lose them.
	cache.CheckRedisPolicy(ctx, d.redis, log)
	d.cache = cache.New(cache.Options{Redis: d.redis, MemoryBytes: cfg.CacheMemory, TTL: cfg.CacheTTL,
		RedisTimeout: cfg.RedisTimeout, Log: log, Metrics: reg})
	d.stats = stats.NewRecorder(stats.Options{Redis: d.redis, BufferSize: cfg.StatsBuffer,
		FlushInterval: cfg.StatsFlush, Log: log, Metrics: reg})
	if d.redis != nil {
		r := revoke.NewRedis(ctx, d.redis, revoke.RedisOptions{Timeout: cfg.RedisTimeout, Log: log})
		d.revoked, d.closeRev = r, r.Close
	} else {
		d.revoked = revoke.NewMemory()
	}
	d.share, err = share.New(share.Deps{
		Campaigns: d.library, Signer: signer, Cache: d.cache, Revoked: d.revoked, Stats: d.stats,
		BaseURL: cfg.BaseURL, Encode: card.EncodeOptions{JPEGQuality: cfg.JPEGQuality},
		RenderConcurrency: cfg.RenderConcurrency, RenderQueue: cfg.RenderQueue, MissTimeout: cfg.RequestTimeout,
		Registry: reg,
	})
	if err != nil {
		d.close(log)
		return nil, err
	}
	return d, nil
}

// close flushes the counters and stops background work, in that order:
// the stats flush still needs Redis.
func (d *deps) close(log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := d.stats.Close(ctx); err != nil {
		log.Warn("flush stats at shutdown", "err", err)
	}
	d.closeRev()
	if err := d.cache.Close(); err != nil {
		log.Warn("close cache", "err", err)
	}
	if d.redis != nil {
		_ = d.redis.Close()
	}
}

// assetFiles is the one place that chooses where campaigns, fonts and
// images come from: the embedded copy, or a directory for live editing.
func assetFiles(cfg config.Config) (fs.FS, error) {
	if cfg.AssetsDir == "" {
		return sharecard.Files(), nil
	}
	if st, err := os.Stat(cfg.AssetsDir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("SHARECARD_ASSETS_DIR=%q: not a directory", cfg.AssetsDir)
	}
	return os.DirFS(cfg.AssetsDir), nil
}

func newSigner(cfg config.Config) (*invite.Signer, error) {
	keys := make([][]byte, len(cfg.Secrets))
	for i, s := range cfg.Secrets {
		keys[i] = []byte(s)
	}
	s, err := invite.NewSigner(keys)
	if err != nil {
		return nil, fmt.Errorf("SHARECARD_SECRET: %w", err)
	}
	return s, nil
}

// redisClient returns nil in embedded mode. It does not ping: the service
// starts while Redis is down and uses it once it answers.
func redisClient(cfg config.Config) (redis.UniversalClient, error) {
	switch {
	case cfg.RedisURL != "":
		opt, err := redis.ParseURL(cfg.RedisURL)
		if err != nil {
			return nil, fmt.Errorf("REDIS_URL: %w", err)
		}
		applyTimeouts(&opt.DialTimeout, &opt.ReadTimeout, &opt.WriteTimeout, cfg.RedisTimeout)
		return redis.NewClient(opt), nil
	case len(cfg.RedisAddrs) > 0 && cfg.RedisMaster != "":
		// Sentinel: the same UniversalClient code, failing over with the master.
		o := &redis.UniversalOptions{Addrs: cfg.RedisAddrs, MasterName: cfg.RedisMaster}
		applyTimeouts(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, cfg.RedisTimeout)
		return redis.NewUniversalClient(o), nil
	case len(cfg.RedisAddrs) > 0:
		o := &redis.UniversalOptions{Addrs: cfg.RedisAddrs, IsClusterMode: true}
		applyTimeouts(&o.DialTimeout, &o.ReadTimeout, &o.WriteTimeout, cfg.RedisTimeout)
		return redis.NewUniversalClient(o), nil
	}
	return nil, nil
}

// applyTimeouts bounds socket waits near the per-call timeout, so a dead
// Redis costs each request about that long and no more.
func applyTimeouts(dial, read, write *time.Duration, per time.Duration) {
	*dial = max(5*per, 250*time.Millisecond)
	*read = max(per, 50*time.Millisecond)
	*write = max(per, 50*time.Millisecond)
}

func redisMode(cfg config.Config) string {
	switch {
	case cfg.RedisURL != "":
		return "single"
	case len(cfg.RedisAddrs) > 0 && cfg.RedisMaster != "":
		return "sentinel"
	case len(cfg.RedisAddrs) > 0:
		return "cluster"
	}
	return "embedded"
}

// newLogger builds the process's logger and routes go-redis's own lines
// (a pool that cannot dial, say) through it, so SHARECARD_LOG_FORMAT=json
// holds for every line the process writes.
func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	var log *slog.Logger
	if cfg.LogFormat == "json" {
		log = slog.New(slog.NewJSONHandler(w, opts))
	} else {
		log = slog.New(slog.NewTextHandler(w, opts))
	}
	redisLogger.Store(log)
	redisLoggerOnce.Do(func() { redis.SetLogger(redisLog{}) })
	return log
}

// go-redis has one logger per process; it is set once and writes to the
// logger of the latest command (tests run several in one process).
var (
	redisLogger     atomic.Pointer[slog.Logger]
	redisLoggerOnce sync.Once
)

// redisLog is go-redis's logger interface over slog. go-redis logs only
// trouble (failed dials, broken connections), hence WARN.
type redisLog struct{}

func (redisLog) Printf(ctx context.Context, format string, v ...any) {
	redisLogger.Load().WarnContext(ctx, strings.TrimPrefix(fmt.Sprintf(format, v...), "redis: "), "component", "redis")
}
