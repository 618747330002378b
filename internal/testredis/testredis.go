// Package testredis gives tests a real Redis: the one named by REDIS_URL, with
// a key prefix of its own. Without REDIS_URL a test skips on a laptop and
// fails when CI is set, so CI can never pass without Redis.
package testredis

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// URL returns REDIS_URL, skipping (or failing under CI) when it is unset or
// the server does not answer.
func URL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("REDIS_URL")
	if u == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("REDIS_URL is not set, but CI is: Redis-backed tests must run in CI")
		}
		t.Skip("REDIS_URL not set; skipping Redis-backed test")
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		t.Fatalf("REDIS_URL %q: %v", u, err)
	}
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := c.Ping(ctx).Err(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("Redis at %s does not answer: %v", u, err)
		}
		t.Skipf("Redis at %s does not answer: %v", u, err)
	}
	return u
}

// Client returns a client for REDIS_URL and a prefix unique to this test;
// keys under the prefix are deleted when the test ends.
func Client(t testing.TB) (*redis.Client, string) {
	t.Helper()
	opt, _ := redis.ParseURL(URL(t))
	c := redis.NewClient(opt)
	var b [6]byte
	_, _ = rand.Read(b[:])
	prefix := "test:" + hex.EncodeToString(b[:]) + ":"
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		c.Close()
	})
	return c, prefix
}
