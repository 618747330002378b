package report

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// Redis keeps reports in Redis, so every replica takes and lists the same
// ones. Per campaign, under one hash tag (a cluster keeps them on one
// slot):
//
//	<prefix>sharecard:v1:reports:{<campaign>}          hash: id → report JSON
//	<prefix>sharecard:v1:reports:{<campaign>}:open     sorted set: open ids by creation
//	<prefix>sharecard:v1:reports:{<campaign>}:handled  sorted set: handled ids by handling
//
// No TTL: a report stays until the team handles it, and the newest
// MaxHandled handled ones stay as a record. The bounds are checked inside
// scripts, so replicas racing each other cannot pass them.
type Redis struct {
	rdb     redis.UniversalClient
	prefix  string
	timeout time.Duration
}

// NewRedis returns a store on rdb; prefix is prepended to every key
// (tests), timeout bounds each call (0: one second).
func NewRedis(rdb redis.UniversalClient, prefix string, timeout time.Duration) *Redis {
	if timeout <= 0 {
		timeout = time.Second
	}
	return &Redis{rdb: rdb, prefix: prefix, timeout: timeout}
}

// KeyPrefix starts every report key (after the store's own prefix).
const KeyPrefix = "sharecard:v1:reports:"

func (s *Redis) keys(campaign string) []string {
	k := s.prefix + KeyPrefix + "{" + campaign + "}"
	return []string{k, k + ":open", k + ":handled"}
}

var addScript = redis.NewScript(`
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[4]) then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[2], ARGV[3], ARGV[1])
return 1`)

// Add stores r as a new open report, unless the campaign has MaxOpen.
func (s *Redis) Add(ctx context.Context, r Report) (Report, error) {
	r, err := prepare(r)
	if err != nil {
		return r, err
	}
	b, err := json.Marshal(r)
	if err != nil {
		return Report{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	k := s.keys(r.Campaign)
	ok, err := addScript.Run(ctx, s.rdb, k[:2], r.ID, b, r.CreatedAt.UnixMilli(), MaxOpen).Int()
	if err != nil {
		return Report{}, fmt.Errorf("store report: %w", err)
	}
	if ok == 0 {
		return Report{}, ErrFull
	}
	return r, nil
}

// List returns a campaign's reports, open first, newest first.
func (s *Redis) List(ctx context.Context, campaign string) ([]Report, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	all, err := s.rdb.HGetAll(ctx, s.keys(campaign)[0]).Result()
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	out := make([]Report, 0, len(all))
	for id, v := range all {
		var r Report
		if err := json.Unmarshal([]byte(v), &r); err != nil {
			return nil, fmt.Errorf("list reports: report %s: %w", id, err)
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, less)
	return out, nil
}

// handleScript swaps a report's JSON if it is still what the caller read
// (another replica may have handled it since), moves it from open to
// handled, and trims the oldest handled beyond the bound.
var handleScript = redis.NewScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return -1 end
if not redis.call('ZSCORE', KEYS[2], ARGV[1]) then return -2 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
local n = redis.call('ZCARD', KEYS[3]) - tonumber(ARGV[5])
if n > 0 then
  local old = redis.call('ZRANGE', KEYS[3], 0, n - 1)
  redis.call('HDEL', KEYS[1], unpack(old))
  redis.call('ZREM', KEYS[3], unpack(old))
end
return 1`)

// Handle marks an open report revoked or dismissed.
func (s *Redis) Handle(ctx context.Context, campaign, id string, status Status, at time.Time) (Report, error) {
	if err := checkHandle(status); err != nil {
		return Report{}, err
	}
	if !validID.MatchString(id) {
		return Report{}, ErrNotFound
	}
	ctx, cancel := context.WithTimeout(ctx, 3*s.timeout)
	defer cancel()
	k := s.keys(campaign)
	for range 3 {
		old, err := s.rdb.HGet(ctx, k[0], id).Result()
		if errors.Is(err, redis.Nil) {
			return Report{}, ErrNotFound
		}
		if err != nil {
			return Report{}, fmt.Errorf("handle report: %w", err)
		}
		var r Report
		if err := json.Unmarshal([]byte(old), &r); err != nil {
			return Report{}, fmt.Errorf("handle report %s: %w", id, err)
		}
		if r.Status != Open {
			return r, ErrHandled
		}
		at := at.UTC()
		r.Status, r.HandledAt = status, &at
		b, err := json.Marshal(r)
		if err != nil {
			return Report{}, err
		}
		res, err := handleScript.Run(ctx, s.rdb, k, id, old, b, at.UnixMilli(), strconv.Itoa(MaxHandled)).Int()
		if err != nil {
			return Report{}, fmt.Errorf("handle report: %w", err)
		}
		if res == 1 {
			return r, nil
		}
		// -1: changed under us; read again.
	}
	return Report{}, ErrHandled
}
