package revoke

import (
	"context"
	"testing"
	"time"

	"github.com/sharecard/sharecard/internal/testredis"
)

func TestMemory(t *testing.T) {
	m := NewMemory()
	if m.Revoked("a") {
		t.Fatal("an empty list revokes")
	}
	_ = m.Revoke(context.Background(), "a")
	if !m.Revoked("a") || m.Revoked("b") {
		t.Error("revoking a did not revoke exactly a")
	}
}

func TestRedisIsSharedBetweenReplicas(t *testing.T) {
	rdb, prefix := testredis.Client(t)
	ctx := context.Background()
	one := NewRedis(ctx, rdb, RedisOptions{Prefix: prefix, Interval: 20 * time.Millisecond})
	t.Cleanup(one.Close)
	two := NewRedis(ctx, rdb, RedisOptions{Prefix: prefix, Interval: 20 * time.Millisecond})
	t.Cleanup(two.Close)

	if err := one.Revoke(ctx, "fp1"); err != nil {
		t.Fatal(err)
	}
	if !one.Revoked("fp1") {
		t.Error("the replica that revoked does not see it at once")
	}
	deadline := time.Now().Add(15 * time.Second)
	for !two.Revoked("fp1") {
		if time.Now().After(deadline) {
			t.Fatal("the other replica never saw the revocation")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// A new process loads the list at start.
	three := NewRedis(ctx, rdb, RedisOptions{Prefix: prefix, Interval: time.Hour})
	t.Cleanup(three.Close)
	if !three.Revoked("fp1") || three.Revoked("fp2") {
		t.Error("a restarted replica lost the list")
	}
}

func TestRedisDownKeepsLastList(t *testing.T) {
	rdb, prefix := testredis.Client(t)
	ctx := context.Background()
	r := NewRedis(ctx, rdb, RedisOptions{Prefix: prefix, Interval: time.Hour})
	t.Cleanup(r.Close)
	if err := r.Revoke(ctx, "fp"); err != nil {
		t.Fatal(err)
	}
	// A client to a port nothing listens on stands in for Redis down.
	down := NewRedis(ctx, deadClient(), RedisOptions{Interval: time.Hour, Timeout: 10 * time.Millisecond})
	t.Cleanup(down.Close)
	if down.Revoked("fp") {
		t.Error("a list that never loaded revokes")
	}
	if err := down.Revoke(ctx, "fp"); err == nil {
		t.Error("a revocation while Redis is down reported success")
	}
	if err := down.Refresh(ctx); err == nil {
		t.Error("refresh against a dead Redis reported success")
	}
}
