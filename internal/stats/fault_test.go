package stats

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

func TestCountsSurviveARedisOutage(t *testing.T) {
	// Its own server, killed and restarted on the same port; the
	// append-only file keeps what was written before the kill.
	srv := testredis.StartServer(t, "--appendonly", "yes", "--appendfsync", "always")
	client := redis.NewClient(&redis.Options{Addr: srv.Addr(), DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { client.Close() })
	reg := prometheus.NewRegistry()
	clk := &clock{t: testStart()}
	b := NewRecorder(Options{Redis: client, Prefix: "fault:", FlushInterval: 20 * time.Millisecond,
		Timeout: 300 * time.Millisecond, Now: clk.Now, Metrics: reg})
	t.Cleanup(func() { _ = b.Close(context.Background()) })

	views := 0
	send := func(n int) {
		for i := 0; i < n; i++ {
			views++
			b.Record(Event{Kind: PageView, Campaign: "ligestilling", Token: fmt.Sprintf("tok%d", views%7),
				IP: fmt.Sprintf("198.51.100.%d", views%50), UserAgent: chrome})
			b.Record(Event{Kind: Decline, Campaign: "ligestilling"})
			if i%10 == 0 {
				time.Sleep(time.Millisecond)
			}
		}
	}
	send(200)
	flush(t, b)

	srv.Kill()
	send(300) // while Redis is down
	deadline := time.Now().Add(5 * time.Second)
	for testutil.ToFloat64(b.met.flushErrors) == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no failed flush was counted while Redis was down")
		}
		time.Sleep(20 * time.Millisecond)
	}
	send(100)
	srv.Start()

	deadline = time.Now().Add(10 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		err := b.Flush(ctx)
		cancel()
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("pending counts never reached the restarted Redis: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if d := b.Dropped(); d != 0 {
		t.Fatalf("%d events dropped; the buffer bound was not reached, so none should be", d)
	}
	r := report(t, b, clk.Now().Add(-time.Hour), clk.Now().Add(time.Hour), Day)
	if r.Totals.PageViews != int64(views) || r.Raw.Declines != int64(views) {
		t.Errorf("after the outage: %d page views and %d declines, want exactly %d of each", r.Totals.PageViews, r.Raw.Declines, views)
	}
	// Every decline came from one anonymous sender: one decline counted.
	if r.Totals.Declines != 1 {
		t.Errorf("after the outage: %d declines counted once per visitor, want 1", r.Totals.Declines)
	}
	// Redis counts visitors in a HyperLogLog, which may merge two of 50
	// visitors whose hashes share a register. The yardstick is therefore
	// the same 50 visitor hashes added to a fresh HyperLogLog in one go:
	// a visitor lost in the outage shows up as a difference from it.
	if want := controlUniques(t, client, b, clk.Now(), 50); r.Totals.UniqueVisitors != want {
		t.Errorf("unique visitors = %d, want %d (50 visitors as one HyperLogLog counts them)", r.Totals.UniqueVisitors, want)
	}
	var top int64
	for _, inv := range r.TopInvitations {
		top += inv.PageViews
	}
	if top != int64(views) {
		t.Errorf("per-invitation page views add up to %d, want %d", top, views)
	}
}

func TestOverflowIsCountedNeverSilent(t *testing.T) {
	t.Run("a full buffer drops and counts", func(t *testing.T) {
		reg := prometheus.NewRegistry()
		// A recorder whose loop is not running: the channel fills.
		b := &Buffered{ch: make(chan Event, 2), met: newMetrics(reg)}
		for i := 0; i < 5; i++ {
			b.Record(Event{Kind: PageView, Campaign: "ligestilling"})
		}
		if b.Dropped() != 3 {
			t.Errorf("dropped = %d, want 3", b.Dropped())
		}
		if got := testutil.ToFloat64(b.met.dropped.WithLabelValues(dropBufferFull)); got != 3 {
			t.Errorf("sharecard_stats_events_dropped_total{reason=buffer_full} = %v, want 3", got)
		}
	})
	t.Run("pending counts beyond the bound are dropped and counted", func(t *testing.T) {
		clk := &clock{t: testStart()}
		// An unreachable Redis: nothing can be written, so counts pile up.
		client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
		t.Cleanup(func() { client.Close() })
		b := NewRecorder(Options{Redis: client, MaxPending: 50, FlushInterval: time.Hour, Now: clk.Now, Timeout: 100 * time.Millisecond})
		for i := 0; i < 100; i++ {
			b.Record(Event{Kind: Decline, Campaign: "ligestilling", Token: fmt.Sprint(i)})
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := b.Flush(ctx); err == nil {
			t.Fatal("flush to an unreachable Redis succeeded")
		}
		if b.Dropped() == 0 || b.Dropped() >= 100 {
			t.Errorf("dropped = %d, want some but not all of 100", b.Dropped())
		}
		if got := testutil.ToFloat64(b.met.dropped.WithLabelValues(dropPendingFull)); got != float64(b.Dropped()) {
			t.Errorf("pending_full metric = %v, want %d", got, b.Dropped())
		}
		if n := b.pending.size + sizeOf(b.retry); n > 50+4 {
			t.Errorf("pending and failed batches hold %d entries, bound is 50", n)
		}
	})
	t.Run("invalid events are dropped and counted", func(t *testing.T) {
		b := NewRecorder(Options{})
		b.Record(Event{Kind: "nonsense", Campaign: "ligestilling"})
		b.Record(Event{Kind: PageView})
		b.Record(Event{Kind: EngagedTime, Campaign: "ligestilling", Seconds: -1})
		b.Record(Event{Kind: PageView, Campaign: "<script>"})
		if err := b.Close(context.Background()); err != nil {
			t.Fatal(err)
		}
		b.Record(Event{Kind: PageView, Campaign: "ligestilling"})
		if b.Dropped() != 5 {
			t.Errorf("dropped = %d, want 5 (4 invalid, 1 after close)", b.Dropped())
		}
	})
}

// controlUniques is what a HyperLogLog that never saw an outage reports
// for the fault test's n visitors: their hashes under the day's salt,
// added at once to a key of their own.
func controlUniques(t *testing.T, client *redis.Client, b *Buffered, at time.Time, n int) int64 {
	t.Helper()
	ctx := context.Background()
	salt, err := client.Get(ctx, b.k.salt(at)).Bytes()
	if err != nil {
		t.Fatalf("read the day's salt: %v", err)
	}
	mac := hmac.New(sha256.New, salt)
	els := make([]any, n)
	for i := range els {
		els[i] = visitorHash(mac, "ligestilling", fmt.Sprintf("198.51.100.%d", i), chrome)
	}
	key := "fault:control"
	if err := client.PFAdd(ctx, key, els...).Err(); err != nil {
		t.Fatal(err)
	}
	want, err := client.PFCount(ctx, key).Result()
	if err != nil {
		t.Fatal(err)
	}
	// The union with the recorder's own set must not grow: otherwise the
	// recipe above no longer matches the recorder's and proves nothing.
	union, err := client.PFCount(ctx, key, b.k.uniques("ligestilling", at)).Result()
	if err != nil {
		t.Fatal(err)
	}
	if union != want {
		t.Fatalf("control and recorded visitors together count %d, the control alone %d: they are not the same visitors", union, want)
	}
	return want
}

// flakySalt is a store whose salt calls fail at once (refused), hang
// until released (a dropped network), or work.
type flakySalt struct {
	backend
	mode    atomic.Int32 // saltUp, saltRefused or saltHanging
	release chan struct{}
	calls   atomic.Int64
}

const (
	saltUp int32 = iota
	saltRefused
	saltHanging
)

func (f *flakySalt) salt(ctx context.Context, key string, candidate []byte, expireAt time.Time) ([]byte, error) {
	f.calls.Add(1)
	switch f.mode.Load() {
	case saltRefused:
		return nil, errors.New("connection refused")
	case saltHanging:
		select {
		case <-f.release:
		case <-ctx.Done():
		}
		return nil, errors.New("i/o timeout")
	}
	return f.backend.salt(ctx, key, candidate, expireAt)
}

// TestAnUnreachableSaltStoreDoesNotStallCounting: once the day's salt
// could not be confirmed, the retries run beside the recorder's loop, so
// folding events is not held up by a hanging store; when the store
// answers, the shared salt is taken.
func TestAnUnreachableSaltStoreDoesNotStallCounting(t *testing.T) {
	clk := &clock{t: testStart()}
	f := &flakySalt{backend: newMemory(clk.Now, "campaigns"), release: make(chan struct{})}
	f.mode.Store(saltRefused)
	s := newSalts(f, keys{prefix: "t:"}, clk.Now, time.Minute)

	// The day's first lookup waits for its attempt (so, normally, the first
	// visitors get the shared salt); the attempt fails.
	local := append([]byte(nil), s.forDay(clk.Now(), nil)...)
	if f.calls.Load() != 1 || local == nil {
		t.Fatalf("first lookup: %d calls, salt %x; want one call and a local salt", f.calls.Load(), local)
	}
	// Now the store hangs. A lookup due for a retry comes back at once,
	// with the local salt, while the retry waits in the background.
	f.mode.Store(saltHanging)
	clk.Set(clk.Now().Add(saltRetry))
	returned := make(chan []byte)
	go func() { returned <- s.forDay(clk.Now(), nil) }()
	select {
	case v := <-returned:
		if string(v) != string(local) {
			t.Errorf("while the store is away the salt changed")
		}
	case <-time.After(15 * time.Second):
		close(f.release)
		t.Fatal("a lookup waited for the hanging store")
	}
	close(f.release)
	r := <-s.results
	if r.err == nil {
		t.Fatal("the background retry against a hanging store succeeded")
	}
	s.settle(r)

	// The store is back, and another replica made the day's salt first.
	f.mode.Store(saltUp)
	shared := []byte("the-salt-another-replica-stored!")
	if _, err := f.backend.salt(context.Background(), s.keys.salt(dayStart(clk.Now())), shared, clk.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	clk.Set(clk.Now().Add(saltRetry))
	s.forDay(clk.Now(), nil)
	s.settle(<-s.results)
	if got := s.forDay(clk.Now(), nil); string(got) != string(shared) {
		t.Errorf("after the store returned the salt is %q, want the shared %q", got, shared)
	}
}
