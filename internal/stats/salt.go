package stats

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"time"
)

// saltLife is how long past the end of its day a salt survives: late
// events of the day can still be counted for an hour, then the salt is
// gone and nobody (the operator included) can link a hash to a visitor.
// A salt made at midnight therefore lives 25 hours.
const saltLife = time.Hour

// saltRetry is how long the recorder waits before asking an unreachable
// store again for the shared salt.
const saltRetry = 5 * time.Second

type daySalt struct {
	value     []byte
	mac       hash.Hash // HMAC keyed with value, reused: one per day, not per event
	expires   time.Time
	confirmed bool      // read back from the store, so every replica uses it
	tried     time.Time // last attempt to confirm
	failed    bool      // an attempt failed: retries run beside the loop
	fetching  bool      // a retry is under way
}

// salts hands out the day's visitor-hash salt. It is used by the
// recorder's single loop goroutine only, so it needs no lock.
type salts struct {
	store   backend
	keys    keys
	now     func() time.Time
	timeout time.Duration
	byDay   map[string]*daySalt
	results chan saltResult // retries' answers, settled by the loop
}

type saltResult struct {
	ds  *daySalt
	v   []byte
	err error
}

func newSalts(store backend, k keys, now func() time.Time, timeout time.Duration) *salts {
	return &salts{store: store, keys: k, now: now, timeout: timeout, byDay: map[string]*daySalt{}, results: make(chan saltResult, 4)}
}

// forDay returns the salt for the day of t in loc, or nil when that day's
// salt has expired (an event that arrived too late to be counted as a
// visitor).
func (s *salts) forDay(t time.Time, loc *time.Location) []byte {
	if ds := s.lookup(t, loc); ds != nil {
		return ds.value
	}
	return nil
}

// visitor returns the day's visitor hash for an event at t, its day
// being the campaign's (loc), or "" when the day's salt has expired.
func (s *salts) visitor(t time.Time, loc *time.Location, campaign, ip, ua string) string {
	ds := s.lookup(t, loc)
	if ds == nil {
		return ""
	}
	if ds.mac == nil {
		ds.mac = hmac.New(sha256.New, ds.value)
	}
	return visitorHash(ds.mac, campaign, ip, ua)
}

func (s *salts) lookup(t time.Time, loc *time.Location) *daySalt {
	now := s.now()
	for d, ds := range s.byDay {
		if !now.Before(ds.expires) {
			delete(s.byDay, d)
		}
	}
	start := localDay(t, loc)
	expires := start.AddDate(0, 0, 1).Add(saltLife)
	if !now.Before(expires) {
		return nil
	}
	day := start.Location().String() + ":" + start.Format(dayLayout)
	ds := s.byDay[day]
	if ds == nil {
		v := make([]byte, 32)
		_, _ = rand.Read(v) // crypto/rand.Read never fails (Go 1.24+)
		ds = &daySalt{value: v, expires: expires}
		s.byDay[day] = ds
	}
	if !ds.confirmed && !ds.fetching && now.Sub(ds.tried) >= saltRetry {
		ds.tried = now
		key, candidate := s.keys.salt(start), ds.value
		fetch := func() ([]byte, error) {
			ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
			defer cancel()
			return s.store.salt(ctx, key, candidate, expires)
		}
		if !ds.failed {
			// The first attempt is waited for, so the day's first visitors
			// are hashed with the salt every replica uses.
			v, err := fetch()
			s.settle(saltResult{ds, v, err})
		} else {
			// The store was away: ask again beside the loop, which goes on
			// counting with this replica's own salt meanwhile, rather than
			// stall the folding of events every saltRetry for the timeout.
			ds.fetching = true
			go func() {
				v, err := fetch()
				s.results <- saltResult{ds, v, err}
			}()
		}
	}
	return ds
}

// settle takes in the answer of an attempt to confirm a day's salt.
func (s *salts) settle(r saltResult) {
	ds := r.ds
	ds.fetching = false
	if r.err != nil {
		ds.failed = true
		return
	}
	// Another replica may have made the day's salt first: use theirs, so
	// a visitor is one visitor whichever replica saw them.
	if string(r.v) != string(ds.value) {
		ds.value, ds.mac = r.v, nil
	}
	ds.confirmed = true
}

// visitorHash is the day's pseudonymous visitor id: a keyed hash of the
// campaign, IP and User-Agent under the day's salt, truncated to 64 bits.
// Without the salt, which is gone a day later, it cannot be linked back.
func visitorHash(m hash.Hash, campaign, ip, ua string) string {
	m.Reset()
	m.Write([]byte(campaign))
	m.Write([]byte{0})
	m.Write([]byte(ip))
	m.Write([]byte{0})
	m.Write([]byte(ua))
	var sum [sha256.Size]byte
	return hex.EncodeToString(m.Sum(sum[:0])[:8])
}
