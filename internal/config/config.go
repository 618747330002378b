// Package config owns sharecard's settings: one Config struct read from
// SHARECARD_* environment variables and matching flags (a flag wins over its
// variable), every setting with a default, validated at start-up with a
// message naming the variable to fix.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the service and the CLI.
type Config struct {
	Env               string        // "development" or "production"
	Addr              string        // listen address
	MetricsAddr       string        // Prometheus listener; empty: none
	BaseURL           string        // public absolute URL, no trailing slash
	Secrets           []string      // signing keys; the first signs, all verify
	AdminToken        string        // bearer token for the admin API and dashboard
	RedisURL          string        // empty with no RedisAddrs = embedded mode
	RedisAddrs        []string      // cluster seeds, or Sentinels with RedisMaster (go-redis UniversalClient)
	RedisMaster       string        // Sentinel master name: REDIS_ADDRS are Sentinels
	DataDir           string        // generated dev secrets live here
	AssetsDir         string        // empty = embedded assets; a directory = live editing
	JPEGQuality       int           // 1..100
	CacheMemory       int64         // bytes of the in-process image cache
	CacheTTL          time.Duration // Redis image TTL
	RedisTimeout      time.Duration // per Redis call
	RenderConcurrency int           // renders at once
	RenderQueue       int           // renders waiting before 503
	SelfServiceRate   int           // self-service invitations per client per minute
	TrustProxy        bool          // take the client IP from X-Forwarded-For
	StatsBuffer       int           // events buffered before overflow
	StatsFlush        time.Duration // how often events go to Redis
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration
	IdleTimeout       time.Duration
	RequestTimeout    time.Duration // handler deadline for pages and images
	ShutdownTimeout   time.Duration // SIGTERM drain
	LogFormat         string        // "text" or "json"
	LogLevel          string        // debug, info, warn, error

	// Generated records which secrets were generated for development.
	Generated []string
}

// Production reports whether the service runs in production mode.
func (c Config) Production() bool { return c.Env == "production" }

// Embedded reports whether no Redis is configured.
func (c Config) Embedded() bool { return c.RedisURL == "" && len(c.RedisAddrs) == 0 }

// Setting describes one configuration entry, for flags and documentation.
type Setting struct {
	Env     string
	Flag    string
	Default string
	Usage   string
	set     func(c *Config, v string) error
}

// Settings lists every setting in documentation order.
func Settings() []Setting {
	cpus := strconv.Itoa(runtime.NumCPU())
	return []Setting{
		{"SHARECARD_ENV", "env", "development", "development or production; production refuses to start without SHARECARD_SECRET and SHARECARD_ADMIN_TOKEN",
			func(c *Config, v string) error {
				if v != "development" && v != "production" {
					return errors.New(`must be "development" or "production"`)
				}
				c.Env = v
				return nil
			}},
		{"SHARECARD_ADDR", "addr", ":8080", "listen address (host:port)",
			func(c *Config, v string) error {
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("must be host:port, e.g. :8080 (%v)", err)
				}
				c.Addr = v
				return nil
			}},
		{"SHARECARD_METRICS_ADDR", "metrics-addr", "127.0.0.1:9090", "listen address of the Prometheus /metrics endpoint, apart from the public port (loopback by default: the numbers include campaign totals); off: none",
			func(c *Config, v string) error {
				if v == "off" {
					c.MetricsAddr = ""
					return nil
				}
				if _, _, err := net.SplitHostPort(v); err != nil {
					return fmt.Errorf("must be host:port, e.g. 127.0.0.1:9090, or off (%v)", err)
				}
				c.MetricsAddr = v
				return nil
			}},
		{"SHARECARD_BASE_URL", "base-url", "", "public absolute URL of the service, used in og:image and links (default: http://localhost:PORT from SHARECARD_ADDR)",
			func(c *Config, v string) error { c.BaseURL = v; return nil }},
		{"SHARECARD_SECRET", "secret", "", "signing keys, comma-separated, at least 32 characters each; the first signs, all verify (development: generated into SHARECARD_DATA_DIR)",
			func(c *Config, v string) error {
				c.Secrets = nil
				for _, s := range strings.Split(v, ",") {
					if s = strings.TrimSpace(s); s != "" {
						if len(s) < 32 {
							return fmt.Errorf("each key needs at least 32 characters (one has %d); generate one with: openssl rand -base64 32", len(s))
						}
						c.Secrets = append(c.Secrets, s)
					}
				}
				return nil
			}},
		{"SHARECARD_ADMIN_TOKEN", "admin-token", "", "bearer token for the admin API and the dashboard login, at least 16 characters (development: generated into SHARECARD_DATA_DIR/admin-token)",
			func(c *Config, v string) error {
				if v != "" && len(v) < 16 {
					return fmt.Errorf("needs at least 16 characters, has %d", len(v))
				}
				c.AdminToken = v
				return nil
			}},
		{"REDIS_URL", "redis-url", "", "Redis for the image cache, counters and revocations, e.g. redis://127.0.0.1:6379/0 (empty: embedded, in-process only)",
			func(c *Config, v string) error { c.RedisURL = v; return nil }},
		{"REDIS_ADDRS", "redis-addrs", "", "Redis Cluster seed addresses, comma-separated host:port (instead of REDIS_URL)",
			func(c *Config, v string) error { c.RedisAddrs = splitList(v); return nil }},
		{"REDIS_SENTINEL_MASTER", "redis-sentinel-master", "", "with REDIS_ADDRS: the Sentinel master name, and REDIS_ADDRS are the Sentinels' addresses",
			func(c *Config, v string) error { c.RedisMaster = strings.TrimSpace(v); return nil }},
		{"SHARECARD_DATA_DIR", "data-dir", "./.data", "where development keys and, without Redis, the campaign store (campaigns/) are kept",
			func(c *Config, v string) error { c.DataDir = v; return nil }},
		{"SHARECARD_ASSETS_DIR", "assets-dir", "", "read fonts and the built-in campaigns from this directory instead of the embedded copy, and publish saved campaign files at once (hot reload)",
			func(c *Config, v string) error { c.AssetsDir = v; return nil }},
		{"SHARECARD_JPEG_QUALITY", "jpeg-quality", "88", "JPEG quality of the images, 1-100",
			func(c *Config, v string) error { return intIn(&c.JPEGQuality, v, 1, 100) }},
		{"SHARECARD_CACHE_MEMORY", "cache-memory", "256MiB", "size of the in-process image cache (bytes, or with KiB/MiB/GiB)",
			func(c *Config, v string) error { n, err := ParseBytes(v); c.CacheMemory = n; return err }},
		{"SHARECARD_CACHE_TTL", "cache-ttl", "720h", "how long images stay in Redis",
			func(c *Config, v string) error { return durationIn(&c.CacheTTL, v, time.Minute, 0) }},
		{"SHARECARD_REDIS_TIMEOUT", "redis-timeout", "100ms", "timeout of each Redis call",
			func(c *Config, v string) error { return durationIn(&c.RedisTimeout, v, time.Millisecond, time.Minute) }},
		{"SHARECARD_RENDER_CONCURRENCY", "render-concurrency", cpus, "renders running at once (default: the number of CPUs)",
			func(c *Config, v string) error { return intIn(&c.RenderConcurrency, v, 1, 1024) }},
		{"SHARECARD_RENDER_QUEUE", "render-queue", strconv.Itoa(4 * runtime.NumCPU()), "renders waiting for a slot before new ones get 503 with Retry-After",
			func(c *Config, v string) error { return intIn(&c.RenderQueue, v, 0, 100000) }},
		{"SHARECARD_SELF_SERVICE_RATE", "self-service-rate", "10", "self-service invitations one client may create per minute (and six times as many live-preview drafts, a limit of their own)",
			func(c *Config, v string) error { return intIn(&c.SelfServiceRate, v, 1, 100000) }},
		{"SHARECARD_TRUST_PROXY", "trust-proxy", "false", "take the client address from X-Forwarded-For (only behind a proxy that sets it)",
			func(c *Config, v string) error { b, err := strconv.ParseBool(v); c.TrustProxy = b; return err }},
		{"SHARECARD_STATS_BUFFER", "stats-buffer", "16384", "events buffered in-process before overflow is counted (the buffer is folded every 5 ms; 16384 is some 0.4 s at 40,000 requests a second, about 3 MiB)",
			func(c *Config, v string) error { return intIn(&c.StatsBuffer, v, 16, 1<<24) }},
		{"SHARECARD_STATS_FLUSH", "stats-flush", "1s", "how often buffered events are written to Redis",
			func(c *Config, v string) error { return durationIn(&c.StatsFlush, v, 10*time.Millisecond, time.Hour) }},
		{"SHARECARD_READ_HEADER_TIMEOUT", "read-header-timeout", "5s", "server timeout for reading request headers",
			func(c *Config, v string) error { return durationIn(&c.ReadHeaderTimeout, v, time.Millisecond, 0) }},
		{"SHARECARD_READ_TIMEOUT", "read-timeout", "30s", "server timeout for reading a whole request (batch bodies are up to 10 MiB)",
			func(c *Config, v string) error { return durationIn(&c.ReadTimeout, v, time.Millisecond, 0) }},
		{"SHARECARD_WRITE_TIMEOUT", "write-timeout", "60s", "server timeout for writing a response (long NDJSON streams extend their own)",
			func(c *Config, v string) error { return durationIn(&c.WriteTimeout, v, time.Millisecond, 0) }},
		{"SHARECARD_IDLE_TIMEOUT", "idle-timeout", "120s", "keep-alive idle timeout",
			func(c *Config, v string) error { return durationIn(&c.IdleTimeout, v, time.Millisecond, 0) }},
		{"SHARECARD_REQUEST_TIMEOUT", "request-timeout", "15s", "deadline for one page, image or API request",
			func(c *Config, v string) error { return durationIn(&c.RequestTimeout, v, time.Millisecond, 0) }},
		{"SHARECARD_SHUTDOWN_TIMEOUT", "shutdown-timeout", "20s", "how long SIGTERM waits for in-flight requests",
			func(c *Config, v string) error { return durationIn(&c.ShutdownTimeout, v, 0, 0) }},
		{"SHARECARD_LOG_FORMAT", "log-format", "text", "log format: text or json",
			func(c *Config, v string) error { return oneOf(&c.LogFormat, v, "text", "json") }},
		{"SHARECARD_LOG_LEVEL", "log-level", "info", "log level: debug, info, warn or error",
			func(c *Config, v string) error { return oneOf(&c.LogLevel, v, "debug", "info", "warn", "error") }},
	}
}

// Load registers every setting as a flag on fs (which may already hold a
// subcommand's own flags), parses args, and returns the validated Config.
// A flag given on the command line wins over its environment variable,
// which wins over the default.
func Load(fs *flag.FlagSet, args []string, getenv func(string) string) (Config, error) {
	settings := Settings()
	values := make([]*string, len(settings))
	for i, s := range settings {
		values[i] = fs.String(s.Flag, "", fmt.Sprintf("%s (env %s, default %q)", s.Usage, s.Env, s.Default))
	}
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })

	var c Config
	for i, s := range settings {
		v, from := s.Default, "default of "+s.Env
		if e := getenv(s.Env); e != "" {
			v, from = e, s.Env
		}
		if given[s.Flag] {
			v, from = *values[i], "-"+s.Flag
		}
		if err := s.set(&c, strings.TrimSpace(v)); err != nil {
			return Config{}, fmt.Errorf("%s=%q: %w", from, v, err)
		}
	}
	return c, c.validate()
}

func (c *Config) validate() error {
	if c.BaseURL == "" {
		_, port, _ := net.SplitHostPort(c.Addr)
		c.BaseURL = "http://localhost:" + port
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("SHARECARD_BASE_URL=%q: must be an absolute http(s) URL without query, e.g. https://invitation.example.dk", c.BaseURL)
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.RedisURL != "" && len(c.RedisAddrs) > 0 {
		return errors.New("REDIS_URL and REDIS_ADDRS are both set: use REDIS_URL for one server, REDIS_ADDRS for a cluster")
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss" && u.Scheme != "unix") {
			return fmt.Errorf("REDIS_URL=%q: must look like redis://host:6379/0", c.RedisURL)
		}
	}
	if c.RedisMaster != "" && len(c.RedisAddrs) == 0 {
		return errors.New("REDIS_SENTINEL_MASTER is set without REDIS_ADDRS: list the Sentinels' host:port there")
	}
	for _, a := range c.RedisAddrs {
		if _, _, err := net.SplitHostPort(a); err != nil {
			return fmt.Errorf("REDIS_ADDRS: %q is not host:port", a)
		}
	}
	if c.Production() {
		if len(c.Secrets) == 0 {
			return errors.New("SHARECARD_SECRET is required in production (SHARECARD_ENV=production): set one or more keys of at least 32 characters, e.g. from: openssl rand -base64 32")
		}
		if u.Scheme != "https" && u.Hostname() != "localhost" && u.Hostname() != "127.0.0.1" {
			return fmt.Errorf("SHARECARD_BASE_URL=%q: production needs an https URL (platforms fetch og:image from it)", c.BaseURL)
		}
	}
	return nil
}

// ValidateServe adds the checks only the service needs: in production it
// must have an admin token (the CLI mints offline and needs none).
func (c Config) ValidateServe() error {
	if c.Production() && c.AdminToken == "" {
		return errors.New("SHARECARD_ADMIN_TOKEN is required in production (SHARECARD_ENV=production)")
	}
	return nil
}

func splitList(v string) []string {
	var out []string
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func intIn(dst *int, v string, lo, hi int) error {
	n, err := strconv.Atoi(v)
	if err != nil {
		return errors.New("must be a whole number")
	}
	if n < lo || n > hi {
		return fmt.Errorf("must be between %d and %d", lo, hi)
	}
	*dst = n
	return nil
}

func durationIn(dst *time.Duration, v string, lo, hi time.Duration) error {
	d, err := time.ParseDuration(v)
	if err != nil {
		return errors.New("must be a duration such as 100ms, 30s or 720h")
	}
	if d < lo || hi > 0 && d > hi {
		if hi > 0 {
			return fmt.Errorf("must be between %s and %s", lo, hi)
		}
		return fmt.Errorf("must be at least %s", lo)
	}
	*dst = d
	return nil
}

func oneOf(dst *string, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			*dst = v
			return nil
		}
	}
	return fmt.Errorf("must be one of %s", strings.Join(allowed, ", "))
}

// ParseBytes reads a size such as 268435456, 256MiB, 512KiB or 1GiB (KB,
// MB and GB mean the same powers of 1024).
func ParseBytes(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.m
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > (1<<50)/mult {
		return 0, errors.New("must be a size such as 256MiB")
	}
	return n * mult, nil
}
