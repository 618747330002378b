package cache

import (
	"log/slog"
	"math"

	"github.com/maypok86/otter/v2"
)

// DefaultMemoryBytes bounds the in-process tier when Options leave it zero.
const DefaultMemoryBytes = 256 << 20

// entryOverhead approximates what one entry costs beyond its bytes (the
// strings' headers, the map node, the policy's bookkeeping), so a flood of
// tiny values cannot exceed the bound by much.
const entryOverhead = 128

// Memory is the in-process tier: W-TinyLFU (otter) bounded by the bytes it
// holds, not by the number of entries, since a story PNG weighs ten times
// an og JPEG.
type Memory struct {
	c   *otter.Cache[string, Entry]
	max uint64
}

// NewMemory returns a memory tier holding at most maxBytes (0: the default
// 256 MiB).
func NewMemory(maxBytes int64) *Memory {
	if maxBytes <= 0 {
		maxBytes = DefaultMemoryBytes
	}
	m := &Memory{max: uint64(maxBytes)}
	m.c = otter.Must(&otter.Options[string, Entry]{
		MaximumWeight: m.max,
		Weigher:       weigh,
	})
	return m
}

// weigh counts an entry's body by its capacity, the memory it keeps
// alive, not by its length: a body sliced from a larger buffer keeps all of
// it. (A body read from Redis is the tail of the reply's buffer, whose few
// header bytes before it entryOverhead covers.)
func weigh(key string, e Entry) uint32 {
	n := uint64(len(key)+cap(e.Body)+len(e.ContentType)+len(e.ETag)) + entryOverhead
	if n > math.MaxUint32 {
		return math.MaxUint32
	}
	return uint32(n)
}

// warnAboveMemoryLimit warns when the tier may take more than half of the
// Go runtime's memory limit (GOMEMLIMIT; math.MaxInt64 when unset). The
// process keeps the tier plus some 60 MiB of templates and buffers live;
// near the limit the collector runs ever more often and a full tier could
// keep it running, so the tier should leave the other half to the rest.
func warnAboveMemoryLimit(tier uint64, limit int64, log *slog.Logger) {
	if limit == math.MaxInt64 || tier <= uint64(limit)/2 {
		return
	}
	log.Warn("cache: the memory tier may take more than half of GOMEMLIMIT, leaving the collector too little room once it fills; lower SHARECARD_CACHE_MEMORY or raise GOMEMLIMIT",
		"cache_memory_bytes", tier, "gomemlimit_bytes", limit)
}

// Get returns the entry for key.
func (m *Memory) Get(key string) (Entry, bool) { return m.c.GetIfPresent(key) }

// Set stores e under key. An entry larger than the whole tier is not
// stored: it would only push everything else out and be evicted itself.
func (m *Memory) Set(key string, e Entry) {
	if uint64(weigh(key, e)) > m.max {
		return
	}
	m.c.Set(key, e)
}

// Bytes is the weight currently held, what the bound applies to.
func (m *Memory) Bytes() uint64 { return m.c.WeightedSize() }

// Len is the number of entries held.
func (m *Memory) Len() int { return m.c.EstimatedSize() }

// MaxBytes is the bound.
func (m *Memory) MaxBytes() uint64 { return m.max }

func (m *Memory) close() { m.c.StopAllGoroutines() }
