package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/config"
)

// TestRedisLinesFollowTheLogFormat: go-redis's own complaints (here, a
// pool that cannot dial) come out as JSON lines like every other.
func TestRedisLinesFollowTheLogFormat(t *testing.T) {
	var buf syncBuffer
	newLogger(config.Config{LogFormat: "json", LogLevel: "info"}, &buf)
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
	defer rdb.Close()
	_ = rdb.Ping(context.Background()).Err()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	found := false
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("not a JSON line: %q", l)
		}
		if rec["component"] == "redis" && rec["level"] == "WARN" && strings.Contains(rec["msg"].(string), "dial") {
			found = true
		}
	}
	if !found {
		t.Errorf("no JSON line from go-redis about the failed dial: %q", buf.String())
	}
}
