package cache

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

// renderer is a render function that counts its calls and returns bytes
// derived from the key, so a wrong answer cannot pass for a right one.
type renderer struct {
	calls atomic.Int64
	delay time.Duration
}

func bodyFor(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return bytes.Repeat(h[:], 1000) // 32 KB, image-sized
}

func (r *renderer) for_(key string) func(context.Context) (Entry, error) {
	return func(ctx context.Context) (Entry, error) {
		r.calls.Add(1)
		if r.delay > 0 {
			select {
			case <-time.After(r.delay):
			case <-ctx.Done():
				return Entry{}, ctx.Err()
			}
		}
		return Entry{Body: bodyFor(key), ContentType: "image/png", ETag: `"` + key[len(key)-8:] + `"`}, nil
	}
}

func checkEntry(t testing.TB, key string, e Entry) {
	t.Helper()
	if !bytes.Equal(e.Body, bodyFor(key)) || e.ContentType != "image/png" {
		t.Errorf("wrong entry for %s: %d bytes, %q", key, len(e.Body), e.ContentType)
	}
}

// hammer asks n goroutines at once for key through the given caches (in
// turn), and checks every answer.
func hammer(t *testing.T, n int, key string, r *renderer, caches ...*Tiered) {
	t.Helper()
	var wg sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, n)
	for i := range n {
		c := caches[i%len(caches)]
		wg.Go(func() {
			<-start
			e, err := c.GetOrRender(context.Background(), key, r.for_(key))
			if err != nil {
				errs <- err
				return
			}
			if !bytes.Equal(e.Body, bodyFor(key)) {
				errs <- fmt.Errorf("wrong body: %d bytes", len(e.Body))
			}
		})
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// eventually waits until cond holds, polling, and fails the test when it
// still does not after a few seconds: a test waits on what it can observe,
// never on a guess of how long the other goroutine takes.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting after 15 s: %s", what)
		}
	}
}

// sharedRedis is the shared test Redis with a prefix of this test's own.
func sharedRedis(t testing.TB) (*redis.Client, string) {
	t.Helper()
	return testredis.Client(t)
}

func hits(t *Tiered, tier string) float64 { return testutil.ToFloat64(t.m.hits.WithLabelValues(tier)) }
func misses(t *Tiered, tier string) float64 {
	return testutil.ToFloat64(t.m.misses.WithLabelValues(tier))
}
func renders(t *Tiered) float64 { return testutil.ToFloat64(t.m.renders) }

// deadRedis returns a client for a loopback port nobody listens on.
func deadRedis(t *testing.T) *redis.Client {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	c := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { c.Close() })
	return c
}

// hungRedis returns a client for a server that accepts connections and
// never answers: the worst kind of failure, a timeout on every call.
func hungRedis(t *testing.T) *redis.Client {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var conns sync.WaitGroup
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns.Go(func() {
				buf := make([]byte, 4096)
				for {
					if _, err := c.Read(buf); err != nil {
						c.Close()
						return
					}
				}
			})
		}
	}()
	c := redis.NewClient(&redis.Options{Addr: l.Addr().String(), ContextTimeoutEnabled: true, MaxRetries: -1})
	t.Cleanup(func() { c.Close(); l.Close() })
	return c
}
