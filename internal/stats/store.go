package stats

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
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
	// entered by a campaign manager (replacing an earlier entry, which the
	// history keeps).
	SetImpressions(ctx context.Context, campaign string, day time.Time, platform string, n int64) error
	// DeleteImpressions removes an entered figure (the history keeps it).
	DeleteImpressions(ctx context.Context, campaign string, day time.Time, platform string) error
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

// maxChanges bounds the history of entered impressions per campaign.
const maxChanges = 1000

// SetImpressions stores a platform's impressions for one day, replacing
// an earlier figure; the history records the change.
func (s *Store) SetImpressions(ctx context.Context, campaign string, day time.Time, platform string, n int64) error {
	if n < 0 || n > MaxImpressions {
		return badInput("impressions must be a whole number from 0 to %d", int64(MaxImpressions))
	}
	return s.changeImpressions(ctx, campaign, day, platform, &n)
}

// DeleteImpressions removes a platform's entered impressions for one day;
// the history records it.
func (s *Store) DeleteImpressions(ctx context.Context, campaign string, day time.Time, platform string) error {
	return s.changeImpressions(ctx, campaign, day, platform, nil)
}

func (s *Store) changeImpressions(ctx context.Context, campaign string, day time.Time, platform string, n *int64) error {
	c := cleanName(campaign, 64)
	if c == "" {
		return badInput("campaign id %q is not valid", campaign)
	}
	p := cleanName(platform, 32)
	if p == "" || !validPlatform(p) {
		return badInput("platform %q is not one of %v", platform, Platforms)
	}
	if day.IsZero() {
		return badInput("the day is missing")
	}
	if day.After(s.o.Now().Add(24 * time.Hour)) {
		return badInput("the day %s is in the future", day.Format(time.DateOnly))
	}
	return s.be.changeField(ctx, s.k.impressions(c), dayStart(day).Format(dayLayout)+"/"+p, n,
		s.k.impressionsLog(c), s.o.Now().UTC().Format(time.RFC3339))
}

// ImpressionChange is one change to the entered impressions: From is nil
// for a new entry, To for a deletion.
type ImpressionChange struct {
	At       time.Time `json:"at"`
	Day      string    `json:"day"` // YYYY-MM-DD
	Platform string    `json:"platform"`
	From     *int64    `json:"from"`
	To       *int64    `json:"to"`
}

// historyShown is how many changes a report carries.
const historyShown = 50

// parseChange reads one change-log entry; ok is false for one it cannot.
func parseChange(entry string) (ImpressionChange, bool) {
	parts := strings.Split(entry, "|")
	if len(parts) != 4 {
		return ImpressionChange{}, false
	}
	at, err := time.Parse(time.RFC3339, parts[0])
	dayField, platform, _ := strings.Cut(parts[1], "/")
	day, err2 := time.Parse(dayLayout, dayField)
	if err != nil || err2 != nil {
		return ImpressionChange{}, false
	}
	num := func(s string) *int64 {
		if n, err := strconv.ParseInt(s, 10, 64); err == nil {
			return &n
		}
		return nil
	}
	return ImpressionChange{At: at, Day: day.Format(time.DateOnly), Platform: platform, From: num(parts[2]), To: num(parts[3])}, true
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
