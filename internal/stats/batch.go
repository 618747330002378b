package stats

// batch is a set of pending writes whose effects add up: counter
// increments, visitor hashes and sorted-set increments. Because they add
// up, the recorder can keep counting into a new batch while a failed one
// waits to be sent again, and write both once Redis is back without losing
// or doubling a count.
type batch struct {
	hashes map[string]map[string]int64
	sets   map[string]map[string]struct{}
	zsets  map[string]map[string]int64
	// ranks names, for each day's top-list key in zsets, the campaign's
	// running ranking the same increments go into (see rankRef).
	ranks     map[string]rankRef
	campaigns map[string]struct{}
	// once are increments that count only if their entry is new to the
	// store, in the order they were folded.
	once    []onceEntry
	seen    map[string]struct{} // set entries in once, "key\x00member"
	windows map[string]int64    // window entries in once: key → latest start
	size    int                 // distinct entries held, the buffer bound's unit

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
		ranks:     map[string]rankRef{},
		campaigns: map[string]struct{}{},
		seen:      map[string]struct{}{},
		windows:   map[string]int64{},
	}
}

// onceEntry is an increment of counters that happens only if the entry is
// new to the store: a member not yet in the set at key (window 0), or an
// event at a time outside the window whose start key holds.
type onceEntry struct {
	key, member string
	at, window  int64 // Unix seconds; window entries only
	incrs       []counterRef
}

// counterRef names one counter: a field of a hash.
type counterRef struct{ key, field string }

// addOnce counts incrs once per member of the set at key. A member already
// in this batch changes nothing; one already in the store is left out
// when the batch is written.
func (b *batch) addOnce(key, member string, incrs []counterRef) {
	id := key + "\x00" + member
	if _, ok := b.seen[id]; ok {
		return
	}
	b.seen[id] = struct{}{}
	b.once = append(b.once, onceEntry{key: key, member: member, incrs: incrs})
	b.size++
}

// addWindow counts incrs once per window seconds from the first event at
// key: an event within window of the start is part of the same window.
func (b *batch) addWindow(key string, at, window int64, incrs []counterRef) {
	if start, ok := b.windows[key]; ok && inWindow(at, start, window) {
		return
	}
	b.windows[key] = at
	b.once = append(b.once, onceEntry{key: key, at: at, window: window, incrs: incrs})
	b.size++
}

// inWindow reports whether an event at at belongs to the window that
// started at start (an event may arrive a little out of order).
func inWindow(at, start, window int64) bool {
	d := at - start
	return -window < d && d < window
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

// rankRef ties a day's top list to the campaign's ranking over every day
// (keys.rank): a page view goes into both, so the per-invitation table of
// a range that covers the whole campaign is read from one sorted set
// instead of summing 100,000 invitations over every day. Day is the day's
// member in the set of days the ranking holds completely (keys.rankDays).
type rankRef struct{ rank, days, day string }

// rankIncr adds d to member in the day's top list at key and in the
// campaign's ranking r.
func (b *batch) rankIncr(key string, r rankRef, member string, d int64) {
	b.ranks[key] = r
	b.zincr(key, member, d)
}
