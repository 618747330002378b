package stats

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"
)

// memory is the embedded-mode backend: the same keys and semantics as
// Redis, held in the process. Visitor sets are exact sets of the day's
// visitor hashes (a HyperLogLog's job done exactly) while their day can
// still grow; once a set has not grown for longer than a salt lives, no
// event can add to it any more, and it is frozen to its count, so a long
// campaign keeps a number per day, not every hash.
type memory struct {
	now          func() time.Time
	campaignsKey string

	mu      sync.Mutex
	hashMap map[string]map[string]int64
	sets    map[string]map[string]struct{}
	frozen  map[string]int64     // visitor sets reduced to their count
	grown   map[string]time.Time // when a visitor set last grew
	zsets   map[string]map[string]int64
	once    map[string]map[string]struct{} // what counted once, per day (onceTTL)
	windows map[string]int64               // preview window starts (windowTTL)
	strs    map[string][]byte
	logs    map[string][]string // change logs, newest first
	expiry  map[string]time.Time
	swept   time.Time
}

func newMemory(now func() time.Time, campaignsKey string) *memory {
	return &memory{
		now:          now,
		campaignsKey: campaignsKey,
		hashMap:      map[string]map[string]int64{},
		sets:         map[string]map[string]struct{}{},
		frozen:       map[string]int64{},
		grown:        map[string]time.Time{},
		zsets:        map[string]map[string]int64{},
		once:         map[string]map[string]struct{}{},
		windows:      map[string]int64{},
		strs:         map[string][]byte{},
		expiry:       map[string]time.Time{},
	}
}

// expireLocked drops keys whose time to live has passed. It runs at most
// once a minute of clock time, so a flush stays cheap.
func (m *memory) expireLocked() {
	now := m.now()
	if now.Sub(m.swept) < time.Minute && !m.swept.IsZero() {
		return
	}
	m.swept = now
	for k, at := range m.grown {
		if now.Sub(at) > 24*time.Hour+saltLife {
			m.frozen[k] = int64(len(m.sets[k]))
			delete(m.sets, k)
			delete(m.grown, k)
		}
	}
	for k, at := range m.expiry {
		if !now.Before(at) {
			delete(m.hashMap, k)
			delete(m.sets, k)
			delete(m.frozen, k)
			delete(m.grown, k)
			delete(m.zsets, k)
			delete(m.once, k)
			delete(m.windows, k)
			delete(m.strs, k)
			delete(m.expiry, k)
		}
	}
}

// alive reports whether key has not expired (checked on every read, so an
// expired salt is gone the moment its time is up, sweep or not).
func (m *memory) alive(key string) bool {
	at, ok := m.expiry[key]
	return !ok || m.now().Before(at)
}

func (m *memory) apply(_ context.Context, b *batch, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.expireLocked()
	until := m.now().Add(ttl)
	for k, h := range b.hashes {
		dst := m.hashMap[k]
		if dst == nil || !m.alive(k) {
			dst = map[string]int64{}
			m.hashMap[k] = dst
		}
		for f, d := range h {
			dst[f] += d
		}
		m.expiry[k] = until
	}
	for k, s := range b.sets {
		dst := m.sets[k]
		if dst == nil || !m.alive(k) {
			dst = map[string]struct{}{}
			m.sets[k] = dst
		}
		for e := range s {
			dst[e] = struct{}{}
		}
		m.grown[k] = m.now()
		m.expiry[k] = until
	}
	for k, z := range b.zsets {
		dst := m.zsets[k]
		fresh := dst == nil || !m.alive(k)
		if fresh {
			dst = map[string]int64{}
			m.zsets[k] = dst
		}
		r, ranked := b.ranks[k]
		if ranked {
			// As rankScript: the ranking takes the day only if it has
			// held it from its first page view.
			days := m.liveSetLocked(r.days)
			_, full := days[r.day]
			if full || fresh {
				days[r.day] = struct{}{}
				m.expiry[r.days] = until
				rank := m.liveZsetLocked(r.rank)
				for e, d := range z {
					rank[e] -= d
				}
				m.expiry[r.rank] = until
			}
		}
		for e, d := range z {
			dst[e] += d
		}
		m.expiry[k] = until
	}
	for _, e := range b.once {
		if !m.newOnceLocked(e) {
			continue
		}
		for _, r := range e.incrs {
			h := m.hashMap[r.key]
			if h == nil || !m.alive(r.key) {
				h = map[string]int64{}
				m.hashMap[r.key] = h
			}
			h[r.field]++
			m.expiry[r.key] = until
		}
	}
	if len(b.campaigns) > 0 {
		s := m.sets[m.campaignsKey]
		if s == nil {
			s = map[string]struct{}{}
			m.sets[m.campaignsKey] = s
		}
		for c := range b.campaigns {
			s[c] = struct{}{}
		}
	}
	return nil
}

// newOnceLocked records e and reports whether it is new: a member not yet
// in its day's set, or an event outside its key's current window.
func (m *memory) newOnceLocked(e onceEntry) bool {
	now := m.now()
	if e.window > 0 {
		start, ok := m.windows[e.key]
		if ok && m.alive(e.key) && inWindow(e.at, start, e.window) {
			return false
		}
		m.windows[e.key] = e.at
		m.expiry[e.key] = now.Add(windowTTL)
		return true
	}
	s := m.once[e.key]
	if s == nil || !m.alive(e.key) {
		s = map[string]struct{}{}
		m.once[e.key] = s
	}
	m.expiry[e.key] = now.Add(onceTTL)
	if _, ok := s[e.member]; ok {
		return false
	}
	s[e.member] = struct{}{}
	return true
}

func (m *memory) salt(_ context.Context, key string, candidate []byte, expireAt time.Time) ([]byte, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if v, ok := m.strs[key]; ok && m.alive(key) {
		return v, nil
	}
	m.strs[key] = append([]byte(nil), candidate...)
	m.expiry[key] = expireAt
	return m.strs[key], nil
}

func (m *memory) hashes(_ context.Context, keys []string) ([]map[string]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]map[string]int64, len(keys))
	for i, k := range keys {
		h, ok := m.hashMap[k]
		if !ok || !m.alive(k) {
			continue
		}
		c := make(map[string]int64, len(h))
		for f, v := range h {
			c[f] = v
		}
		out[i] = c
	}
	return out, nil
}

func (m *memory) uniques(_ context.Context, keys []string) ([]int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]int64, len(keys))
	for i, k := range keys {
		if m.alive(k) {
			out[i] = int64(len(m.sets[k])) + m.frozen[k]
		}
	}
	return out, nil
}

// liveSetLocked is the set at key, made anew if missing or expired.
func (m *memory) liveSetLocked(key string) map[string]struct{} {
	s := m.sets[key]
	if s == nil || !m.alive(key) {
		s = map[string]struct{}{}
		m.sets[key] = s
	}
	return s
}

// liveZsetLocked is the sorted set at key, made anew if missing or expired.
func (m *memory) liveZsetLocked(key string) map[string]int64 {
	z := m.zsets[key]
	if z == nil || !m.alive(key) {
		z = map[string]int64{}
		m.zsets[key] = z
	}
	return z
}

func (m *memory) zpage(_ context.Context, key string, offset, limit int) ([]string, int, error) {
	m.mu.Lock()
	z := m.zsets[key]
	if !m.alive(key) {
		z = nil
	}
	type member struct {
		id    string
		score int64
	}
	all := make([]member, 0, len(z))
	for e, v := range z {
		all = append(all, member{e, v})
	}
	m.mu.Unlock()
	// Redis's order: by score, ties by member.
	sort.Slice(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score < all[j].score
		}
		return all[i].id < all[j].id
	})
	var out []string
	for i := offset; i < len(all) && i < offset+limit; i++ {
		out = append(out, all[i].id)
	}
	return out, len(all), nil
}

func (m *memory) zsum(_ context.Context, dst string, keys []string, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.zsets[dst]; ok && m.alive(dst) {
		return nil
	}
	sum := map[string]int64{}
	for _, k := range keys {
		if !m.alive(k) {
			continue
		}
		for e, v := range m.zsets[k] {
			sum[e] -= v
		}
	}
	m.zsets[dst] = sum
	m.expiry[dst] = m.now().Add(ttl)
	return nil
}

func (m *memory) exists(_ context.Context, keys []string) ([]bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]bool, len(keys))
	for i, k := range keys {
		if !m.alive(k) {
			continue
		}
		_, h := m.hashMap[k]
		_, s := m.sets[k]
		_, z := m.zsets[k]
		_, st := m.strs[k]
		out[i] = h || s || z || st
	}
	return out, nil
}

func (m *memory) changeField(_ context.Context, key, field string, v *int64, logKey, at string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	h := m.hashMap[key]
	if h == nil {
		h = map[string]int64{}
		m.hashMap[key] = h
	}
	old := ""
	if n, ok := h[field]; ok {
		old = strconv.FormatInt(n, 10)
	}
	val := ""
	if v == nil {
		delete(h, field)
	} else {
		h[field] = *v
		val = strconv.FormatInt(*v, 10)
	}
	if m.logs == nil {
		m.logs = map[string][]string{}
	}
	log := append([]string{at + "|" + field + "|" + old + "|" + val}, m.logs[logKey]...)
	m.logs[logKey] = log[:min(len(log), maxChanges)]
	return nil
}

func (m *memory) changes(_ context.Context, logKey string, n int) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	log := m.logs[logKey]
	return append([]string(nil), log[:min(len(log), n)]...), nil
}

func (m *memory) members(_ context.Context, key string) ([]string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []string
	for e := range m.sets[key] {
		out = append(out, e)
	}
	return out, nil
}

// dump calls fn with every key and every stored value as text, so a test
// can check that no personal data was kept.
func (m *memory) dump(fn func(key, value string)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, h := range m.hashMap {
		for f := range h {
			fn(k, f)
		}
	}
	for k, s := range m.sets {
		for e := range s {
			fn(k, e)
		}
	}
	for k, z := range m.zsets {
		for e := range z {
			fn(k, e)
		}
	}
	for k, s := range m.once {
		for e := range s {
			fn(k, e)
		}
	}
	for k, v := range m.windows {
		fn(k, fmt.Sprint(v))
	}
	for k, n := range m.frozen {
		fn(k, fmt.Sprint(n))
	}
	for k, v := range m.strs {
		fn(k, string(v))
	}
	for k, log := range m.logs {
		for _, e := range log {
			fn(k, e)
		}
	}
}
