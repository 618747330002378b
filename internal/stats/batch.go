package stats

// batch is a set of pending writes whose effects add up: counter
// increments, visitor hashes and sorted-set increments. Because they add
// up, the recorder can keep counting into a new batch while a failed one
// waits to be sent again, and write both once Redis is back without losing
// or doubling a count.
type batch struct {
	hashes    map[string]map[string]int64
	sets      map[string]map[string]struct{}
	zsets     map[string]map[string]int64
	campaigns map[string]struct{}
	size      int // distinct entries held, the buffer bound's unit

	// id names the batch from its first write attempt on, so the store
	// can tell a retry of a write that did land (its reply was lost) from
	// one that did not. A batch with an id never grows again: new counts
	// go into a new batch.
	id string
}

func newBatch() *batch {
	return &batch{
		hashes:    map[string]map[string]int64{},
		sets:      map[string]map[string]struct{}{},
		zsets:     map[string]map[string]int64{},
		campaigns: map[string]struct{}{},
	}
}

func (b *batch) empty() bool { return b.size == 0 && len(b.campaigns) == 0 }

func (b *batch) incr(key, field string, d int64) {
	h := b.hashes[key]
	if h == nil {
		h = map[string]int64{}
		b.hashes[key] = h
	}
	if _, ok := h[field]; !ok {
		b.size++
	}
	h[field] += d
}

func (b *batch) add(key, member string) {
	s := b.sets[key]
	if s == nil {
		s = map[string]struct{}{}
		b.sets[key] = s
	}
	if _, ok := s[member]; !ok {
		b.size++
		s[member] = struct{}{}
	}
}

func (b *batch) zincr(key, member string, d int64) {
	z := b.zsets[key]
	if z == nil {
		z = map[string]int64{}
		b.zsets[key] = z
	}
	if _, ok := z[member]; !ok {
		b.size++
	}
	z[member] += d
}
