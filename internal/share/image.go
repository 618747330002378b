package share

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"time"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/variant"
)

// ImageRef names one image of an invitation.
type ImageRef struct {
	// Kind is the card: "" for the invitation, Declined for the "I
	// declined" card.
	Kind    string
	Variant string
	Format  card.Format
}

// Declined is the kind of the "I declined" card, a campaign's second
// design (its declined: section), made for the same person in the same
// sizes as the invitation.
const Declined = "declined"

// File is the image's file name in its URL, e.g. "og.jpg".
func (r ImageRef) File() string { return r.Variant + "." + string(r.Format) }

// Name is the image's variant as numbers and messages name it: "og" for
// the invitation's, "declined-og" for the "I declined" card's.
func (r ImageRef) Name() string {
	if r.Kind == "" {
		return r.Variant
	}
	return r.Kind + "-" + r.Variant
}

// dir is the part of an image's path between the token and its file:
// the "I declined" card lives under /i/{token}/declined/.
func (r ImageRef) dir() string {
	if r.Kind == "" {
		return ""
	}
	return r.Kind + "/"
}

// DeclinedRef is the "I declined" card's image of variant v, in the
// format the invitation's image of v is published in.
func DeclinedRef(v string) ImageRef {
	return ImageRef{Kind: Declined, Variant: v, Format: PublishedFormat(v)}
}

// ParseFile splits a file name such as "og.jpg" into an ImageRef.
func ParseFile(file string) (ImageRef, bool) {
	v, ext, ok := strings.Cut(file, ".")
	if !ok {
		return ImageRef{}, false
	}
	f, ok := card.ParseFormat(ext)
	return ImageRef{Variant: v, Format: f}, ok
}

// PublishedFormat is the format a variant's link uses: JPEG for the link
// preview (what platforms expect, and small), PNG for the Instagram sizes
// (sharp type when Instagram re-encodes).
func PublishedFormat(v string) card.Format {
	if v == variant.Preview {
		return card.JPEG
	}
	return card.PNG
}

// Published lists the images an invitation's links point at.
func Published(inv invite.Invitation) []ImageRef {
	var refs []ImageRef
	for _, v := range inv.OfferedVariants() {
		refs = append(refs, ImageRef{Variant: v, Format: PublishedFormat(v)})
	}
	return refs
}

// Address is an image's content address and strong ETag, with what it
// takes to render it. Both are known before the cache is asked, so a
// matching If-None-Match costs nothing.
type Address struct {
	Key     string
	ETag    string
	Version string // the template version
	Ref     ImageRef
	// Lang is the card's language: the campaign's default, or the one
	// chosen with Campaign.In.
	Lang   string
	camp   string
	tpl    *card.Template
	fields card.Fields
}

// Address computes the content address of one image: template version,
// kind, variant, format, encoder settings, the invitee's fields and, for a
// language other than the campaign's default, the language (camp.Lang:
// pass camp.In(lang) for a card in another language). ok is false when
// the campaign has no such variant, or no card of that kind.
func (s *Service) Address(camp *campaign.Campaign, inv invite.Invitation, ref ImageRef) (Address, bool) {
	var tpl *card.Template
	var ok bool
	switch ref.Kind {
	case "":
		tpl, ok = camp.Variant(ref.Variant)
	case Declined:
		tpl, ok = camp.Declined(ref.Variant)
	}
	if !ok {
		return Address{}, false
	}
	lang := camp.Lang()
	// The invitation's keys in the default language are those from
	// before campaigns had kinds of card and languages, so the cards
	// already cached stay found.
	parts := []string{camp.ID, tpl.Version}
	if ref.Kind != "" {
		parts = append(parts, ref.Kind)
	}
	parts = append(parts, ref.Variant, string(ref.Format), s.encode.String(), inv.Name, inv.Title, inv.Org)
	if lang != camp.Language {
		parts = append(parts, "lang="+lang)
	}
	key := cache.Key(parts...)
	return Address{
		Key: key, ETag: `"` + key[strings.LastIndexByte(key, ':')+1:] + `"`, Version: tpl.Version, Ref: ref, Lang: lang,
		camp: camp.ID, tpl: tpl, fields: Fields(inv),
	}, true
}

// Size is the image's width and height in pixels.
func (a Address) Size() (int, int) { return a.tpl.Width, a.tpl.Height }

// Fields are the texts of an invitation a card draws.
func Fields(inv invite.Invitation) card.Fields {
	return card.Fields{Name: inv.Name, Title: inv.Title, Org: inv.Org}
}

// Image returns an image for a request: from memory at once when it is
// there (the common case for a shared link, so it gets no deadline), else
// through Redis or one render, within the miss timeout and refused with
// ErrBusy when the render queue is full.
func (s *Service) Image(ctx context.Context, addr Address) (cache.Entry, error) {
	if e, ok := s.cache.Cached(addr.Key); ok {
		return e, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.missTimeout)
	defer cancel()
	e, _, err := s.getOrRender(ctx, addr, false)
	if errors.Is(err, context.DeadlineExceeded) {
		return e, ErrTimeout
	}
	return e, err
}

// Fill puts an image into the cache for batch work: it waits for a
// render slot instead of being refused, with no deadline but ctx's.
// rendered reports whether this call ran the render.
func (s *Service) Fill(ctx context.Context, addr Address) (rendered bool, err error) {
	_, rendered, err = s.getOrRender(ctx, addr, true)
	return rendered, err
}

func (s *Service) getOrRender(ctx context.Context, addr Address, wait bool) (cache.Entry, bool, error) {
	// The cache may run the render on a goroutine of its own (so a
	// cancelled client does not cancel it for others): report through an
	// atomic.
	var ran atomic.Bool
	ref := addr.Ref
	entry, err := s.cache.GetOrRender(ctx, addr.Key, func(ctx context.Context) (cache.Entry, error) {
		if err := s.limit.acquire(ctx, wait); err != nil {
			if err == ErrBusy {
				s.metrics.rendersRefused.Inc()
			}
			return cache.Entry{}, err
		}
		defer s.limit.release()
		s.metrics.rendersRunning.Inc()
		defer s.metrics.rendersRunning.Dec()
		start := time.Now()
		body, err := card.RenderBytes(addr.tpl, addr.fields, ref.Format, s.encode)
		if err != nil {
			return cache.Entry{}, fmt.Errorf("render %s %s%s: %w", addr.camp, ref.dir(), ref.File(), err)
		}
		s.metrics.renderSeconds.WithLabelValues(ref.Name(), string(ref.Format)).Observe(time.Since(start).Seconds())
		ran.Store(true)
		return cache.Entry{Body: body, ContentType: ref.Format.ContentType(), ETag: addr.ETag}, nil
	})
	rendered := ran.Load()
	if rendered {
		s.stats.Record(stats.Event{Kind: stats.ImageRendered, Campaign: addr.camp, Variant: ref.Name(), Format: string(ref.Format), At: s.now()})
	}
	return entry, rendered, err
}

// CampaignImageRef is the campaign's own card: the link preview variant,
// as invitations publish it.
var CampaignImageRef = ImageRef{Variant: variant.Preview, Format: PublishedFormat(variant.Preview)}

// CampaignPortraitRef is the campaign's own card in portrait, which its
// page shows on narrow screens: a JPEG, half the bytes of the PNG, for a
// picture on a page rather than a file for Instagram.
var CampaignPortraitRef = ImageRef{Variant: "portrait", Format: card.JPEG}

// CampaignImage is the address of the campaign's own card, its page's
// og:image: the preview template greeting the campaign's generic name
// ("Kære topchef") with no title or organisation. It is addressed and
// cached as any card is (an invitation with the same name would have the
// same bytes, and shares them).
func (s *Service) CampaignImage(camp *campaign.Campaign) (Address, bool) {
	return s.CampaignCard(camp, CampaignImageRef)
}

// CampaignCard is the address of one of the campaign's own cards (ref is
// CampaignImageRef or CampaignPortraitRef), in camp's language.
func (s *Service) CampaignCard(camp *campaign.Campaign, ref ImageRef) (Address, bool) {
	if ref != CampaignImageRef && ref != CampaignPortraitRef {
		return Address{}, false
	}
	return s.Address(camp, invite.Invitation{Campaign: camp.ID, Name: camp.Texts.GenericName}, ref)
}
