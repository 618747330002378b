package share

import (
	"errors"
	"testing"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/testcampaign"
	"github.com/sharecard/sharecard/internal/variant"
)

// TestTheDeclinedCardsAddresses: the "I declined" card has paths, cache
// keys, versions and file names of its own, beside the invitation's.
func TestTheDeclinedCardsAddresses(t *testing.T) {
	f := newFixture(t)
	set := testcampaign.Set(t)
	lars := invite.Invitation{Name: "Lars Hansen", Title: "Adm. direktør"}
	for _, id := range []string{"ligestilling", "equality-2061"} {
		camp, _ := set.Lookup(id)
		lars.Campaign = id
		for _, v := range variant.Names() {
			t.Run(id+" "+v, func(t *testing.T) {
				ref := DeclinedRef(v)
				dec, ok := f.s.Address(camp, lars, ref)
				if !ok {
					t.Fatal("no address for the declined card")
				}
				inv, _ := f.s.Address(camp, lars, ImageRef{Variant: v, Format: ref.Format})
				if dec.Key == inv.Key || dec.ETag == inv.ETag || dec.Version == inv.Version {
					t.Errorf("the declined card shares the invitation's key %q, ETag %q or version %q", dec.Key, dec.ETag, dec.Version)
				}
				w, h := dec.Size()
				want, _ := variant.Lookup(v)
				if w != want.Width || h != want.Height {
					t.Errorf("%d×%d", w, h)
				}
				if ref.Name() != "declined-"+v {
					t.Errorf("Name %q", ref.Name())
				}
			})
		}
	}
	tests := []struct {
		campaign, path, download, ascii string
	}{
		{"ligestilling", "/i/T/declined/story.png?v=1", "/i/T/declined/download/story.png?v=1", "lars-hansen-takket-nej-story.png"},
		{"equality-2061", "/i/T/declined/story.png?v=1", "/i/T/declined/download/story.png?v=1", "lars-hansen-declined-story.png"},
	}
	for _, tt := range tests {
		camp, _ := set.Lookup(tt.campaign)
		ref := DeclinedRef("story")
		if got := ImagePath("T", ref, "1"); got != tt.path {
			t.Errorf("ImagePath %q", got)
		}
		if got := DownloadPath("T", ref, "1"); got != tt.download {
			t.Errorf("DownloadPath %q", got)
		}
		if got := DownloadName(camp, invite.Invitation{Name: "Lars Hansen"}, ref); got.ASCII != tt.ascii {
			t.Errorf("%s: DownloadName %q, want %q", tt.campaign, got.ASCII, tt.ascii)
		}
	}
}

// TestResolveDeclinedImage: every size of the card, whichever the
// invitation itself offers; the invitation's routes never serve it.
func TestResolveDeclinedImage(t *testing.T) {
	f := newFixture(t)
	camp := testcampaign.Demo(t)
	tok, _, err := f.s.Mint(camp, invite.Invitation{Name: "Lars", Variants: []string{"og"}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.s.ResolveDeclinedImage(tok, "story.png", "")
	if err != nil || r.Addr.Ref != DeclinedRef("story") {
		t.Fatalf("ResolveDeclinedImage = %+v, %v", r.Addr.Ref, err)
	}
	var ni *NoSuchImageError
	if _, err := f.s.ResolveImage(tok, "story.png"); !errors.As(err, &ni) {
		t.Errorf("the invitation's story (not offered): %v", err)
	}
	inv, _ := f.s.ResolveImage(tok, "og.jpg")
	dec, _ := f.s.ResolveDeclinedImage(tok, "og.jpg", "")
	if inv.Addr.Key == dec.Addr.Key {
		t.Error("the resolved-image cache mixed the two cards up")
	}
}
