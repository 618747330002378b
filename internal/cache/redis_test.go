package cache

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"github.com/sony/gobreaker/v2"
)

func TestRedisGetSet(t *testing.T) {
	c, prefix := sharedRedis(t)
	ctx := context.Background()
	r := NewRedis(c, RedisOptions{Prefix: prefix, TTL: time.Hour})
	key := Key("redis get set")

	if _, ok, err := r.Get(ctx, key); ok || err != nil {
		t.Fatalf("Get before Set: ok=%v err=%v, want a miss without error", ok, err)
	}
	want := Entry{Body: bodyFor(key), ContentType: "image/jpeg", ETag: `"etag"`}
	if err := r.Set(ctx, key, want); err != nil {
		t.Fatal(err)
	}
	got, ok, err := r.Get(ctx, key)
	if !ok || err != nil || !bytes.Equal(got.Body, want.Body) || got.ContentType != want.ContentType || got.ETag != want.ETag {
		t.Fatalf("Get after Set: ok=%v err=%v %q %q", ok, err, got.ContentType, got.ETag)
	}
	ttl := c.PTTL(ctx, prefix+key).Val()
	if ttl <= 59*time.Minute || ttl > time.Hour {
		t.Errorf("TTL = %v, want about 1h", ttl)
	}
}

func TestRedisDefaultTTLIsThirtyDays(t *testing.T) {
	c, prefix := sharedRedis(t)
	ctx := context.Background()
	r := NewRedis(c, RedisOptions{Prefix: prefix})
	key := Key("default ttl")
	if err := r.Set(ctx, key, Entry{Body: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	if ttl := c.PTTL(ctx, prefix+key).Val(); ttl < 30*24*time.Hour-time.Minute {
		t.Errorf("TTL = %v, want 30 days", ttl)
	}
}

func TestRedisForeignValueIsAnError(t *testing.T) {
	c, prefix := sharedRedis(t)
	ctx := context.Background()
	r := NewRedis(c, RedisOptions{Prefix: prefix})
	key := Key("foreign")
	c.Set(ctx, prefix+key, `{"not":"ours"}`, time.Minute)
	if _, ok, err := r.Get(ctx, key); ok || !errors.Is(err, errBadValue) {
		t.Errorf("Get of a foreign value: ok=%v err=%v, want errBadValue", ok, err)
	}
}

func TestRedisLock(t *testing.T) {
	c, prefix := sharedRedis(t)
	ctx := context.Background()
	r := NewRedis(c, RedisOptions{Prefix: prefix})
	key := Key("lock")

	steps := []struct {
		name string
		do   func() (bool, error)
		want bool
	}{
		{"the first replica takes the lock", func() (bool, error) { return r.lock(ctx, key, "a", time.Minute) }, true},
		{"a second replica does not", func() (bool, error) { return r.lock(ctx, key, "b", time.Minute) }, false},
		{"the lock is seen as held", func() (bool, error) { return r.locked(ctx, key) }, true},
		{"a release with another token leaves it held", func() (bool, error) {
			if err := r.unlock(ctx, key, "b"); err != nil {
				return false, err
			}
			return r.locked(ctx, key)
		}, true},
		{"a release by its holder frees it", func() (bool, error) {
			if err := r.unlock(ctx, key, "a"); err != nil {
				return false, err
			}
			return r.locked(ctx, key)
		}, false},
		{"then another replica can take it", func() (bool, error) { return r.lock(ctx, key, "b", 50*time.Millisecond) }, true},
		{"and it expires by itself", func() (bool, error) {
			time.Sleep(100 * time.Millisecond)
			return r.locked(ctx, key)
		}, false},
	}
	for _, s := range steps {
		got, err := s.do()
		if err != nil || got != s.want {
			t.Fatalf("%s: got %v, %v; want %v", s.name, got, err, s.want)
		}
	}
}

func TestRedisBreakerOpensOnErrorsAndStopsCalling(t *testing.T) {
	r := NewRedis(deadRedis(t), RedisOptions{BreakerOpen: time.Hour})
	ctx := context.Background()
	for range breakerTrips {
		if _, _, err := r.Get(ctx, "k"); err == nil || errors.Is(err, ErrRedisUnavailable) {
			t.Fatalf("Get on a dead Redis: %v, want a connection error", err)
		}
	}
	if r.BreakerState() != "open" {
		t.Fatalf("breaker %s after %d errors, want open", r.BreakerState(), breakerTrips)
	}
	start := time.Now()
	if _, _, err := r.Get(ctx, "k"); !errors.Is(err, ErrRedisUnavailable) {
		t.Errorf("Get with the breaker open: %v, want ErrRedisUnavailable", err)
	}
	if d := time.Since(start); d > 10*time.Millisecond {
		t.Errorf("Get with the breaker open took %v, want no call at all", d)
	}
}

func TestRedisCallsGiveUpAfterTheTimeout(t *testing.T) {
	r := NewRedis(hungRedis(t), RedisOptions{Timeout: 50 * time.Millisecond})
	start := time.Now()
	_, _, err := r.Get(context.Background(), "k")
	if err == nil {
		t.Fatal("Get on a hung Redis succeeded")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Get on a hung Redis took %v, want about the 50ms timeout", d)
	}
}

func TestRedisBreakerTrips(t *testing.T) {
	tests := []struct {
		name string
		c    gobreaker.Counts
		want bool
	}{
		{"five failures in a row out of five calls trip it", gobreaker.Counts{Requests: 5, TotalFailures: 5, ConsecutiveFailures: 5}, true},
		{"four failures in a row do not", gobreaker.Counts{Requests: 4, TotalFailures: 4, ConsecutiveFailures: 4}, false},
		{"a burst of five timeouts among a hundred good calls does not", gobreaker.Counts{Requests: 105, TotalSuccesses: 100, TotalFailures: 5, ConsecutiveFailures: 5}, false},
		{"most calls failing in the window trips it", gobreaker.Counts{Requests: 100, TotalSuccesses: 40, TotalFailures: 60, ConsecutiveFailures: 8}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := readyToTrip(tt.c); got != tt.want {
				t.Errorf("readyToTrip(%+v) = %v, want %v", tt.c, got, tt.want)
			}
		})
	}
}
