package stats

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"
)

// Reader is the query side the dashboard, the API and the CLI use.
type Reader interface {
	// Report computes a campaign's numbers over q's range.
	Report(ctx context.Context, q Query) (*Report, error)
	// Invitations returns a page of the per-invitation table over q's
	// range.
	Invitations(ctx context.Context, q Query, offset, limit int) (*InvitationPage, error)
	// SetImpressions stores a platform's impressions for one day, as
	// entered by a campaign manager (replacing an earlier entry).
	SetImpressions(ctx context.Context, campaign string, day time.Time, platform string, n int64) error
}

// Store reads (and, for entered impressions, writes) the numbers kept in
// Redis or, for a recorder in embedded mode, in its memory.
type Store struct {
	o  Options
	k  keys
	be backend
}

// NewStore opens the numbers at o.Redis for reading, without a recorder
// (as the CLI does). With a nil Redis it is an empty memory store; in
// embedded mode use the recorder itself, which holds the counters.
func NewStore(o Options) *Store {
	o = o.withDefaults()
	k := keys{prefix: o.Prefix}
	var be backend
	if o.Redis != nil {
		be = &redisStore{c: o.Redis, prefix: k.prefix, campaignsKey: k.campaigns()}
	} else {
		be = newMemory(o.Now, k.campaigns())
	}
	if o.wrap != nil {
		be = o.wrap(be)
	}
	return &Store{o: o, k: k, be: be}
}

// ErrBadInput marks an error caused by the caller's input (a bad query or
// impression entry); the message says what to fix.
var ErrBadInput = errors.New("bad input")

func badInput(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrBadInput, fmt.Sprintf(format, a...))
}

// Platforms lists the platform names the dashboard offers for entered
// impressions, in display order.
var Platforms = []string{"linkedin", "facebook", "instagram", "twitter", "tiktok", "other"}

// MaxImpressions bounds one entry; a larger number is a typing mistake.
const MaxImpressions = 10_000_000_000

// SetImpressions stores a platform's impressions for one day.
func (s *Store) SetImpressions(ctx context.Context, campaign string, day time.Time, platform string, n int64) error {
	c := cleanName(campaign, 64)
	if c == "" {
		return badInput("campaign id %q is not valid", campaign)
	}
	p := cleanName(platform, 32)
	if p == "" || !validPlatform(p) {
		return badInput("platform %q is not one of %v", platform, Platforms)
	}
	if n < 0 || n > MaxImpressions {
		return badInput("impressions must be a whole number from 0 to %d", int64(MaxImpressions))
	}
	if day.IsZero() {
		return badInput("the day is missing")
	}
	if day.After(s.o.Now().Add(24 * time.Hour)) {
		return badInput("the day %s is in the future", day.Format(time.DateOnly))
	}
	return s.be.setField(ctx, s.k.impressions(c), dayStart(day).Format(dayLayout)+"/"+p, n)
}

func validPlatform(p string) bool {
	for _, x := range Platforms {
		if x == p {
			return true
		}
	}
	return false
}

// Campaigns lists the campaign ids that have recorded numbers.
func (s *Store) Campaigns(ctx context.Context) ([]string, error) {
	ids, err := s.be.members(ctx, s.k.campaigns())
	if err != nil {
		return nil, err
	}
	sort.Strings(ids)
	return ids, nil
}
