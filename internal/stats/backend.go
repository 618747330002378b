package stats

import (
	"context"
	"time"
)

// backend is where counters live: Redis, or memory in embedded mode. Both
// implement the same Redis-like semantics, so the recorder and the queries
// are written once.
type backend interface {
	// apply writes a batch all-or-nothing and (re)sets every touched key's
	// time to live to ttl.
	apply(ctx context.Context, b *batch, ttl time.Duration) error
	// salt stores candidate under key unless a value is there (SET NX),
	// expiring at expireAt, and returns the value that is there now.
	salt(ctx context.Context, key string, candidate []byte, expireAt time.Time) ([]byte, error)
	// hashes returns the counter hashes at keys; a missing key is nil.
	hashes(ctx context.Context, keys []string) ([]map[string]int64, error)
	// uniques returns the approximate cardinality of each visitor set.
	uniques(ctx context.Context, keys []string) ([]int64, error)
	// top returns the sum over keys of each member's score.
	top(ctx context.Context, keys []string) (map[string]int64, error)
	// changeField sets one counter to an absolute value (entered numbers),
	// or removes it when v is nil, and records the change from the old
	// value in the log list at logKey (newest first, at most maxChanges),
	// in one step.
	changeField(ctx context.Context, key, field string, v *int64, logKey, at string) error
	// changes returns up to n entries of a change log, newest first.
	changes(ctx context.Context, logKey string, n int) ([]string, error)
	// members lists a plain set (the known campaigns).
	members(ctx context.Context, key string) ([]string, error)
}
