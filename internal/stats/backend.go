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
	// zpage returns up to limit members of the sorted set at key from
	// offset, in ascending order of score, ties by member (ZRANGE), and
	// how many members it has.
	zpage(ctx context.Context, key string, offset, limit int) ([]string, int, error)
	// zsum stores at dst, unless a set is there already, the sorted sets
	// at keys added up with their scores negated (ZUNIONSTORE … WEIGHTS
	// -1), for ttl.
	zsum(ctx context.Context, dst string, keys []string, ttl time.Duration) error
	// exists reports which keys hold a value.
	exists(ctx context.Context, keys []string) ([]bool, error)
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
