// Package admin owns the admin token: the constant-time check that the
// bearer API and the dashboard's login share, and the throttle on failed
// attempts per client.
//
// The right token always gets in. A token of 128 bits or more cannot be
// guessed by trying, so the throttle is there to spare the logs and the
// CPU from somebody hammering the door, not to stop a guesser; throttling
// the right token too would let anyone behind the manager's office NAT, or
// every client behind a proxy whose address the service cannot see
// through, lock the manager out.
package admin

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// ErrWrongToken means the token given is not the admin token (or none is
// configured).
var ErrWrongToken = errors.New("wrong admin token")

// ThrottledError means a client has failed too often lately; it may try
// again after RetryAfter.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return "too many wrong admin tokens from this address: try again in " + e.RetryAfter.Round(time.Second).String()
}

// RetrySeconds is RetryAfter as a Retry-After header's whole seconds.
func (e *ThrottledError) RetrySeconds() int {
	return max(1, int(math.Ceil(e.RetryAfter.Seconds())))
}

// Gate checks admin tokens and throttles the clients that fail.
type Gate struct {
	want [32]byte
	set  bool
	// Failures per client: Burst at once, then one every Every.
	every time.Duration
	burst int
	now   func() time.Time

	mu      sync.Mutex
	clients map[string]*rate.Limiter
}

// Options tune a Gate; zero values take the defaults.
type Options struct {
	Every time.Duration    // one more failure allowed every Every (default 1 s)
	Burst int              // failures allowed at once (default 10)
	Now   func() time.Time // default time.Now
}

// maxClients bounds the table of failing clients: when it is full it
// starts afresh, which only forgives old failures.
const maxClients = 10000

// New builds a Gate for token; an empty token lets nobody in.
func New(token string, o Options) *Gate {
	g := &Gate{want: sha256.Sum256([]byte(token)), set: token != "", every: o.Every, burst: o.Burst, now: o.Now}
	if g.every <= 0 {
		g.every = time.Second
	}
	if g.burst <= 0 {
		g.burst = 10
	}
	if g.now == nil {
		g.now = time.Now
	}
	return g
}

// Enabled reports whether an admin token is configured.
func (g *Gate) Enabled() bool { return g.set }

// OK reports whether given is the admin token, in constant time (hashing
// both sides first hides the length too). It counts nothing.
func (g *Gate) OK(given string) bool {
	got := sha256.Sum256([]byte(given))
	return g.set && subtle.ConstantTimeCompare(got[:], g.want[:]) == 1
}

// Check lets the right token through at once, whoever sends it, and
// counts any other as a failure of client: ErrWrongToken while the client
// is within its allowance, *ThrottledError after.
func (g *Gate) Check(client, given string) error {
	if g.OK(given) {
		return nil
	}
	lim := g.limiter(client)
	now := g.now()
	if lim.AllowN(now, 1) {
		return ErrWrongToken
	}
	r := lim.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	return &ThrottledError{RetryAfter: max(wait, time.Second)}
}

func (g *Gate) limiter(client string) *rate.Limiter {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.clients == nil || len(g.clients) >= maxClients {
		g.clients = map[string]*rate.Limiter{}
	}
	l := g.clients[client]
	if l == nil {
		l = rate.NewLimiter(rate.Every(g.every), g.burst)
		g.clients[client] = l
	}
	return l
}
