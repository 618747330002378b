package cache

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

// logLines keeps what a JSON slog logger writes, for a test to read back.
type logLines struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logLines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logLines) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(l, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// at lists the lines logged at level, each as its JSON fields.
func (l *logLines) at(t *testing.T, level slog.Level) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(l.buf.Bytes()), []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(line, &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["level"] == level.String() {
			out = append(out, m)
		}
	}
	return out
}

func messages(lines []map[string]any) []string {
	var out []string
	for _, l := range lines {
		out = append(out, fmt.Sprint(l["msg"]))
	}
	return out
}

func TestCheckRedisPolicyWarnsWhatPutsTheCountersAtRisk(t *testing.T) {
	srv := testredis.StartServer(t)
	client := srv.Client(t)
	good := map[string]string{"maxmemory": "64mb", "maxmemory-policy": "volatile-lru", "appendonly": "yes", "save": ""}
	with := func(changes ...string) map[string]string {
		m := map[string]string{}
		for k, v := range good {
			m[k] = v
		}
		for i := 0; i < len(changes); i += 2 {
			m[changes[i]] = changes[i+1]
		}
		return m
	}
	tests := []struct {
		name string
		conf map[string]string
		// warn holds one word of each warning expected, in order.
		warn []string
	}{
		{"a Redis set up as docs/cache.md says draws no warning", good, nil},
		{"volatile-lfu, which also evicts only keys with a TTL, draws no warning", with("maxmemory-policy", "volatile-lfu"), nil},
		{"allkeys-lru warns that counters may be evicted", with("maxmemory-policy", "allkeys-lru"), []string{"may evict"}},
		{"allkeys-random warns as well", with("maxmemory-policy", "allkeys-random"), []string{"may evict"}},
		{"noeviction with a maxmemory warns that a full Redis refuses writes", with("maxmemory-policy", "noeviction"), []string{"refuses every write"}},
		{"no maxmemory warns that images grow without bound", with("maxmemory", "0"), []string{"no maxmemory"}},
		{"no maxmemory and noeviction, Redis's defaults, warn once", with("maxmemory", "0", "maxmemory-policy", "noeviction"), []string{"no maxmemory"}},
		{"no append-only file and no snapshots warns that a restart loses the counters", with("appendonly", "no"), []string{"persistence is off"}},
		{"snapshots without an append-only file are no warning", with("appendonly", "no", "save", "3600 1"), nil},
		{"everything wrong at once gives three warnings", with("maxmemory", "0", "maxmemory-policy", "allkeys-lru", "appendonly", "no"), []string{"may evict", "no maxmemory", "persistence is off"}},
	}
	ctx := context.Background()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.conf {
				if err := client.ConfigSet(ctx, k, v).Err(); err != nil {
					t.Fatalf("CONFIG SET %s %q: %v", k, v, err)
				}
			}
			var log logLines
			CheckRedisPolicy(ctx, client, log.logger())
			got := messages(log.at(t, slog.LevelWarn))
			if len(got) != len(tt.warn) {
				t.Fatalf("warnings %q, want %d (%q)", got, len(tt.warn), tt.warn)
			}
			for i, w := range tt.warn {
				if !strings.Contains(got[i], w) {
					t.Errorf("warning %d is %q, want it to say %q", i, got[i], w)
				}
			}
		})
	}
}

func TestCheckRedisPolicyMovesOnWhereCONFIGIsRefused(t *testing.T) {
	tests := []struct {
		name   string
		client func(t *testing.T) redis.UniversalClient
	}{
		{"CONFIG renamed away, as managed services do", func(t *testing.T) redis.UniversalClient {
			return testredis.StartServer(t, "--rename-command", "CONFIG", "").Client(t)
		}},
		{"an ACL user without CONFIG", func(t *testing.T) redis.UniversalClient {
			srv := testredis.StartServer(t, "--user", "sharecard", "on", ">not-a-secret", "~*", "&*", "+@all", "-config")
			c := redis.NewClient(&redis.Options{Addr: srv.Addr(), Username: "sharecard", Password: "not-a-secret", MaxRetries: -1})
			t.Cleanup(func() { c.Close() })
			return c
		}},
		{"no Redis answering at all", func(t *testing.T) redis.UniversalClient { return deadRedis(t) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log logLines
			CheckRedisPolicy(context.Background(), tt.client(t), log.logger())
			if w := log.at(t, slog.LevelWarn); len(w) > 0 {
				t.Errorf("warnings %q, want none: nothing is known", messages(w))
			}
			debug := messages(log.at(t, slog.LevelDebug))
			if !slices.ContainsFunc(debug, func(m string) bool { return strings.Contains(m, "not checked") }) {
				t.Errorf("debug lines %q, want one saying the settings were not checked", debug)
			}
		})
	}
	CheckRedisPolicy(context.Background(), nil, nil) // embedded mode: nothing to check, no panic
}

func TestCheckRedisPolicyAsksEveryClusterMaster(t *testing.T) {
	addrs := testredis.StartCluster(t, 3)
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	t.Cleanup(func() { c.Close() })
	var log logLines
	CheckRedisPolicy(context.Background(), c, log.logger())
	// The test servers run with Redis's defaults and no persistence.
	var nodes []string
	for _, l := range log.at(t, slog.LevelWarn) {
		if strings.Contains(fmt.Sprint(l["msg"]), "no maxmemory") {
			nodes = append(nodes, fmt.Sprint(l["redis_node"]))
		}
	}
	slices.Sort(nodes)
	want := slices.Sorted(slices.Values(addrs))
	if !slices.Equal(nodes, want) {
		t.Errorf("no-maxmemory warnings for nodes %q, want one for each master %q", nodes, want)
	}
}
