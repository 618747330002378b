package cache

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

// startSentinel starts a master and one Sentinel watching it, on loopback
// ports of their own, and returns the Sentinel's address and the master's
// name.
func startSentinel(t *testing.T) (sentinel, master string) {
	t.Helper()
	m := testredis.StartServer(t)
	port, dir := testredis.FreePort(t), t.TempDir()
	conf := filepath.Join(dir, "sentinel.conf")
	text := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nlogfile %s\nsentinel monitor sharecard %s %d 1\n",
		port, dir, filepath.Join(dir, "redis.log"), "127.0.0.1", m.Port)
	if err := os.WriteFile(conf, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	s := testredis.Run(t, port, dir, conf, "--sentinel")
	return s.Addr(), "sharecard"
}

// TestSentinelRendersOnce runs the replica promise through Sentinel: the
// UniversalClient the service builds from REDIS_ADDRS plus
// REDIS_SENTINEL_MASTER finds the master through the Sentinel.
func TestSentinelRendersOnce(t *testing.T) {
	addr, master := startSentinel(t)
	replica := func() *Tiered {
		c := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{addr}, MasterName: master, ContextTimeoutEnabled: true})
		t.Cleanup(func() { c.Close() })
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.Ping(ctx).Err(); err != nil {
			t.Fatalf("ping the master through the Sentinel: %v", err)
		}
		tc := New(Options{Redis: c, RedisTimeout: time.Second})
		t.Cleanup(func() { tc.Close() })
		return tc
	}
	a, b := replica(), replica()

	r := &renderer{delay: 50 * time.Millisecond}
	key := Key("sentinel", "one")
	hammer(t, 200, key, r, a, b)
	if n := r.calls.Load(); n != 1 {
		t.Errorf("%d renders, want 1", n)
	}
	a.Close() // flush the asynchronous write
	oc := redis.NewUniversalClient(&redis.UniversalOptions{Addrs: []string{addr}, MasterName: master})
	t.Cleanup(func() { oc.Close() })
	other := New(Options{Redis: oc, RedisTimeout: time.Second})
	t.Cleanup(func() { other.Close() })
	res, err := other.GetOrRenderInfo(context.Background(), key, r.for_(key))
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != FromRedis {
		t.Errorf("a third replica got it from %s, want redis", res.Source)
	}
}
