package server

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/config"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/stats"
)

// Renderer turns an invitation into image bytes through the cache, under the
// render concurrency limit. The service and `sharecard invite --prerender`
// share it, so both fill the cache under the same keys.
type Renderer struct {
	cache   ImageCache
	encode  card.EncodeOptions
	limit   *limiter
	metrics *metrics
	stats   stats.Recorder
}

// NewRenderer builds a Renderer. m may be nil (the CLI registers no server
// metrics); rec may be nil.
func NewRenderer(c ImageCache, cfg config.Config, m *metrics, rec stats.Recorder) *Renderer {
	if m == nil {
		m, _ = newMetrics(prometheus.NewRegistry())
	}
	if rec == nil {
		rec = stats.Discard{}
	}
	return &Renderer{
		cache:   c,
		encode:  card.EncodeOptions{JPEGQuality: cfg.JPEGQuality},
		limit:   newLimiter(cfg.RenderConcurrency, cfg.RenderQueue),
		metrics: m,
		stats:   rec,
	}
}

// ImageRef names one image of an invitation.
type ImageRef struct {
	Variant string
	Format  card.Format
}

// Address is an image's content address and strong ETag. Both are known
// before the cache is asked, so a matching If-None-Match costs nothing.
type Address struct {
	Key     string
	ETag    string
	Version string // the template version
	tpl     *card.Template
}

// Address computes the content address of one image: template version,
// variant, format, encoder settings and the invitee's fields.
func (r *Renderer) Address(camp *campaign.Campaign, inv invite.Invitation, ref ImageRef) (Address, bool) {
	tpl, ok := camp.Variant(ref.Variant)
	if !ok {
		return Address{}, false
	}
	key := cache.Key(camp.ID, tpl.Version, ref.Variant, string(ref.Format), r.encode.String(), inv.Name, inv.Title, inv.Org)
	return Address{Key: key, ETag: `"` + key[strings.LastIndexByte(key, ':')+1:] + `"`, Version: tpl.Version, tpl: tpl}, true
}

// Cached returns the image from the memory tier, if it is there.
func (r *Renderer) Cached(addr Address) (cache.Entry, bool) { return r.cache.Cached(addr.Key) }

// Image returns the image's bytes, rendering at most once per address.
// rendered reports whether this call ran the render. wait lets the call
// queue for a render slot without the queue bound (batch work).
func (r *Renderer) Image(ctx context.Context, camp *campaign.Campaign, inv invite.Invitation, ref ImageRef, wait bool) (entry cache.Entry, rendered bool, err error) {
	addr, ok := r.Address(camp, inv, ref)
	if !ok {
		return cache.Entry{}, false, fmt.Errorf("campaign %s has no variant %q", camp.ID, ref.Variant)
	}
	// The cache may run the render on a goroutine of its own (so a cancelled
	// client does not cancel it for others): report through an atomic.
	var ran atomic.Bool
	entry, err = r.cache.GetOrRender(ctx, addr.Key, func(ctx context.Context) (cache.Entry, error) {
		if err := r.limit.acquire(ctx, wait); err != nil {
			if err == errBusy {
				r.metrics.rendersRefused.Inc()
			}
			return cache.Entry{}, err
		}
		defer r.limit.release()
		r.metrics.rendersRunning.Inc()
		defer r.metrics.rendersRunning.Dec()
		start := time.Now()
		body, err := card.RenderBytes(addr.tpl, card.Fields{Name: inv.Name, Title: inv.Title, Org: inv.Org}, ref.Format, r.encode)
		if err != nil {
			return cache.Entry{}, fmt.Errorf("render %s %s.%s: %w", camp.ID, ref.Variant, ref.Format, err)
		}
		r.metrics.renderSeconds.WithLabelValues(ref.Variant, string(ref.Format)).Observe(time.Since(start).Seconds())
		ran.Store(true)
		return cache.Entry{Body: body, ContentType: ref.Format.ContentType(), ETag: addr.ETag}, nil
	})
	rendered = ran.Load()
	if rendered {
		r.stats.Record(stats.Event{Kind: stats.ImageRendered, Campaign: camp.ID, Variant: ref.Variant, Format: string(ref.Format), At: time.Now()})
	}
	return entry, rendered, err
}

// Published lists the images an invitation's links point at.
func Published(inv invite.Invitation) []ImageRef {
	var refs []ImageRef
	for _, v := range inv.OfferedVariants() {
		refs = append(refs, ImageRef{Variant: v, Format: PublishedFormat(v)})
	}
	return refs
}
