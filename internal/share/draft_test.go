package share

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"testing"

	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testcampaign"
)

func TestMintPublicRefusesBlockedWordsInEveryField(t *testing.T) {
	for _, tc := range []struct {
		name  string
		row   invite.Row
		field string // the field refused; "" when minted
	}{
		{"an ordinary entry", invite.Row{Name: "Dick Hansen", Title: "Direktør", Org: "Scunthorpe United"}, ""},
		{"a name", invite.Row{Name: "F.U.C.K"}, "name"},
		{"a title", invite.Row{Name: "Lars Hansen", Title: "Chief Sh1t Officer"}, "title"},
		{"an organisation", invite.Row{Name: "Lars Hansen", Org: "Lortefirmaet"}, "org"},
		// Checked after NFC and whitespace folding, on what the card shows.
		{"a name with combining marks", invite.Row{Name: "Cu\u0308nt Hansen"}, "name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			tok, err := f.s.MintPublic(testcampaign.Demo(t), tc.row)
			var be *BlockedError
			switch {
			case tc.field == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tc.field == "":
				if tok == "" || f.events.Count(stats.Minted) != 1 || f.events.Count(stats.SelfServiceRefused) != 0 {
					t.Errorf("minted %q with %d mint and %d refusal events", tok, f.events.Count(stats.Minted), f.events.Count(stats.SelfServiceRefused))
				}
			case !errors.As(err, &be) || be.Field != tc.field:
				t.Fatalf("err %v, want a BlockedError for %s", err, tc.field)
			default:
				if tok != "" || f.events.Count(stats.Minted) != 0 || f.events.Count(stats.SelfServiceRefused) != 1 {
					t.Errorf("token %q, %d mints, %d refusals; want none, none, one", tok, f.events.Count(stats.Minted), f.events.Count(stats.SelfServiceRefused))
				}
			}
		})
	}
}

func TestMintIsNotFiltered(t *testing.T) {
	f := newFixture(t)
	if _, _, err := f.s.Mint(testcampaign.Demo(t), invite.Invitation{Name: "Fuck Hansen", Org: "Lortefirma"}); err != nil {
		t.Errorf("the campaign team's own mint was refused: %v", err)
	}
	if r := f.s.MintRow(testcampaign.Demo(t), invite.Row{Name: "Lort Hansen"}); r.Error != "" {
		t.Errorf("a batch row was refused: %s", r.Error)
	}
}

func TestDraftTouchesNothing(t *testing.T) {
	f := newFixture(t)
	camp := testcampaign.Demo(t)
	body, err := f.s.Draft(context.Background(), camp, invite.Row{Name: "Åse Holm", Title: "Bestyrelsesformand"})
	if err != nil {
		t.Fatal(err)
	}
	img, err := jpeg.Decode(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != DraftWidth {
		t.Errorf("draft %v wide, want %d", b, DraftWidth)
	}
	if f.cache.cached != 0 || f.cache.renders != 0 {
		t.Errorf("the draft asked the cache %d times and rendered through it %d times; a draft is never cached", f.cache.cached, f.cache.renders)
	}
	if n := len(f.events.All()); n != 0 {
		t.Errorf("the draft recorded %v", f.events.All())
	}
	if _, err := f.s.Draft(context.Background(), camp, invite.Row{Name: "f u c k"}); !errors.As(err, new(*BlockedError)) {
		t.Errorf("a blocked draft: %v", err)
	}
	if n := f.events.Count(stats.SelfServiceRefused); n != 0 {
		t.Errorf("a refused draft was counted %d times; only a submission is", n)
	}
}

func TestShrink(t *testing.T) {
	// A 4×2 image whose left 2×2 block is black and white pixels and whose
	// right block is one grey: the halves are their means.
	img := image.NewRGBA(image.Rect(0, 0, 4, 2))
	img.Set(0, 0, color.RGBA{255, 255, 255, 255})
	img.Set(1, 1, color.RGBA{255, 255, 255, 255})
	img.Set(0, 1, color.RGBA{0, 0, 0, 255})
	img.Set(1, 0, color.RGBA{0, 0, 0, 255})
	for x := 2; x < 4; x++ {
		for y := 0; y < 2; y++ {
			img.Set(x, y, color.RGBA{10, 20, 30, 255})
		}
	}
	out := shrink(img, 2)
	if got := out.RGBAAt(0, 0); got != (color.RGBA{128, 128, 128, 255}) {
		t.Errorf("left half %v, want the mean grey", got)
	}
	if got := out.RGBAAt(1, 0); got != (color.RGBA{10, 20, 30, 255}) {
		t.Errorf("right half %v, want its colour", got)
	}
	// Any other ratio is scaled all the same.
	if b := shrink(image.NewRGBA(image.Rect(0, 0, 1080, 1080)), 600).Bounds(); b.Dx() != 600 || b.Dy() != 600 {
		t.Errorf("a square card shrinks to %v", b)
	}
}

// BenchmarkDraft is one live-preview draft: check, render the og card,
// scale it to DraftWidth, encode.
func BenchmarkDraft(b *testing.B) {
	f := newFixture(b)
	camp := testcampaign.Demo(b)
	row := invite.Row{Name: "Åse Holm", Title: "Bestyrelsesformand", Org: "Novo Nordisk"}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.s.Draft(context.Background(), camp, row); err != nil {
			b.Fatal(err)
		}
	}
}
