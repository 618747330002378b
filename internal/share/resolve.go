package share

import (
	"github.com/maypok86/otter/v2"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/variant"
)

// Invitation is a verified token with its campaign.
type Invitation struct {
	Token string
	invite.Invitation
	Camp *campaign.Campaign
	// Fingerprint is what the revocation list knows the invitation by.
	Fingerprint string
}

// Resolve verifies a token, finds its campaign and checks the revocation
// list: invite.ErrInvalidToken for a malformed, truncated or forged token,
// ErrCampaignGone, ErrRevoked.
func (s *Service) Resolve(token string) (Invitation, error) {
	inv, err := s.signer.Decode(token)
	if err != nil {
		return Invitation{}, err
	}
	set := s.campaigns.Current()
	camp, ok := set.Lookup(inv.Campaign)
	if !ok {
		if set.Archived(inv.Campaign) {
			return Invitation{}, ErrCampaignArchived
		}
		return Invitation{}, ErrCampaignGone
	}
	fp := inv.Fingerprint()
	if s.revoked.Revoked(fp) {
		return Invitation{}, ErrRevoked
	}
	return Invitation{Token: token, Invitation: inv, Camp: camp, Fingerprint: fp}, nil
}

// ImageRequest is what an image URL's token and file name resolve to.
type ImageRequest struct {
	Invitation
	Addr Address
	// textVersion is the campaign's computed values the address was made
	// with: a kept answer is stale once they change (at midnight, when the
	// years until the event count one down).
	textVersion string
}

type resolvedKey struct{ token, file, lang string }

// resolvedEntries bounds the cache of resolved image requests: some 300
// bytes each, so about 5 MiB.
const resolvedEntries = 16384

// newResolvedCache keeps what image requests resolved to. Working it out
// costs a base64 decode, an HMAC check, the NFC validation of the names
// and two SHA-256 sums, a few microseconds that were the largest share of
// a memory-tier hit after the network writes; a shared link asks the same
// question thousands of times. Only tokens that verified enter, so a
// forged token never skips the check; revocation is still asked on every
// use, since it can change at any time. A publish swaps the campaign for a
// new version: an answer kept for an older version is worked out again, so
// a link shows the current design (and its image address, which carries
// the template version, changes with it).
func newResolvedCache() *otter.Cache[resolvedKey, ImageRequest] {
	return otter.Must(&otter.Options[resolvedKey, ImageRequest]{MaximumSize: resolvedEntries})
}

// ResolveImage resolves an image URL (token and file name, e.g. "og.jpg")
// to its invitation and content address in the campaign's default
// language; the errors are Resolve's and *NoSuchImageError.
func (s *Service) ResolveImage(token, file string) (ImageRequest, error) {
	return s.ResolveImageIn(token, file, "")
}

// ResolveImageIn is ResolveImage for the card in lang (the lang= of the
// image's URL); a language the campaign does not offer, or "", is its
// default.
func (s *Service) ResolveImageIn(token, file, lang string) (ImageRequest, error) {
	return s.resolveImage(token, "", file, lang)
}

// ResolveDeclinedImage is ResolveImageIn for the "I declined" card
// (/i/{token}/declined/og.jpg): every variant, whichever the invitation
// offers, since the card is the decliner's to share anywhere; a campaign
// without a declined: section has none.
func (s *Service) ResolveDeclinedImage(token, file, lang string) (ImageRequest, error) {
	return s.resolveImage(token, Declined, file, lang)
}

func (s *Service) resolveImage(token, kind, file, lang string) (ImageRequest, error) {
	if len(lang) > 3 {
		lang = "" // never a language code: keep it out of the cache's key
	}
	key := resolvedKey{token, kind + "/" + file, lang}
	if r, ok := s.resolved.GetIfPresent(key); ok && s.isCurrent(r.Camp) && r.textVersion == r.Camp.TextVersion() {
		if s.revoked.Revoked(r.Fingerprint) {
			return ImageRequest{}, ErrRevoked
		}
		return r, nil
	}
	inv, err := s.Resolve(token)
	if err != nil {
		return ImageRequest{}, err
	}
	ref, ok := ParseFile(file)
	ref.Kind = kind
	if !ok || kind == "" && !inv.HasVariant(ref.Variant) {
		return ImageRequest{}, noSuchImage(inv.Invitation, kind)
	}
	textVersion := inv.Camp.TextVersion()
	addr, ok := s.Address(inv.Camp.In(lang), inv.Invitation, ref)
	if !ok && kind != "" && !inv.Camp.HasDeclinedCard() {
		return ImageRequest{}, &NoSuchImageError{}
	}
	if !ok {
		return ImageRequest{}, noSuchImage(inv.Invitation, kind)
	}
	r := ImageRequest{Invitation: inv, Addr: addr, textVersion: textVersion}
	s.resolved.Set(key, r)
	return r, nil
}

func noSuchImage(inv invite.Invitation, kind string) error {
	var names []string
	offered := inv.OfferedVariants()
	if kind != "" {
		offered = variant.Names()
	}
	for _, v := range offered {
		names = append(names, v+".png", v+".jpg")
	}
	return &NoSuchImageError{Names: names}
}

// CampaignOf is the campaign a token names, when the token verifies and
// the campaign is loaded, whether or not the invitation is revoked: what
// an error page about the link is dressed in.
func (s *Service) CampaignOf(token string) (*campaign.Campaign, bool) {
	inv, err := s.signer.Decode(token)
	if err != nil {
		return nil, false
	}
	return s.campaigns.Current().Lookup(inv.Campaign)
}

// isCurrent reports whether camp is the live version of its campaign.
func (s *Service) isCurrent(camp *campaign.Campaign) bool {
	live, ok := s.campaigns.Current().Lookup(camp.ID)
	return ok && live == camp
}
