// Package revoke owns the revocation list: invitation fingerprints taken out
// of service, and dashboard sessions ended by logging out ("session:…").
// Tokens and session cookies are self-contained, so revocation is the one
// thing the service must look up; the list is small and rarely changes, so
// every check is answered from a local set, refreshed from Redis in the
// background.
package revoke

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// List answers whether an invitation is revoked and takes new revocations.
type List interface {
	Revoke(ctx context.Context, fingerprint string) error
	Revoked(fingerprint string) bool
}

// Memory is the embedded-mode list: it lives and dies with the process.
type Memory struct {
	mu  sync.RWMutex
	set map[string]struct{}
}

// NewMemory returns an empty in-process list.
func NewMemory() *Memory { return &Memory{set: map[string]struct{}{}} }

// Revoke adds fingerprint to the list.
func (m *Memory) Revoke(_ context.Context, fingerprint string) error {
	m.mu.Lock()
	m.set[fingerprint] = struct{}{}
	m.mu.Unlock()
	return nil
}

// Revoked reports whether fingerprint is on the list.
func (m *Memory) Revoked(fingerprint string) bool {
	m.mu.RLock()
	_, ok := m.set[fingerprint]
	m.mu.RUnlock()
	return ok
}

// Key is the Redis set holding revoked fingerprints (no TTL: a revocation
// is for good).
const Key = "sharecard:v1:revoked"

// Redis keeps the list in a Redis set shared by every replica. Checks read
// a local copy refreshed every interval, so a revocation reaches the other
// replicas within one interval and a Redis outage keeps the last known list.
type Redis struct {
	rdb      redis.UniversalClient
	key      string
	timeout  time.Duration
	log      *slog.Logger
	local    Memory
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
}

// RedisOptions configure NewRedis.
type RedisOptions struct {
	Prefix   string        // prepended to Key (tests)
	Interval time.Duration // refresh period (default 5 s)
	Timeout  time.Duration // per Redis call (default 100 ms)
	Log      *slog.Logger
}

// NewRedis loads the list from rdb and keeps it fresh until Close. A failed
// first load is logged, not fatal: the service must start while Redis is
// down, and the next refresh catches up.
func NewRedis(ctx context.Context, rdb redis.UniversalClient, o RedisOptions) *Redis {
	if o.Interval <= 0 {
		o.Interval = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 100 * time.Millisecond
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	r := &Redis{rdb: rdb, key: o.Prefix + Key, timeout: o.Timeout, log: o.Log,
		local: Memory{set: map[string]struct{}{}}, stop: make(chan struct{}), done: make(chan struct{})}
	if err := r.Refresh(ctx); err != nil {
		r.log.Warn("revocation list: first load from Redis failed; retrying in the background", "err", err)
	}
	go r.loop(o.Interval)
	return r
}

func (r *Redis) loop(every time.Duration) {
	defer close(r.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-r.stop:
			return
		case <-t.C:
			if err := r.Refresh(context.Background()); err != nil {
				r.log.Debug("revocation list refresh failed; keeping the last known list", "err", err)
			}
		}
	}
}

// Refresh replaces the local copy with the set in Redis.
func (r *Redis) Refresh(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*r.timeout)
	defer cancel()
	members, err := r.rdb.SMembers(ctx, r.key).Result()
	if err != nil {
		return fmt.Errorf("load revocations: %w", err)
	}
	set := make(map[string]struct{}, len(members))
	for _, m := range members {
		set[m] = struct{}{}
	}
	r.local.mu.Lock()
	// Keep local revocations Redis has not seen (a write that raced the read).
	for k := range r.local.set {
		if _, ok := set[k]; !ok {
			set[k] = struct{}{}
		}
	}
	r.local.set = set
	r.local.mu.Unlock()
	return nil
}

// Revoke adds fingerprint to the Redis set and to the local copy. Unlike a
// check it fails when Redis does, so an admin never believes a revocation
// took effect everywhere when it did not.
func (r *Redis) Revoke(ctx context.Context, fingerprint string) error {
	ctx, cancel := context.WithTimeout(ctx, 10*r.timeout)
	defer cancel()
	if err := r.rdb.SAdd(ctx, r.key, fingerprint).Err(); err != nil {
		return fmt.Errorf("revoke: %w", err)
	}
	return r.local.Revoke(ctx, fingerprint)
}

// Revoked reports whether fingerprint is on the last known list.
func (r *Redis) Revoked(fingerprint string) bool { return r.local.Revoked(fingerprint) }

// Close stops the refresher.
func (r *Redis) Close() {
	r.stopOnce.Do(func() { close(r.stop) })
	<-r.done
}
