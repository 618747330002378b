package share

import (
	"context"
	"fmt"
	"slices"

	"github.com/sharecard/sharecard/internal/variant"
)

// DefaultPrerender is what prerendering fills when no variants are named:
// the link preview, which every crawler fetches. The Instagram sizes are
// rendered when someone downloads them; rendering them ahead for every
// invitation would fill Redis with images nobody may ever fetch (about
// 900 KB an invitation for all four against some 100 KB for the preview).
var DefaultPrerender = []string{variant.Preview}

// CheckVariants refuses names that are not variants, saying which are.
func CheckVariants(names []string) error {
	for _, n := range names {
		if _, ok := variant.Lookup(n); !ok {
			return fmt.Errorf("unknown variant %q (variants: %v)", n, variant.Names())
		}
	}
	return nil
}

// PrerenderRefs are the published images of inv among variants (nil:
// DefaultPrerender) that prerendering fills.
func PrerenderRefs(inv Invitation, variants []string) []ImageRef {
	if len(variants) == 0 {
		variants = DefaultPrerender
	}
	var refs []ImageRef
	for _, ref := range Published(inv.Invitation) {
		if slices.Contains(variants, ref.Variant) {
			refs = append(refs, ref)
		}
	}
	return refs
}

// Prerender fills the cache with one image of inv, waiting for a render
// slot (batch work has no client to refuse). rendered reports whether it
// ran the render.
func (s *Service) Prerender(ctx context.Context, inv Invitation, ref ImageRef) (rendered bool, err error) {
	addr, ok := s.Address(inv.Camp, inv.Invitation, ref)
	if !ok {
		return false, fmt.Errorf("campaign %s has no variant %q", inv.Camp.ID, ref.Variant)
	}
	return s.Fill(ctx, addr)
}
