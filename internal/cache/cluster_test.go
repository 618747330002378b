package cache

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

// TestClusterRendersOnce runs the replica tests against a real three-master
// Redis Cluster: the same code (redis.UniversalClient), the same promise.
func TestClusterRendersOnce(t *testing.T) {
	addrs := testredis.StartCluster(t, 3)
	replica := func() *Tiered {
		c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, ContextTimeoutEnabled: true})
		t.Cleanup(func() { c.Close() })
		// Learn the slot map before the clock starts.
		if err := c.ForEachShard(context.Background(), func(ctx context.Context, s *redis.Client) error { return s.Ping(ctx).Err() }); err != nil {
			t.Fatal(err)
		}
		tc := New(Options{Redis: c, RedisTimeout: time.Second})
		t.Cleanup(func() { tc.Close() })
		return tc
	}
	a, b := replica(), replica()

	t.Run("200 requests over two replicas render once", func(t *testing.T) {
		r := &renderer{delay: 50 * time.Millisecond}
		key := Key("cluster", "one")
		hammer(t, 200, key, r, a, b)
		if n := r.calls.Load(); n != 1 {
			t.Errorf("%d renders, want 1", n)
		}
	})

	t.Run("what one replica renders the other finds in the cluster", func(t *testing.T) {
		r := &renderer{}
		var keys []string
		for i := range 30 {
			key := Key("cluster", fmt.Sprint(i))
			keys = append(keys, key)
			if _, err := a.GetOrRender(context.Background(), key, r.for_(key)); err != nil {
				t.Fatal(err)
			}
		}
		a.Close() // flush the asynchronous writes
		before := hits(b, "redis")
		for _, key := range keys {
			res, err := b.GetOrRenderInfo(context.Background(), key, r.for_(key))
			if err != nil {
				t.Fatal(err)
			}
			checkEntry(t, key, res.Entry)
			if res.Source != FromRedis {
				t.Errorf("%s came from %s, want redis", key, res.Source)
			}
		}
		if got := hits(b, "redis") - before; got != 30 {
			t.Errorf("%v Redis hits on b, want 30", got)
		}
		if n := r.calls.Load(); n != 30 {
			t.Errorf("%d renders for 30 keys on two replicas, want 30", n)
		}
		// The values are spread over the masters, so the cluster is really
		// in use and not one node answering for all.
		used := 0
		for _, addr := range addrs {
			c := redis.NewClient(&redis.Options{Addr: addr})
			if c.DBSize(context.Background()).Val() > 0 {
				used++
			}
			c.Close()
		}
		if used < 2 {
			t.Errorf("values on %d of 3 masters, want them spread", used)
		}
	})

	if h := b.Health(context.Background()); h.Redis != "ok" {
		t.Errorf("Health = %+v, want ok", h)
	}
}
