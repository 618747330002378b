// Package share is sharecard's domain: what an invitation is and what its
// images are. It mints invitations (one, a batch, self-service, the CLI),
// resolves a token to its invitation and campaign, gives every image its
// content address, renders through the cache at most once per address
// under the render limit, and builds the links (page, images, downloads,
// LinkedIn, the learning site with its UTM tags).
//
// It knows nothing of HTTP: the server and the CLI are thin callers that
// turn its errors into statuses or exit codes.
package share

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/maypok86/otter/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/stats"
)

// ImageCache is what the share core needs of the image cache
// (*cache.Tiered).
type ImageCache interface {
	// Cached answers from memory only; a miss goes on to GetOrRender.
	Cached(key string) (cache.Entry, bool)
	GetOrRender(ctx context.Context, key string, render func(context.Context) (cache.Entry, error)) (cache.Entry, error)
}

// Deps are what a Service is built from.
type Deps struct {
	// Campaigns are the live campaigns: a *campaign.Library, whose set a
	// publish swaps, or a fixed *campaign.Set.
	Campaigns campaign.Source
	Signer    *invite.Signer
	Cache     ImageCache
	Revoked   revoke.List    // nil: an in-memory list
	Stats     stats.Recorder // nil records nothing
	BaseURL   string         // absolute, no trailing slash
	// Encode holds the encoder settings; they are part of every address.
	Encode card.EncodeOptions
	// RenderConcurrency renders run at once; RenderQueue more may wait
	// for a slot before requests are refused with ErrBusy.
	RenderConcurrency, RenderQueue int
	// MissTimeout bounds an image request that misses the memory tier
	// (the way to Redis and a render); 0 means 10 s.
	MissTimeout time.Duration
	Registry    prometheus.Registerer // nil: a private registry
	// Now is the clock minted and rendered events are stamped with and
	// campaign windows are judged by; nil is time.Now.
	Now func() time.Time
}

// Service is the share core, built once and shared by every caller.
type Service struct {
	campaigns   campaign.Source
	signer      *invite.Signer
	cache       ImageCache
	revoked     revoke.List
	stats       stats.Recorder
	links       Links
	encode      card.EncodeOptions
	limit       *limiter
	missTimeout time.Duration
	metrics     *metrics
	resolved    *otter.Cache[resolvedKey, ImageRequest]
	qrs         *otter.Cache[string, []byte]
	now         func() time.Time
}

// New builds a Service.
func New(d Deps) (*Service, error) {
	if d.Campaigns == nil || d.Campaigns.Current() == nil || d.Signer == nil || d.Cache == nil {
		return nil, errors.New("share: Campaigns, Signer and Cache are required")
	}
	if d.Revoked == nil {
		d.Revoked = revoke.NewMemory()
	}
	if d.Stats == nil {
		d.Stats = stats.Discard{}
	}
	if d.Registry == nil {
		d.Registry = prometheus.NewRegistry()
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	m, err := newMetrics(d.Registry)
	if err != nil {
		return nil, err
	}
	return &Service{
		campaigns: d.Campaigns, signer: d.Signer, cache: d.Cache, revoked: d.Revoked, stats: d.Stats,
		links:       Links{Base: d.BaseURL},
		encode:      d.Encode,
		limit:       newLimiter(d.RenderConcurrency, d.RenderQueue),
		missTimeout: cmp.Or(d.MissTimeout, 10*time.Second),
		metrics:     m,
		resolved:    newResolvedCache(),
		qrs:         newQRCache(),
		now:         d.Now,
	}, nil
}

// Links returns the service's link builder.
func (s *Service) Links() Links { return s.links }

// Campaigns returns the live campaigns as they are now; a publish swaps
// in a new set, so callers ask again per request rather than keep one.
func (s *Service) Campaigns() *campaign.Set { return s.campaigns.Current() }

// Signer returns the token signer.
func (s *Service) Signer() *invite.Signer { return s.signer }

// Revoke takes an invitation out of service on every replica.
func (s *Service) Revoke(ctx context.Context, token string) (invite.Invitation, error) {
	inv, err := s.signer.Decode(token)
	if err != nil {
		return inv, err
	}
	if err := s.revoked.Revoke(ctx, inv.Fingerprint()); err != nil {
		return inv, fmt.Errorf("revoke invitation: %w", err)
	}
	return inv, nil
}
