package cache

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/sharecard/sharecard/internal/testredis"
)

// TestRedisKilledAndRestarted stops a Redis in the middle of a run of
// requests and starts it again: every request gets the right bytes, and
// afterwards the Redis tier is used again without a restart of the cache.
func TestRedisKilledAndRestarted(t *testing.T) {
	srv := testredis.StartServer(t)
	// Without the memory tier every request goes through Redis, so the
	// outage is felt by every request rather than hidden by memory.
	c := New(Options{Redis: srv.Client(t), MemoryBytes: -1, RedisTimeout: 50 * time.Millisecond, BreakerOpen: 200 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	r := &renderer{}
	keys := make([]string, 20)
	for i := range keys {
		keys[i] = Key("fault", fmt.Sprint(i))
	}

	var answered, failed atomic.Int64
	run := func(stop <-chan struct{}) {
		var wg sync.WaitGroup
		for w := range 4 {
			wg.Go(func() {
				for i := w; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					key := keys[i%len(keys)]
					e, err := c.GetOrRender(context.Background(), key, r.for_(key))
					if err != nil {
						failed.Add(1)
						t.Errorf("request for %s: %v", key, err)
						return
					}
					checkEntry(t, key, e)
					answered.Add(1)
					time.Sleep(time.Millisecond)
				}
			})
		}
		wg.Wait()
	}
	phase := func(d time.Duration) {
		stop := make(chan struct{})
		time.AfterFunc(d, func() { close(stop) })
		run(stop)
	}

	phase(300 * time.Millisecond)
	if hits(c, "redis") == 0 {
		t.Fatal("no Redis hits before the outage: the test is not exercising Redis")
	}
	srv.Kill()
	skipped := testutil.ToFloat64(c.m.redisSkipped)
	// Long enough for the successes before the outage to leave the
	// breaker's window, so failures are the majority and it opens.
	phase(breakerWindow + 500*time.Millisecond)
	if h := c.Health(context.Background()); h.Redis != "degraded" {
		t.Errorf("Health during the outage = %+v, want degraded", h)
	}
	if testutil.ToFloat64(c.m.redisSkipped) == skipped {
		t.Error("the breaker never opened during the outage: every request paid a Redis timeout")
	}
	srv.Start()
	hitsAtRestart := hits(c, "redis")
	// The breaker half-opens after 200 ms, probes, and closes; the
	// restarted (empty) Redis is filled again and answers.
	deadline := time.Now().Add(5 * time.Second)
	for hits(c, "redis") < hitsAtRestart+50 && time.Now().Before(deadline) {
		phase(100 * time.Millisecond)
	}
	if got := hits(c, "redis") - hitsAtRestart; got < 50 {
		t.Errorf("%v Redis hits after the restart, want the Redis tier in use again", got)
	}
	if h := c.Health(context.Background()); h.Redis != "ok" || h.Breaker != "closed" {
		t.Errorf("Health after the restart = %+v, want ok with the breaker closed", h)
	}
	if failed.Load() != 0 {
		t.Errorf("%d of %d requests failed", failed.Load(), answered.Load()+failed.Load())
	}
	t.Logf("%d requests answered, %d renders, %v Redis hits (%v after the restart)", answered.Load(), r.calls.Load(), hits(c, "redis"), hits(c, "redis")-hitsAtRestart)
}
