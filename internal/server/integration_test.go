package server

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testredis"
	"github.com/sharecard/sharecard/internal/teststats"
)

func TestConcurrentRequestsForOneImageRenderOnce(t *testing.T) {
	f := newFixture(t)
	tok := f.token(invitation("Lars Hansen"))
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			if w := f.do(req{method: "GET", path: "/i/" + tok + "/og.jpg"}); w.Code != 200 {
				t.Errorf("status %d", w.Code)
			}
		})
	}
	wg.Wait()
	if n := f.events.Count(stats.ImageRendered); n != 1 {
		t.Errorf("%d renders for one image under 50 concurrent requests", n)
	}
	if n := f.events.Count(stats.ImageServed); n != 50 {
		t.Errorf("%d images served, want 50", n)
	}
}

// redisFixture is the service with Redis: the real cache, revocation list
// and recorder all on it.
func redisFixture(t *testing.T, rdb redis.UniversalClient, prefix string) (*fixture, *revoke.Redis) {
	t.Helper()
	signer, _ := invite.NewSigner([][]byte{[]byte("server-test-key-0123456789abcdef")})
	rev := revoke.NewRedis(context.Background(), rdb, revoke.RedisOptions{Prefix: prefix, Interval: 20 * time.Millisecond})
	t.Cleanup(rev.Close)
	c := cache.New(cache.Options{Redis: rdb, MemoryBytes: 16 << 20, TTL: time.Minute, RedisTimeout: 100 * time.Millisecond})
	t.Cleanup(func() { c.Close() })
	ev := &teststats.Events{}
	e, a := build(t, parts{cfg: testConfig(), signer: signer, cache: c, stats: ev, revoked: rev, redis: rdb})
	return &fixture{t: t, e: e, app: a, signer: signer, events: ev}, rev
}

func TestRevocationReachesEveryReplica(t *testing.T) {
	rdb, prefix := testredis.Client(t)
	one, _ := redisFixture(t, rdb, prefix)
	two, _ := redisFixture(t, rdb, prefix)
	tok := one.token(invitation("Lars Hansen"))
	wantStatus(t, two.do(req{method: "GET", path: "/i/" + tok}), 200)
	wantStatus(t, one.do(req{method: "DELETE", path: "/api/v1/invitations/" + tok, header: admin()}), 204)
	deadline := time.Now().Add(15 * time.Second)
	for two.do(req{method: "GET", path: "/i/" + tok}).Code != 410 {
		if time.Now().After(deadline) {
			t.Fatal("the other replica still serves a revoked invitation")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestReadyWithRedisDownIsDegradedNotDown(t *testing.T) {
	rdb, prefix := testredis.Client(t)
	up, _ := redisFixture(t, rdb, prefix)
	var r readiness
	w := up.do(req{method: "GET", path: "/readyz"})
	wantStatus(t, w, 200)
	_ = json.Unmarshal(w.Body.Bytes(), &r)
	if r.Redis != "ok" || r.Status != "ok" {
		t.Errorf("with Redis up: %+v", r)
	}

	dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { dead.Close() })
	down, _ := redisFixture(t, dead, prefix)
	w = down.do(req{method: "GET", path: "/readyz"})
	wantStatus(t, w, 200)
	_ = json.Unmarshal(w.Body.Bytes(), &r)
	if r.Redis != "degraded" || r.Status != "degraded" {
		t.Errorf("with Redis down: %+v", r)
	}
	// And the service still answers, from memory.
	tok := down.token(invitation("Lars Hansen"))
	wantStatus(t, down.do(req{method: "GET", path: "/i/" + tok}), 200)
	wantStatus(t, down.do(req{method: "GET", path: "/i/" + tok + "/og.jpg"}), 200)
}
