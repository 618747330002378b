package stats

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore is the backend for a shared Redis (single node, Sentinel or
// Cluster through UniversalClient).
type redisStore struct {
	c            redis.UniversalClient
	prefix       string
	campaignsKey string
}

// readChunk bounds the commands in one read pipeline, so a year of hourly
// buckets is read in a few round trips without one huge reply.
const readChunk = 1000

// appliedTTL is how long a batch's applied mark lives if it is not
// deleted (the write landed but its reply was lost): far longer than any
// retry takes once Redis answers again.
const appliedTTL = 24 * time.Hour

// apply writes the batch once, however often it is called with the same
// batch id. Every key but the campaign list carries its campaign as hash
// tag, so a batch splits into one group per campaign, each in one hash
// slot of a Cluster. Each group is one MULTI/EXEC that also sets an
// "applied" mark in the same slot, under WATCH of that mark: an attempt
// whose mark is already there is skipped, and an attempt racing another
// (a late EXEC of a write whose reply was lost) aborts. So a retry after a
// lost reply or a half-written Cluster batch counts nothing twice. The
// marks are deleted once the whole batch is in.
func (r *redisStore) apply(ctx context.Context, b *batch, ttl time.Duration) error {
	marks, err := r.write(ctx, b, ttl)
	if err != nil {
		return err
	}
	// Best effort: a mark left behind expires by itself.
	_, _ = r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, m := range marks {
			p.Del(ctx, m)
		}
		return nil
	})
	return nil
}

// write is apply but for deleting the marks, which it returns.
func (r *redisStore) write(ctx context.Context, b *batch, ttl time.Duration) (marks []string, err error) {
	if b.id == "" {
		return nil, errors.New("stats batch without an id: it could not be told from another")
	}
	type group struct {
		hashes, sets, zsets []string
		once                []onceEntry
	}
	groups := map[string]*group{}
	groupOf := func(key string) *group {
		tag := hashTag(key)
		g := groups[tag]
		if g == nil {
			g = &group{}
			groups[tag] = g
		}
		return g
	}
	for k := range b.hashes {
		g := groupOf(k)
		g.hashes = append(g.hashes, k)
	}
	for k := range b.sets {
		g := groupOf(k)
		g.sets = append(g.sets, k)
	}
	for k := range b.zsets {
		g := groupOf(k)
		g.zsets = append(g.zsets, k)
	}
	for _, e := range b.once {
		g := groupOf(e.key)
		g.once = append(g.once, e)
	}
	marks = make([]string, 0, len(groups))
	for tag, g := range groups {
		mark := r.prefix + "{" + tag + "}:applied:" + b.id
		marks = append(marks, mark)
		err := r.once(ctx, mark, func(p redis.Pipeliner) {
			for _, k := range g.hashes {
				for f, d := range b.hashes[k] {
					p.HIncrBy(ctx, k, f, d)
				}
				p.Expire(ctx, k, ttl)
			}
			for _, k := range g.sets {
				els := make([]any, 0, len(b.sets[k]))
				for e := range b.sets[k] {
					els = append(els, e)
				}
				p.PFAdd(ctx, k, els...)
				p.Expire(ctx, k, ttl)
			}
			for _, k := range g.zsets {
				if r, ok := b.ranks[k]; ok {
					keys, args := rankArgs(k, r, b.zsets[k], ttl)
					p.Eval(ctx, rankScript, keys, args...)
					continue
				}
				for e, d := range b.zsets[k] {
					p.ZIncrBy(ctx, k, float64(d), e)
				}
				p.Expire(ctx, k, ttl)
			}
			// In slices, so a batch held through an outage does not make
			// one script call that blocks Redis for long.
			for start := 0; start < len(g.once); start += readChunk {
				keys, args := onceArgs(g.once[start:min(start+readChunk, len(g.once))])
				p.Eval(ctx, onceScript, keys, args...)
			}
		})
		if err != nil {
			return nil, fmt.Errorf("write stats batch to redis: %w", err)
		}
	}
	if len(b.campaigns) > 0 {
		// Adding to a set twice changes nothing: no mark needed.
		ids := make([]any, 0, len(b.campaigns))
		for c := range b.campaigns {
			ids = append(ids, c)
		}
		if err := r.c.SAdd(ctx, r.campaignsKey, ids...).Err(); err != nil {
			return nil, fmt.Errorf("write stats batch to redis: %w", err)
		}
	}
	return marks, nil
}

// onceScript counts what is new to the store. For each entry it adds the
// member to its set (or, for an entry without a member, opens a window
// unless the event falls in the current one) and increments the entry's
// counters only if that was new. It runs inside the group's MULTI/EXEC, so
// a batch's applied mark covers it as it covers the plain increments: a
// retried batch counts nothing twice, and a new batch's repeat of a member
// already in the set counts nothing.
//
// KEYS are every key the entries name; ARGV are the set TTL, the window
// TTL, then per entry: its key's index, member, event time, window, the
// number of counters and, per counter, its hash's index and field.
const onceScript = `
local i = 3
while i <= #ARGV do
  local key, member, at, win, n = KEYS[tonumber(ARGV[i])], ARGV[i+1], tonumber(ARGV[i+2]), tonumber(ARGV[i+3]), tonumber(ARGV[i+4])
  i = i + 5
  local new
  if member ~= "" then
    new = redis.call("SADD", key, member) == 1
    redis.call("EXPIRE", key, ARGV[1])
  else
    local start = tonumber(redis.call("GET", key) or "")
    new = start == nil or math.abs(at - start) >= win
    if new then redis.call("SET", key, ARGV[i-3], "EX", ARGV[2]) end
  end
  for j = 1, n do
    if new then redis.call("HINCRBY", KEYS[tonumber(ARGV[i])], ARGV[i+1], 1) end
    i = i + 2
  end
end
return 0
`

// rankScript adds a day's page views to its top list and, if the
// campaign's ranking holds that day in full, to the ranking too (scores
// negated). A day is held in full when the ranking took its first page
// view: when its top list did not exist yet. A day whose top list was
// written before (by a version that kept no ranking) is left out, and a
// range with it is summed from the daily lists.
//
// KEYS: the top list, the ranking, the ranking's days. ARGV: the TTL in
// seconds, the day, then member and increment pairs.
const rankScript = `
local full = redis.call("SISMEMBER", KEYS[3], ARGV[2]) == 1 or redis.call("EXISTS", KEYS[1]) == 0
if full then redis.call("SADD", KEYS[3], ARGV[2]) end
for i = 3, #ARGV, 2 do
  redis.call("ZINCRBY", KEYS[1], ARGV[i+1], ARGV[i])
  if full then redis.call("ZINCRBY", KEYS[2], -tonumber(ARGV[i+1]), ARGV[i]) end
end
for _, k in ipairs(KEYS) do redis.call("EXPIRE", k, ARGV[1]) end
return 0
`

func rankArgs(key string, r rankRef, incrs map[string]int64, ttl time.Duration) ([]string, []any) {
	args := make([]any, 0, 2+2*len(incrs))
	args = append(args, int64(ttl/time.Second), r.day)
	for e, d := range incrs {
		args = append(args, e, d)
	}
	return []string{key, r.rank, r.days}, args
}

// onceArgs lays entries out as onceScript reads them.
func onceArgs(entries []onceEntry) (keys []string, args []any) {
	index := map[string]int{}
	ref := func(k string) int {
		i, ok := index[k]
		if !ok {
			keys = append(keys, k)
			i = len(keys)
			index[k] = i
		}
		return i
	}
	args = append(args, int64(onceTTL/time.Second), int64(windowTTL/time.Second))
	for _, e := range entries {
		args = append(args, ref(e.key), e.member, e.at, e.window, len(e.incrs))
		for _, r := range e.incrs {
			args = append(args, ref(r.key), r.field)
		}
	}
	return keys, args
}

// once runs write as one MULTI/EXEC that also sets mark, unless mark is
// set already; WATCH makes a concurrent attempt's EXEC abort, and the
// check is then made again.
func (r *redisStore) once(ctx context.Context, mark string, write func(redis.Pipeliner)) error {
	for range 3 {
		err := r.c.Watch(ctx, func(tx *redis.Tx) error {
			n, err := tx.Exists(ctx, mark).Result()
			if err != nil || n > 0 {
				return err
			}
			_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
				write(p)
				p.Set(ctx, mark, 1, appliedTTL)
				return nil
			})
			return err
		}, mark)
		if !errors.Is(err, redis.TxFailedErr) {
			return err
		}
	}
	return errors.New("the batch's applied mark kept changing under WATCH")
}

// hashTag is the part of key that Redis Cluster hashes: the text between
// the first { and the next }, if not empty; else the whole key.
func hashTag(key string) string {
	if i := strings.IndexByte(key, '{'); i >= 0 {
		if j := strings.IndexByte(key[i+1:], '}'); j > 0 {
			return key[i+1 : i+1+j]
		}
	}
	return key
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

func (r *redisStore) zpage(ctx context.Context, key string, offset, limit int) ([]string, int, error) {
	var rng *redis.StringSliceCmd
	var card *redis.IntCmd
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		rng = p.ZRange(ctx, key, int64(offset), int64(offset+limit-1))
		card = p.ZCard(ctx, key)
		return nil
	})
	if err != nil {
		return nil, 0, fmt.Errorf("read the invitations' ranking: %w", err)
	}
	return rng.Val(), int(card.Val()), nil
}

func (r *redisStore) zsum(ctx context.Context, dst string, keys []string, ttl time.Duration) error {
	if n, err := r.c.Exists(ctx, dst).Result(); err != nil || n > 0 {
		return err
	}
	weights := make([]float64, len(keys))
	for i := range weights {
		weights[i] = -1
	}
	_, err := r.c.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZUnionStore(ctx, dst, &redis.ZStore{Keys: keys, Weights: weights, Aggregate: "SUM"})
		p.Expire(ctx, dst, ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("rank the range's invitations: %w", err)
	}
	return nil
}

func (r *redisStore) exists(ctx context.Context, keys []string) ([]bool, error) {
	out := make([]bool, len(keys))
	cmds := make([]*redis.IntCmd, len(keys))
	_, err := r.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, k := range keys {
			cmds[i] = p.Exists(ctx, k)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read stats keys: %w", err)
	}
	for i, c := range cmds {
		out[i] = c.Val() > 0
	}
	return out, nil
}

// changeScript sets or removes one entered figure and logs the change
// with the value it replaced, atomically (the hash and the log share the
// campaign's hash slot).
var changeScript = redis.NewScript(`
local old = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if ARGV[2] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
redis.call('LPUSH', KEYS[2], ARGV[3] .. '|' .. ARGV[1] .. '|' .. old .. '|' .. ARGV[2])
redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
return old`)

func (r *redisStore) changeField(ctx context.Context, key, field string, v *int64, logKey, at string) error {
	val := ""
	if v != nil {
		val = strconv.FormatInt(*v, 10)
	}
	if err := changeScript.Run(ctx, r.c, []string{key, logKey}, field, val, at, maxChanges).Err(); err != nil && err != redis.Nil {
		return fmt.Errorf("store entered impressions: %w", err)
	}
	return nil
}

func (r *redisStore) changes(ctx context.Context, logKey string, n int) ([]string, error) {
	v, err := r.c.LRange(ctx, logKey, 0, int64(n-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("read the change log: %w", err)
	}
	return v, nil
}

func (r *redisStore) members(ctx context.Context, key string) ([]string, error) {
	v, err := r.c.SMembers(ctx, key).Result()
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return v, nil
}
