package cache

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/sony/gobreaker/v2"
)

// Defaults for the Redis tier, used where Options leave a field zero.
const (
	DefaultTTL          = 30 * 24 * time.Hour
	DefaultRedisTimeout = 100 * time.Millisecond
	DefaultBreakerOpen  = 5 * time.Second
	// breakerTrips is how many Redis failures in a row open the breaker:
	// enough not to trip on one slow call, few enough that a dead Redis
	// costs a handful of timeouts, not one per request.
	breakerTrips = 5
	// breakerWindow is the rolling window in which at least half the calls
	// must have failed too. Under CPU overload a burst of timeouts among
	// mostly good calls is common; opening then would turn every Redis
	// hit into a render, far dearer than the slow GET it replaces.
	breakerWindow = 2 * time.Second
)

// ErrRedisUnavailable is returned instead of calling Redis while the
// circuit breaker is open (or half-open and already probing).
var ErrRedisUnavailable = errors.New("redis unavailable: circuit breaker open")

// unlockScript deletes a lock only if it still holds our token, so a render
// that outlived its lock never releases another replica's lock.
var unlockScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)

// extendScript renews a lock's time to live only if it still holds our
// token, so a holder never extends a lock another replica has taken over.
var extendScript = redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end return 0`)

// Redis is the shared tier: values in Redis with a TTL, each call under a
// short timeout and behind a circuit breaker, so a slow or dead Redis costs
// little and is not asked again for a while. It works with a single node,
// Sentinel or a Cluster alike (redis.UniversalClient); every command names
// one key, so no command crosses cluster slots.
type Redis struct {
	client  redis.UniversalClient
	prefix  string
	ttl     time.Duration
	timeout time.Duration
	breaker *gobreaker.TwoStepCircuitBreaker[struct{}]
	m       *metrics
	log     *slog.Logger
}

// RedisOptions configure a Redis tier; zero fields take the defaults.
type RedisOptions struct {
	Prefix      string        // prepended to every key (a namespace for shared Redis servers)
	TTL         time.Duration // default 30 days
	Timeout     time.Duration // per call, default 100 ms
	BreakerOpen time.Duration // how long the breaker stays open before probing, default 5 s
	Log         *slog.Logger
}

// NewRedis returns the Redis tier on client. The client stays the caller's
// to close. Build it with ContextTimeoutEnabled so a hung server is given
// up on after Timeout rather than the client's read timeout.
func NewRedis(client redis.UniversalClient, o RedisOptions) *Redis {
	return newRedis(client, o, newMetrics())
}

func newRedis(client redis.UniversalClient, o RedisOptions, m *metrics) *Redis {
	o.TTL = orDefault(o.TTL, DefaultTTL)
	o.Timeout = orDefault(o.Timeout, DefaultRedisTimeout)
	o.BreakerOpen = orDefault(o.BreakerOpen, DefaultBreakerOpen)
	o.Log = cmp.Or(o.Log, slog.New(slog.DiscardHandler))
	r := &Redis{client: client, prefix: o.Prefix, ttl: o.TTL, timeout: o.Timeout, m: m, log: o.Log}
	r.breaker = gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
		Name:         "redis",
		MaxRequests:  1,
		Timeout:      o.BreakerOpen,
		Interval:     breakerWindow,
		BucketPeriod: breakerWindow / 10,
		ReadyToTrip:  readyToTrip,
		OnStateChange: func(_ string, from, to gobreaker.State) {
			r.log.Warn("redis circuit breaker", "from", from.String(), "to", to.String())
		},
		IsSuccessful: func(err error) bool { return err == nil || errors.Is(err, redis.Nil) },
		IsExcluded:   func(err error) bool { return errors.Is(err, context.Canceled) },
	})
	return r
}

// readyToTrip opens the breaker on breakerTrips failures in a row that
// are also at least half the calls of the window.
func readyToTrip(c gobreaker.Counts) bool {
	return c.ConsecutiveFailures >= breakerTrips && 2*c.TotalFailures >= c.Requests
}

// do runs one Redis call under the breaker and the timeout. A caller that
// gave up (its own context done) says nothing about Redis and is not
// counted against it.
func (r *Redis) do(ctx context.Context, op string, call func(context.Context) error) error {
	done, err := r.breaker.Allow()
	if err != nil {
		r.m.redisSkipped.Inc()
		return fmt.Errorf("redis %s: %w", op, ErrRedisUnavailable)
	}
	cctx, cancel := context.WithTimeout(ctx, r.timeout)
	err = call(cctx)
	cancel()
	switch {
	case err == nil || errors.Is(err, redis.Nil):
		done(nil)
		return err
	case ctx.Err() != nil:
		done(context.Canceled)
		return fmt.Errorf("redis %s: %w", op, ctx.Err())
	default:
		done(err)
		r.m.redisErrors.WithLabelValues(op).Inc()
		return fmt.Errorf("redis %s: %w", op, err)
	}
}

func (r *Redis) key(k string) string { return r.prefix + k }

func (r *Redis) lockKey(k string) string { return r.prefix + k + ":lock" }

// Get returns the entry for key. A value that does not decode (written by
// something else, or truncated) is reported as an error and treated by the
// tiered cache as a miss.
func (r *Redis) Get(ctx context.Context, key string) (Entry, bool, error) {
	var b []byte
	err := r.do(ctx, "get", func(ctx context.Context) error {
		var err error
		b, err = r.client.Get(ctx, r.key(key)).Bytes()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return Entry{}, false, nil
	}
	if err != nil {
		return Entry{}, false, err
	}
	e, err := decode(b)
	if err != nil {
		r.m.redisErrors.WithLabelValues("decode").Inc()
		return Entry{}, false, fmt.Errorf("redis value %s: %w", key, err)
	}
	return e, true, nil
}

// Set stores e under key with the TTL.
func (r *Redis) Set(ctx context.Context, key string, e Entry) error {
	b, err := encode(e)
	if err != nil {
		return fmt.Errorf("encode %s: %w", key, err)
	}
	return r.do(ctx, "set", func(ctx context.Context) error {
		return r.client.Set(ctx, r.key(key), b, r.ttl).Err()
	})
}

// lock takes the render lock of key for ttl with SET NX PX; token proves
// ownership when it is released.
func (r *Redis) lock(ctx context.Context, key, token string, ttl time.Duration) (bool, error) {
	var ok bool
	err := r.do(ctx, "lock", func(ctx context.Context) error {
		var err error
		ok, err = r.client.SetNX(ctx, r.lockKey(key), token, ttl).Result()
		return err
	})
	return ok, err
}

// locked reports whether some replica holds the render lock of key.
func (r *Redis) locked(ctx context.Context, key string) (bool, error) {
	var n int64
	err := r.do(ctx, "lock", func(ctx context.Context) error {
		var err error
		n, err = r.client.Exists(ctx, r.lockKey(key)).Result()
		return err
	})
	return n > 0, err
}

// extend renews the render lock of key for ttl if token still holds it,
// and reports whether it did.
func (r *Redis) extend(ctx context.Context, key, token string, ttl time.Duration) (bool, error) {
	var n int64
	err := r.do(ctx, "lock", func(ctx context.Context) error {
		var err error
		n, err = extendScript.Run(ctx, r.client, []string{r.lockKey(key)}, token, ttl.Milliseconds()).Int64()
		return err
	})
	return n == 1, err
}

// unlock releases the render lock of key if token still holds it.
func (r *Redis) unlock(ctx context.Context, key, token string) error {
	return r.do(ctx, "unlock", func(ctx context.Context) error {
		return unlockScript.Run(ctx, r.client, []string{r.lockKey(key)}, token).Err()
	})
}

// ping asks Redis whether it answers, through the breaker.
func (r *Redis) ping(ctx context.Context) error {
	return r.do(ctx, "ping", func(ctx context.Context) error { return r.client.Ping(ctx).Err() })
}

// BreakerState is "closed" (Redis in use), "open" (not called) or
// "half-open" (one probe call allowed).
func (r *Redis) BreakerState() string { return r.breaker.State().String() }
