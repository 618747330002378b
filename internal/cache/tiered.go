package cache

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
	"golang.org/x/sync/singleflight"
)

// Defaults for the tiered cache, used where Options leave a field zero.
const (
	DefaultLockTTL       = 5 * time.Second
	DefaultRenderTimeout = 30 * time.Second
	DefaultWriteQueue    = 1024
	// writers drain the asynchronous Redis writes; a few, so one slow
	// write does not hold up the rest.
	writers = 4
	// pollMin and pollMax bound the backoff of a replica waiting for
	// another's render: the first look comes soon (renders take tens of
	// milliseconds), later ones do not hammer Redis.
	pollMin = 2 * time.Millisecond
	pollMax = 50 * time.Millisecond
	// closeWait bounds how long Close drains queued writes.
	closeWait = 2 * time.Second
)

// Options configure the tiered cache. A nil Redis means memory only.
type Options struct {
	Redis        redis.UniversalClient
	MemoryBytes  int64         // bound of the in-process tier (0: 256 MiB; < 0: no memory tier)
	TTL          time.Duration // Redis TTL (default 30 days)
	RedisTimeout time.Duration // per Redis call (default 100 ms)
	Log          *slog.Logger
	Metrics      prometheus.Registerer // may be nil

	// Prefix is prepended to every Redis key, to share one Redis between
	// deployments (or tests). Empty: keys are used as Key builds them.
	Prefix string
	// LockTTL is how long a replica's render lock lives; waiting replicas
	// render themselves once it expires (default 5 s). Keep it above the
	// slowest render, queueing included.
	LockTTL time.Duration
	// RenderTimeout bounds one render and the wait for another replica's,
	// independent of the callers' contexts (default 30 s).
	RenderTimeout time.Duration
	// BreakerOpen is how long Redis is left alone after the breaker trips
	// before one probe call is let through (default 5 s).
	BreakerOpen time.Duration
	// WriteQueue bounds the asynchronous Redis writes waiting (default
	// 1024); a write finding it full is dropped and counted.
	WriteQueue int
}

// Source says where GetOrRenderInfo's entry came from.
type Source uint8

// The places an entry comes from.
const (
	FromMemory Source = iota + 1 // the in-process tier
	FromRedis                    // the Redis tier (possibly after waiting for another replica's render)
	Rendered                     // a render in this process
)

func (s Source) String() string {
	switch s {
	case FromMemory:
		return "memory"
	case FromRedis:
		return "redis"
	case Rendered:
		return "render"
	}
	return "unknown"
}

// Result is an entry with where it came from.
type Result struct {
	Entry  Entry
	Source Source
	// Shared is true when this call joined a load another call in this
	// process had started; the render, if any, ran once for both.
	Shared bool
}

// Tiered answers from memory, then Redis, then renders once: concurrent
// misses in one process share one load (singleflight), and replicas share a
// Redis lock so only one of them renders while the others wait for the
// value. Every Redis failure degrades to rendering and serving from memory.
type Tiered struct {
	mem   *Memory // nil when the memory tier is disabled
	redis *Redis  // nil in memory-only mode
	m     *metrics
	log   *slog.Logger

	flight        singleflight.Group
	lockTTL       time.Duration
	renderTimeout time.Duration

	writes    chan write
	stop      chan struct{}
	wg        sync.WaitGroup
	closeOnce sync.Once
	closed    atomic.Bool
}

// write is one asynchronous Redis write; token, when set, is the render
// lock released once the value is stored (never before, or a waiting
// replica could find neither lock nor value and render again).
type write struct {
	key   string
	e     Entry
	token string
	keep  func() // stops renewing the lock; nil without a lock
}

// New builds the cache described by o. MemoryBytes < 0 disables the memory
// tier (every hit then comes from Redis; for measurements).
func New(o Options) *Tiered {
	o.Log = cmp.Or(o.Log, slog.New(slog.DiscardHandler))
	o.LockTTL = orDefault(o.LockTTL, DefaultLockTTL)
	o.RenderTimeout = orDefault(o.RenderTimeout, DefaultRenderTimeout)
	o.WriteQueue = orDefault(o.WriteQueue, DefaultWriteQueue)
	t := &Tiered{m: newMetrics(), log: o.Log, lockTTL: o.LockTTL, renderTimeout: o.RenderTimeout, stop: make(chan struct{})}
	if o.MemoryBytes >= 0 {
		t.mem = NewMemory(o.MemoryBytes)
		warnAboveMemoryLimit(t.mem.MaxBytes(), debug.SetMemoryLimit(-1), o.Log)
	}
	if o.Redis != nil {
		t.redis = newRedis(o.Redis, RedisOptions{Prefix: o.Prefix, TTL: o.TTL, Timeout: o.RedisTimeout, BreakerOpen: o.BreakerOpen, Log: o.Log}, t.m)
		t.writes = make(chan write, o.WriteQueue)
		for range writers {
			t.wg.Add(1)
			go t.writer()
		}
	}
	if o.Metrics != nil {
		if err := t.m.register(o.Metrics, t); err != nil {
			o.Log.Warn("cache metrics not registered", "err", err)
		}
	}
	return t
}

// NewMemoryOnly is the embedded default: no Redis.
func NewMemoryOnly(maxBytes int64) *Tiered { return New(Options{MemoryBytes: maxBytes}) }

// GetOrRender returns the cached entry for key, or calls render once and
// stores its result. See GetOrRenderInfo.
func (t *Tiered) GetOrRender(ctx context.Context, key string, render func(context.Context) (Entry, error)) (Entry, error) {
	r, err := t.GetOrRenderInfo(ctx, key, render)
	return r.Entry, err
}

// Cached answers from the memory tier alone, without a context: a hit,
// the common case, then costs the caller no deadline or other set-up. A
// miss is not counted here; the GetOrRender that follows counts it.
func (t *Tiered) Cached(key string) (Entry, bool) {
	if t.mem == nil {
		return Entry{}, false
	}
	e, ok := t.mem.Get(key)
	if ok {
		t.m.memoryHits.Inc()
	}
	return e, ok
}

// GetOrRenderInfo returns the entry for key and where it came from. On a
// miss, render runs at most once in this process however many callers ask,
// and, with Redis, at most once across replicas while the lock holder is
// alive. render gets a context detached from ctx (values kept, cancellation
// not) bounded by RenderTimeout: a caller that goes away stops waiting but
// does not cancel the render others wait for. A failed render is not cached.
func (t *Tiered) GetOrRenderInfo(ctx context.Context, key string, render func(context.Context) (Entry, error)) (Result, error) {
	if t.mem != nil {
		if e, ok := t.mem.Get(key); ok {
			t.m.memoryHits.Inc()
			return Result{Entry: e, Source: FromMemory}, nil
		}
		t.m.memoryMisses.Inc()
	}
	lctx := context.WithoutCancel(ctx)
	ch := t.flight.DoChan(key, func() (any, error) {
		ctx, cancel := context.WithTimeout(lctx, t.renderTimeout)
		defer cancel()
		return t.load(ctx, key, render)
	})
	select {
	case r := <-ch:
		if r.Err != nil {
			return Result{}, r.Err
		}
		res := r.Val.(Result)
		res.Shared = r.Shared
		return res, nil
	case <-ctx.Done():
		return Result{}, fmt.Errorf("cache %s: %w", key, ctx.Err())
	}
}

// load runs once per key at a time in this process.
func (t *Tiered) load(ctx context.Context, key string, render func(context.Context) (Entry, error)) (Result, error) {
	// A load that finished just before this one started has filled memory.
	if t.mem != nil {
		if e, ok := t.mem.Get(key); ok {
			return Result{Entry: e, Source: FromMemory}, nil
		}
	}
	if t.redis == nil {
		return t.renderLocal(ctx, key, render, "")
	}
	if e, ok := t.getRedis(ctx, key); ok {
		return Result{Entry: e, Source: FromRedis}, nil
	}
	return t.renderShared(ctx, key, render)
}

// getRedis asks the Redis tier, counting and filling memory on a hit. An
// error is a miss: the caller goes on to render.
func (t *Tiered) getRedis(ctx context.Context, key string) (Entry, bool) {
	e, ok, err := t.redis.Get(ctx, key)
	switch {
	case err != nil:
		if !errors.Is(err, ErrRedisUnavailable) {
			t.log.Debug("cache redis get", "key", key, "err", err)
		}
		return Entry{}, false
	case !ok:
		t.m.redisMisses.Inc()
		return Entry{}, false
	}
	t.m.redisHits.Inc()
	t.setMemory(key, e)
	return e, true
}

// renderShared renders under the replicas' lock: the holder renders, the
// others poll for the value with backoff and take the lock over if it is
// released without a value (failed render) or expires (dead holder). Any
// Redis error ends the waiting: rendering twice beats not answering.
func (t *Tiered) renderShared(ctx context.Context, key string, render func(context.Context) (Entry, error)) (Result, error) {
	token := newToken()
	waited := false
	for {
		got, err := t.redis.lock(ctx, key, token, t.lockTTL)
		if err != nil {
			return t.renderLocal(ctx, key, render, "")
		}
		if got {
			// Another replica may have stored the value and released its
			// lock between our last look and our lock, whether we waited
			// for it or never saw its lock at all (our first look came
			// just before its write): look once more before rendering.
			if e, ok, err := t.redis.Get(ctx, key); err == nil && ok {
				t.m.redisHits.Inc()
				t.setMemory(key, e)
				t.release(key, token)
				return Result{Entry: e, Source: FromRedis}, nil
			}
			return t.renderLocal(ctx, key, render, token)
		}
		if !waited {
			waited = true
			t.m.lockWaits.Inc()
		}
		e, ok, err := t.waitForValue(ctx, key)
		if err != nil {
			return t.renderLocal(ctx, key, render, "")
		}
		if ok {
			t.m.redisHits.Inc()
			t.setMemory(key, e)
			return Result{Entry: e, Source: FromRedis}, nil
		}
	}
}

// waitForValue polls until the value appears (ok) or the lock is gone
// (!ok: try to take it). It gives up with an error when Redis fails or ctx
// (the render timeout) ends.
func (t *Tiered) waitForValue(ctx context.Context, key string) (Entry, bool, error) {
	delay := pollMin
	timer := time.NewTimer(delay)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return Entry{}, false, ctx.Err()
		case <-timer.C:
		}
		e, ok, err := t.redis.Get(ctx, key)
		if err != nil {
			return Entry{}, false, err
		}
		if ok {
			return e, true, nil
		}
		held, err := t.redis.locked(ctx, key)
		if err != nil {
			return Entry{}, false, err
		}
		if !held {
			return Entry{}, false, nil
		}
		delay = min(2*delay, pollMax)
		timer.Reset(delay)
	}
}

// renderLocal runs render, stores the result in memory and queues it for
// Redis; token is the lock to release after the write ("" for none).
func (t *Tiered) renderLocal(ctx context.Context, key string, render func(context.Context) (Entry, error), token string) (Result, error) {
	t.m.renders.Inc()
	var stop func()
	if token != "" {
		stop = t.keepLock(key, token)
	}
	e, err := safeRender(ctx, render)
	if err != nil {
		t.m.renderErrors.Inc()
		if token != "" {
			stop()
			t.release(key, token)
		}
		return Result{}, err
	}
	t.setMemory(key, e)
	if t.redis != nil {
		t.enqueue(write{key: key, e: e, token: token, keep: stop})
	}
	return Result{Entry: e, Source: Rendered}, nil
}

// keepLock renews the render lock every third of its time to live until
// the returned func is called (the value is stored, or will not be): a
// render that waits for a slot on a busy replica, or a write that waits
// in the queue, must not outlive its lock, or the waiting replicas would
// render too. It stops by itself when the lock is no longer ours.
func (t *Tiered) keepLock(key, token string) (stop func()) {
	done := make(chan struct{})
	var once sync.Once
	go func() {
		tick := time.NewTicker(t.lockTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.stop:
				return
			case <-tick.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), t.redis.timeout)
			held, err := t.redis.extend(ctx, key, token, t.lockTTL)
			cancel()
			if err == nil && !held {
				return
			}
		}
	}()
	return func() { once.Do(func() { close(done) }) }
}

// safeRender turns a panicking render into an error: the render runs on a
// goroutine of its own, where a panic would end the process.
func safeRender(ctx context.Context, render func(context.Context) (Entry, error)) (e Entry, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("render panicked: %v", p)
		}
	}()
	return render(ctx)
}

func (t *Tiered) setMemory(key string, e Entry) {
	if t.mem != nil {
		t.mem.Set(key, e)
	}
}

// release drops a render lock that will get no value (failed render, or a
// value another replica stored). Best-effort: the lock expires anyway.
func (t *Tiered) release(key, token string) {
	ctx, cancel := context.WithTimeout(context.Background(), t.redis.timeout)
	defer cancel()
	_ = t.redis.unlock(ctx, key, token)
}

// enqueue hands a write to the writers without waiting. A full queue means
// Redis is slower than the renders; the write is dropped and counted, and
// its lock released so waiting replicas stop waiting.
func (t *Tiered) enqueue(w write) {
	if !t.closed.Load() {
		select {
		case t.writes <- w:
			return
		default:
		}
	}
	t.m.writesDropped.Inc()
	if w.token != "" {
		w.keep()
		t.release(w.key, w.token)
	}
}

func (t *Tiered) writer() {
	defer t.wg.Done()
	for {
		select {
		case w := <-t.writes:
			t.store(w)
		case <-t.stop:
			// Drain what is queued, bounded by Close's wait.
			for {
				select {
				case w := <-t.writes:
					t.store(w)
				default:
					return
				}
			}
		}
	}
}

func (t *Tiered) store(w write) {
	ctx := context.Background()
	if err := t.redis.Set(ctx, w.key, w.e); err != nil && !errors.Is(err, ErrRedisUnavailable) {
		t.log.Debug("cache redis set", "key", w.key, "err", err)
	}
	if w.token != "" {
		w.keep()
		_ = t.redis.unlock(ctx, w.key, w.token)
	}
}

func newToken() string {
	var b [12]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Health is the cache's view of its dependencies for /readyz. A degraded
// Redis is not an outage: the service answers from memory and renders.
type Health struct {
	Redis   string `json:"redis"` // "disabled", "ok", "degraded"
	Breaker string `json:"breaker,omitempty"`
	Detail  string `json:"detail,omitempty"`
}

// Health reports the state of the Redis tier: "disabled" without Redis,
// "degraded" while the breaker is not closed or Redis does not answer a
// PING within RedisTimeout, else "ok".
func (t *Tiered) Health(ctx context.Context) Health {
	if t.redis == nil {
		return Health{Redis: "disabled"}
	}
	state := t.redis.BreakerState()
	if state != "closed" {
		return Health{Redis: "degraded", Breaker: state, Detail: "Redis calls suspended after errors; serving from memory and rendering"}
	}
	if err := t.redis.ping(ctx); err != nil {
		return Health{Redis: "degraded", Breaker: t.redis.BreakerState(), Detail: err.Error()}
	}
	return Health{Redis: "ok", Breaker: state}
}

// Close stops the asynchronous Redis writes, draining the queue for up to
// two seconds. It does not close the Redis client, which is the caller's.
// The cache keeps answering after Close, without writing to Redis.
func (t *Tiered) Close() error {
	t.closeOnce.Do(func() {
		t.closed.Store(true)
		close(t.stop)
		done := make(chan struct{})
		go func() { t.wg.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(closeWait):
			t.log.Warn("cache closed with Redis writes still queued", "queued", len(t.writes))
		}
		if t.mem != nil {
			t.mem.close()
		}
	})
	return nil
}
