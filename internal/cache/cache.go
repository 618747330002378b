// Package cache owns the image cache: an in-process tier bounded by bytes, a
// Redis tier shared by replicas, and the two stacked (Tiered) with one render
// per missing key, in the process and across replicas. It knows nothing about
// cards: keys and bytes. Redis is an accelerator, never a dependency: when it
// fails, the cache serves from memory and renders.
package cache

import (
	"crypto/sha256"
	"encoding/hex"
)

// Entry is one cached value with what is needed to answer an HTTP request.
// Its Body is shared by every caller that gets it and must not be modified.
type Entry struct {
	Body        []byte
	ContentType string
	ETag        string
}

// orDefault is v, or def when v is zero (an Options field left unset) or
// negative. Unlike cmp.Or it never passes a negative duration on: go-redis
// reads a TTL of -1 as "keep the key's old TTL", and a negative lock or
// render time would end before it began.
func orDefault[T ~int | ~int64](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// KeyPrefix starts every key Key builds. Its version changes when the value
// layout changes, so old and new code never read each other's values.
const KeyPrefix = "sharecard:v1:"

// Key builds a content address from the parts that determine the bytes. The
// parts are joined with NUL, which cannot appear in a validated field, so
// ("a b", "c") and ("a", "b c") get different keys.
func Key(parts ...string) string {
	// Built on the stack: the server computes a key on every image request,
	// hits included, before it asks the cache.
	var buf [512]byte
	b := buf[:0]
	for i, p := range parts {
		if i > 0 {
			b = append(b, 0)
		}
		b = append(b, p...)
	}
	h := sha256.Sum256(b)
	const head = KeyPrefix + "img:"
	var out [len(head) + 32]byte
	copy(out[:], head)
	hex.Encode(out[len(head):], h[:16])
	return string(out[:])
}
