package stats

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore is the backend for a shared Redis (single node, Sentinel or
// Cluster through UniversalClient).
type redisStore struct {
	c            redis.UniversalClient
	campaignsKey string
}

// readChunk bounds the commands in one read pipeline, so a year of hourly
// buckets is read in a few round trips without one huge reply.
const readChunk = 1000

func (r *redisStore) apply(ctx context.Context, b *batch, ttl time.Duration) error {
	// One MULTI/EXEC: Redis applies the whole batch or none of it, so a
	// flush that failed can be retried without counting anything twice.
	// Two cases remain where a retry can count a batch twice, both rare and
	// documented in docs/stats.md: the reply to an EXEC that succeeded is
	// lost, and on a Redis Cluster, where go-redis runs one MULTI/EXEC per
	// hash slot, some slots succeed and others fail.
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		for k, h := range b.hashes {
			for f, d := range h {
				p.HIncrBy(ctx, k, f, d)
			}
			p.Expire(ctx, k, ttl)
		}
		for k, s := range b.sets {
			els := make([]any, 0, len(s))
			for e := range s {
				els = append(els, e)
			}
			p.PFAdd(ctx, k, els...)
			p.Expire(ctx, k, ttl)
		}
		for k, z := range b.zsets {
			for e, d := range z {
				p.ZIncrBy(ctx, k, float64(d), e)
			}
			p.Expire(ctx, k, ttl)
		}
		if len(b.campaigns) > 0 {
			ids := make([]any, 0, len(b.campaigns))
			for c := range b.campaigns {
				ids = append(ids, c)
			}
			p.SAdd(ctx, r.campaignsKey, ids...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("write stats batch to redis: %w", err)
	}
	return nil
}

func (r *redisStore) salt(ctx context.Context, key string, candidate []byte, expireAt time.Time) ([]byte, error) {
	ttl := time.Until(expireAt)
	if ttl < time.Second {
		ttl = time.Second
	}
	// SET NX: the first replica to need the day's salt creates it, the
	// others read it; all hash visitors alike.
	if err := r.c.SetArgs(ctx, key, candidate, redis.SetArgs{Mode: "NX", TTL: ttl}).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("set visitor salt: %w", err)
	}
	v, err := r.c.Get(ctx, key).Bytes()
	if err != nil {
		return nil, fmt.Errorf("get visitor salt: %w", err)
	}
	return v, nil
}

func (r *redisStore) hashes(ctx context.Context, keys []string) ([]map[string]int64, error) {
	out := make([]map[string]int64, len(keys))
	for start := 0; start < len(keys); start += readChunk {
		end := min(start+readChunk, len(keys))
		cmds := make([]*redis.MapStringStringCmd, 0, end-start)
		_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys[start:end] {
				cmds = append(cmds, p.HGetAll(ctx, k))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("read stats counters: %w", err)
		}
		for i, c := range cmds {
			m := c.Val()
			if len(m) == 0 {
				continue
			}
			h := make(map[string]int64, len(m))
			for f, v := range m {
				n, err := strconv.ParseInt(v, 10, 64)
				if err != nil {
					return nil, fmt.Errorf("counter %s %s is %q, not a number", keys[start+i], f, v)
				}
				h[f] = n
			}
			out[start+i] = h
		}
	}
	return out, nil
}

func (r *redisStore) uniques(ctx context.Context, keys []string) ([]int64, error) {
	out := make([]int64, len(keys))
	for start := 0; start < len(keys); start += readChunk {
		end := min(start+readChunk, len(keys))
		cmds := make([]*redis.IntCmd, 0, end-start)
		_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
			for _, k := range keys[start:end] {
				cmds = append(cmds, p.PFCount(ctx, k))
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("count unique visitors: %w", err)
		}
		for i, c := range cmds {
			out[start+i] = c.Val()
		}
	}
	return out, nil
}

func (r *redisStore) top(ctx context.Context, keys []string) (map[string]int64, error) {
	out := map[string]int64{}
	if len(keys) == 0 {
		return out, nil
	}
	for start := 0; start < len(keys); start += readChunk {
		end := min(start+readChunk, len(keys))
		zs, err := r.c.ZUnionWithScores(ctx, redis.ZStore{Keys: keys[start:end], Aggregate: "SUM"}).Result()
		if err != nil {
			return nil, fmt.Errorf("read top invitations: %w", err)
		}
		for _, z := range zs {
			if m, ok := z.Member.(string); ok {
				out[m] += int64(z.Score)
			}
		}
	}
	return out, nil
}

func (r *redisStore) setField(ctx context.Context, key, field string, v int64) error {
	if err := r.c.HSet(ctx, key, field, v).Err(); err != nil {
		return fmt.Errorf("store entered impressions: %w", err)
	}
	return nil
}

func (r *redisStore) members(ctx context.Context, key string) ([]string, error) {
	v, err := r.c.SMembers(ctx, key).Result()
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return v, nil
}
