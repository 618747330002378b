package share

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"

	xdraw "golang.org/x/image/draw"

	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/variant"
)

// DraftWidth is the width of a draft card: the campaign page shows it in
// a column of at most 44rem, and half the og card's width is sharp there
// on a phone and small enough to send on every pause in typing.
const DraftWidth = 600

// Draft draws the link-preview card of a self-service entry that has not
// been made yet, scaled to DraftWidth, as a JPEG. It checks the entry as
// MintPublic would (and refuses it the same way) but signs nothing,
// counts nothing and caches nothing: a draft changes with every word, and
// what a visitor typed before submitting is not kept anywhere. It takes
// a render slot like any card, so drafts cannot crowd out real cards
// (ErrBusy when the queue is full).
func (s *Service) Draft(ctx context.Context, camp *campaign.Campaign, row invite.Row) ([]byte, error) {
	inv, err := s.CheckPublic(camp, row)
	if err != nil {
		return nil, err
	}
	tpl, ok := camp.Variant(variant.Preview)
	if !ok {
		return nil, errors.New("share: the campaign has no link preview card")
	}
	if err := s.limit.acquire(ctx, false); err != nil {
		return nil, err
	}
	defer s.limit.release()
	full, err := card.Render(tpl, Fields(inv))
	if err != nil {
		return nil, fmt.Errorf("draft %s: %w", camp.ID, err)
	}
	b := full.Bounds()
	h := b.Dy() * DraftWidth / b.Dx()
	small := image.NewRGBA(image.Rect(0, 0, DraftWidth, h))
	xdraw.CatmullRom.Scale(small, small.Bounds(), full, b, xdraw.Src, nil)
	var buf bytes.Buffer
	if err := card.Encode(&buf, small, card.JPEG, s.encode); err != nil {
		return nil, fmt.Errorf("draft %s: %w", camp.ID, err)
	}
	return buf.Bytes(), nil
}
