package cache

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

func TestConcurrentMissesRenderOnce(t *testing.T) {
	tests := []struct {
		name  string
		build func(t *testing.T) []*Tiered
	}{
		{"200 requests in one process without Redis render once", func(t *testing.T) []*Tiered {
			return []*Tiered{NewMemoryOnly(64 << 20)}
		}},
		{"200 requests in one process with Redis render once", func(t *testing.T) []*Tiered {
			c, prefix := sharedRedis(t)
			return []*Tiered{New(Options{Redis: c, Prefix: prefix})}
		}},
		{"200 requests spread over two replicas sharing Redis render once", func(t *testing.T) []*Tiered {
			c, prefix := sharedRedis(t)
			return []*Tiered{New(Options{Redis: c, Prefix: prefix}), New(Options{Redis: c, Prefix: prefix})}
		}},
		{"200 requests over two replicas without their memory tier render once", func(t *testing.T) []*Tiered {
			c, prefix := sharedRedis(t)
			return []*Tiered{New(Options{Redis: c, Prefix: prefix, MemoryBytes: -1}), New(Options{Redis: c, Prefix: prefix, MemoryBytes: -1})}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			caches := tt.build(t)
			for _, c := range caches {
				t.Cleanup(func() { c.Close() })
			}
			r := &renderer{delay: 50 * time.Millisecond}
			key := Key(t.Name())
			hammer(t, 200, key, r, caches...)
			if n := r.calls.Load(); n != 1 {
				t.Errorf("%d renders for one key, want 1", n)
			}
			// And once it is cached, nobody renders again.
			hammer(t, 200, key, r, caches...)
			if n := r.calls.Load(); n != 1 {
				t.Errorf("%d renders after the key was cached, want 1", n)
			}
		})
	}
}

func TestSourcesAndARedisHitFillsMemory(t *testing.T) {
	c, prefix := sharedRedis(t)
	ctx := context.Background()
	a := New(Options{Redis: c, Prefix: prefix})
	b := New(Options{Redis: c, Prefix: prefix})
	t.Cleanup(func() { b.Close() })
	key := Key("sources")
	r := &renderer{}

	steps := []struct {
		name string
		c    *Tiered
		want Source
	}{
		{"a first request renders", a, Rendered},
		{"a second request on the same replica comes from memory", a, FromMemory},
		{"another replica finds it in Redis", b, FromRedis},
		{"and then has it in memory", b, FromMemory},
	}
	for i, s := range steps {
		res, err := s.c.GetOrRenderInfo(ctx, key, r.for_(key))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		checkEntry(t, key, res.Entry)
		if res.Source != s.want {
			t.Fatalf("%s: source %s, want %s", s.name, res.Source, s.want)
		}
		if b := res.Entry.Body; res.Source == FromRedis && cap(b) != len(b) {
			t.Errorf("%s: the body kept in memory has cap %d for %d bytes, want cap == len", s.name, cap(b), len(b))
		}
		if i == 0 {
			a.Close() // flush the asynchronous write
		}
	}
	if got := renders(b); got != 0 {
		t.Errorf("replica b rendered %v times, want 0", got)
	}
	if hits(b, "redis") != 1 || hits(b, "memory") != 1 || misses(b, "memory") != 1 {
		t.Errorf("replica b: redis hits %v, memory hits %v, memory misses %v; want 1, 1, 1", hits(b, "redis"), hits(b, "memory"), misses(b, "memory"))
	}
}

func TestACancelledCallerDoesNotCancelTheRender(t *testing.T) {
	c := NewMemoryOnly(1 << 20)
	key := Key("cancel")
	started := make(chan struct{})
	release := make(chan struct{})
	var renderErr atomic.Value
	render := func(ctx context.Context) (Entry, error) {
		close(started)
		<-release
		if err := ctx.Err(); err != nil {
			renderErr.Store(err)
			return Entry{}, err
		}
		return Entry{Body: bodyFor(key), ContentType: "image/png"}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error)
	go func() {
		_, err := c.GetOrRender(ctx, key, render)
		first <- err
	}()
	<-started
	second := make(chan Entry)
	go func() {
		e, _ := c.GetOrRender(context.Background(), key, func(context.Context) (Entry, error) {
			t.Error("a second render ran while the first was in flight")
			return Entry{}, nil
		})
		second <- e
	}()
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled caller got %v, want context.Canceled", err)
	}
	close(release)
	checkEntry(t, key, <-second)
	if err := renderErr.Load(); err != nil {
		t.Errorf("the render saw its context end: %v", err)
	}
	if _, ok := c.Cached(key); !ok {
		t.Error("the render's result was not cached")
	}
}

func TestFailedRenders(t *testing.T) {
	tests := []struct {
		name   string
		render func(context.Context) (Entry, error)
		want   string
	}{
		{"a render error reaches the caller", func(context.Context) (Entry, error) { return Entry{}, errors.New("font missing") }, "font missing"},
		{"a panicking render is an error, not a crash", func(context.Context) (Entry, error) { panic("nil template") }, "render panicked: nil template"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewMemoryOnly(1 << 20)
			key := Key(tt.name)
			if _, err := c.GetOrRender(context.Background(), key, tt.render); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
			// A failure is not cached: the next request renders again.
			r := &renderer{}
			e, err := c.GetOrRender(context.Background(), key, r.for_(key))
			if err != nil || r.calls.Load() != 1 {
				t.Fatalf("after a failure: %v, %d renders; want a fresh render", err, r.calls.Load())
			}
			checkEntry(t, key, e)
		})
	}
}

func TestAReplicaTakesOverWhenTheLockHolderDies(t *testing.T) {
	c, prefix := sharedRedis(t)
	key := Key("dead holder")
	// A replica took the lock and died: nobody will write the value.
	c.Set(context.Background(), prefix+key+":lock", "dead", 300*time.Millisecond)
	tc := New(Options{Redis: c, Prefix: prefix})
	t.Cleanup(func() { tc.Close() })
	r := &renderer{}
	start := time.Now()
	hammer(t, 50, key, r, tc)
	if n := r.calls.Load(); n != 1 {
		t.Errorf("%d renders, want 1 once the dead holder's lock expired", n)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Errorf("rendered after %v, before the lock expired: the lock was not respected", d)
	}
	if got := testutil.ToFloat64(tc.m.lockWaits); got != 1 {
		t.Errorf("lock waits = %v, want 1 (one load per process)", got)
	}
}

func TestAReplicaRendersWhenTheHolderFails(t *testing.T) {
	c, prefix := sharedRedis(t)
	key := Key("failing holder")
	a := New(Options{Redis: c, Prefix: prefix})
	b := New(Options{Redis: c, Prefix: prefix})
	t.Cleanup(func() { a.Close(); b.Close() })
	inA := make(chan struct{})
	failA := make(chan struct{})
	errA := make(chan error)
	go func() {
		_, err := a.GetOrRender(context.Background(), key, func(context.Context) (Entry, error) {
			close(inA)
			<-failA
			return Entry{}, errors.New("render failed")
		})
		errA <- err
	}()
	<-inA
	r := &renderer{}
	gotB := make(chan Entry)
	go func() {
		e, _ := b.GetOrRender(context.Background(), key, r.for_(key))
		gotB <- e
	}()
	// b counts a lock wait once it has found a's lock and starts polling.
	eventually(t, "b waits on a's lock", func() bool { return testutil.ToFloat64(b.m.lockWaits) == 1 })
	close(failA)
	if err := <-errA; err == nil {
		t.Error("a's failed render reported no error")
	}
	select {
	case e := <-gotB:
		checkEntry(t, key, e)
	case <-time.After(10 * time.Second):
		t.Fatal("b still waiting 10 s after a released its lock")
	}
	if r.calls.Load() != 1 {
		t.Errorf("b rendered %d times, want 1", r.calls.Load())
	}
}

func TestRedisDownIsNotAnOutage(t *testing.T) {
	tests := []struct {
		name string
		c    func(t *testing.T) *Tiered
	}{
		{"nobody listening", func(t *testing.T) *Tiered {
			return New(Options{Redis: deadRedis(t), RedisTimeout: 50 * time.Millisecond, BreakerOpen: time.Hour})
		}},
		{"a server that never answers", func(t *testing.T) *Tiered {
			return New(Options{Redis: hungRedis(t), RedisTimeout: 50 * time.Millisecond, BreakerOpen: time.Hour})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.c(t)
			t.Cleanup(func() { c.Close() })
			r := &renderer{}
			start := time.Now()
			for i := range 40 {
				key := Key(tt.name, string(rune('a'+i)))
				e, err := c.GetOrRender(context.Background(), key, r.for_(key))
				if err != nil {
					t.Fatalf("request %d: %v", i, err)
				}
				checkEntry(t, key, e)
			}
			// A handful of calls time out, then the breaker stops the rest.
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("40 requests took %v with Redis down, want the breaker to cut the timeouts", d)
			}
			h := c.Health(context.Background())
			if h.Redis != "degraded" || h.Breaker != "open" {
				t.Errorf("Health = %+v, want degraded with the breaker open", h)
			}
			if testutil.ToFloat64(c.m.redisSkipped) == 0 || testutil.CollectAndCount(c.m.redisErrors) == 0 {
				t.Error("Redis errors and skipped calls were not counted")
			}
		})
	}
}

func TestAFullWriteQueueDropsAndCounts(t *testing.T) {
	c := New(Options{Redis: hungRedis(t), RedisTimeout: 200 * time.Millisecond, WriteQueue: 1})
	t.Cleanup(func() { c.Close() })
	// renderLocal is where every render lands: memory now, Redis queued.
	// Asked directly, it skips the Redis reads that would trip the breaker
	// and let the writers give up at once.
	r := &renderer{}
	for i := range 20 {
		key := Key("drop", string(rune('a'+i)))
		if _, err := c.renderLocal(context.Background(), key, r.for_(key), ""); err != nil {
			t.Fatal(err)
		}
	}
	// Writers are stuck in timeouts and the queue holds one: most writes
	// are dropped, none blocked the caller.
	if got := testutil.ToFloat64(c.m.writesDropped); got < 10 {
		t.Errorf("%v writes dropped, want at least 10 of 20", got)
	}
	// The memory tier has them all.
	if _, ok := c.Cached(Key("drop", "t")); !ok {
		t.Error("a dropped write's entry is missing from memory")
	}
}

func TestHealth(t *testing.T) {
	c, prefix := sharedRedis(t)
	tests := []struct {
		name string
		c    *Tiered
		want Health
	}{
		{"memory only reports Redis disabled", NewMemoryOnly(0), Health{Redis: "disabled"}},
		{"a live Redis reports ok", New(Options{Redis: c, Prefix: prefix}), Health{Redis: "ok", Breaker: "closed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Cleanup(func() { tt.c.Close() })
			if got := tt.c.Health(context.Background()); got != tt.want {
				t.Errorf("Health = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestMetricsAreRegistered(t *testing.T) {
	c, prefix := sharedRedis(t)
	reg := prometheus.NewRegistry()
	tc := New(Options{Redis: c, Prefix: prefix, Metrics: reg})
	t.Cleanup(func() { tc.Close() })
	key := Key("metrics")
	r := &renderer{}
	for range 3 {
		if _, err := tc.GetOrRender(context.Background(), key, r.for_(key)); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]float64{
		"sharecard_cache_renders_total":       1,
		"sharecard_cache_redis_breaker_state": 0,
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, mf := range mfs {
		seen[mf.GetName()] = true
		if v, ok := want[mf.GetName()]; ok {
			m := mf.GetMetric()[0]
			got := m.GetCounter().GetValue() + m.GetGauge().GetValue()
			if got != v {
				t.Errorf("%s = %v, want %v", mf.GetName(), got, v)
			}
		}
	}
	for _, name := range []string{"sharecard_cache_hits_total", "sharecard_cache_misses_total", "sharecard_cache_renders_total",
		"sharecard_cache_memory_bytes", "sharecard_cache_redis_breaker_state"} {
		if !seen[name] {
			t.Errorf("metric %s not registered", name)
		}
	}
	if got := testutil.ToFloat64(tc.m.hits.WithLabelValues("memory")); got != 2 {
		t.Errorf("memory hits = %v, want 2", got)
	}
	// A second cache on the same registry logs, it does not panic.
	New(Options{Metrics: reg}).Close()
}

func TestCachedAnswersFromMemoryOnly(t *testing.T) {
	c := NewMemoryOnly(1 << 20)
	t.Cleanup(func() { c.Close() })
	key := Key("cached")
	if _, ok := c.Cached(key); ok {
		t.Fatal("an empty cache answered")
	}
	if _, err := c.GetOrRender(context.Background(), key, (&renderer{}).for_(key)); err != nil {
		t.Fatal(err)
	}
	e, ok := c.Cached(key)
	if !ok {
		t.Fatal("a rendered entry is not in memory")
	}
	checkEntry(t, key, e)
	// The miss before the render is counted once, by GetOrRender; each
	// Cached hit counts as a memory hit.
	if hits(c, "memory") != 1 || misses(c, "memory") != 1 {
		t.Errorf("memory hits %v, misses %v; want 1, 1", hits(c, "memory"), misses(c, "memory"))
	}
	if _, ok := New(Options{MemoryBytes: -1}).Cached(key); ok {
		t.Error("a cache without a memory tier answered")
	}
}

// TestALongRenderKeepsItsLock: a render that takes several lock lifetimes
// (waiting for a slot on a busy replica, say) renews its lock, so the
// other replica keeps waiting for the value instead of rendering too.
func TestALongRenderKeepsItsLock(t *testing.T) {
	c, prefix := sharedRedis(t)
	key := Key("long render")
	// Renewed every third of its life: at 150 ms a renewal late by 100 ms
	// on a loaded CI machine let the lock lapse; 600 ms leaves a margin
	// of 400 ms for the scheduler, and the render still outlives five.
	const ttl = 600 * time.Millisecond
	a := New(Options{Redis: c, Prefix: prefix, LockTTL: ttl, RedisTimeout: time.Second})
	b := New(Options{Redis: c, Prefix: prefix, LockTTL: ttl, RedisTimeout: time.Second})
	t.Cleanup(func() { a.Close(); b.Close() })
	r := &renderer{delay: 5 * ttl}
	hammer(t, 40, key, r, a, b)
	if n := r.calls.Load(); n != 1 {
		t.Errorf("%d renders of one image over two replicas, want 1: the lock expired during the render", n)
	}
	// Once the value is stored the lock is released, not left to expire.
	a.Close()
	if n, err := c.Exists(context.Background(), prefix+key+":lock").Result(); err != nil || n != 0 {
		t.Errorf("lock still there after the value was stored: %d %v", n, err)
	}
}

// beforeLock runs fn once, just before the first render-lock SET reaches
// Redis: the moment another replica's write and unlock can slip in.
type beforeLock struct {
	once sync.Once
	fn   func()
}

func (h *beforeLock) DialHook(next redis.DialHook) redis.DialHook { return next }
func (h *beforeLock) ProcessPipelineHook(next redis.ProcessPipelineHook) redis.ProcessPipelineHook {
	return next
}
func (h *beforeLock) ProcessHook(next redis.ProcessHook) redis.ProcessHook {
	return func(ctx context.Context, cmd redis.Cmder) error {
		if cmd.Name() == "set" && len(cmd.Args()) > 1 && strings.HasSuffix(fmt.Sprint(cmd.Args()[1]), ":lock") {
			h.once.Do(h.fn)
		}
		return next(ctx, cmd)
	}
}

// TestAValueStoredJustBeforeOurLockIsNotRenderedAgain: our first look
// misses, another replica then stores the value and releases its lock,
// and our lock succeeds without ever having seen theirs. The value is
// there, so it is served, not rendered a second time.
func TestAValueStoredJustBeforeOurLockIsNotRenderedAgain(t *testing.T) {
	c, prefix := sharedRedis(t)
	key := Key("stored just before our lock")
	other := New(Options{Redis: c, Prefix: prefix, MemoryBytes: -1})
	t.Cleanup(func() { other.Close() })
	theirs := Entry{Body: bodyFor(key), ContentType: "image/png", ETag: `"theirs"`}

	opt, err := redis.ParseURL(testredis.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	hooked := redis.NewClient(opt)
	hooked.AddHook(&beforeLock{fn: func() {
		if err := other.redis.Set(context.Background(), key, theirs); err != nil {
			t.Errorf("the other replica's write: %v", err)
		}
	}})
	t.Cleanup(func() { hooked.Close() })
	ours := New(Options{Redis: hooked, Prefix: prefix})
	t.Cleanup(func() { ours.Close() })

	r := &renderer{}
	var res Result
	res, err = ours.GetOrRenderInfo(context.Background(), key, r.for_(key))
	if err != nil {
		t.Fatal(err)
	}
	if n := r.calls.Load(); n != 0 || res.Source != FromRedis || res.Entry.ETag != `"theirs"` {
		t.Errorf("%d renders, source %v, ETag %s; want the other replica's value from Redis, no render", n, res.Source, res.Entry.ETag)
	}
}
