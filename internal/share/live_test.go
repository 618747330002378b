package share

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/invite"
)

// liveFixture is the share core over a campaign library in a data
// directory, as embedded mode runs it.
func liveFixture(t *testing.T, mod ...func(*Deps)) (fixture, *campaign.Library) {
	t.Helper()
	store, err := campaign.NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lib := campaign.NewLibrary(campaign.LibraryOptions{Store: store, Files: sharecard.Files()})
	if err := lib.Open(context.Background(), sharecard.CampaignDir); err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, append([]func(*Deps){func(d *Deps) { d.Campaigns = lib }}, mod...)...)
	return f, lib
}

func demoYAML(t *testing.T) []byte {
	t.Helper()
	y, err := os.ReadFile(filepath.Join("..", "..", sharecard.CampaignDir, "ligestilling.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return y
}

// TestLinksFollowTheCurrentVersion: a link made before a publish shows
// the new design after it (a new image address), a rollback brings the
// old address back, and archiving makes the link gone.
func TestLinksFollowTheCurrentVersion(t *testing.T) {
	f, lib := liveFixture(t)
	ctx := context.Background()
	camp, _ := lib.Lookup("ligestilling")
	tok, _, err := f.s.Mint(camp, invite.Invitation{Name: "Lars Hansen"})
	if err != nil {
		t.Fatal(err)
	}
	before, err := f.s.ResolveImage(tok, "og.jpg")
	if err != nil {
		t.Fatal(err)
	}
	first := camp.Version
	res, err := lib.Publish(ctx, "ligestilling", bytes.Replace(demoYAML(t), []byte("{da: Tirsdag"), []byte("{da: Onsdag"), 1), "")
	if err != nil {
		t.Fatal(err)
	}
	after, err := f.s.ResolveImage(tok, "og.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if after.Camp.Version != res.Version || after.Addr.Key == before.Addr.Key {
		t.Errorf("after a publish the link resolves to version %s, key changed %v", after.Camp.Version, after.Addr.Key != before.Addr.Key)
	}
	if _, err := lib.Rollback(ctx, "ligestilling", first); err != nil {
		t.Fatal(err)
	}
	back, err := f.s.ResolveImage(tok, "og.jpg")
	if err != nil || back.Addr.Key != before.Addr.Key {
		t.Errorf("after a rollback: %v, same address as before %v", err, back.Addr.Key == before.Addr.Key)
	}
	if err := lib.Archive(ctx, "ligestilling"); err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"", "og.jpg"} {
		var err error
		if file == "" {
			_, err = f.s.Resolve(tok)
		} else {
			_, err = f.s.ResolveImage(tok, file)
		}
		if !errors.Is(err, ErrCampaignArchived) {
			t.Errorf("%q of an archived campaign: %v, want ErrCampaignArchived", file, err)
		}
	}
}

func TestSelfServiceFollowsTheDates(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	now := day("2026-12-02T12:00:00Z")
	f := newFixture(t, func(d *Deps) { d.Now = func() time.Time { return now } })
	open := *lookup(t, f.s.Campaigns(), "ligestilling")
	tests := []struct {
		name          string
		opens, closes string
		want          error
	}{
		{"no dates", "", "", nil},
		{"opened yesterday", "2026-12-01T00:00:00Z", "", nil},
		{"opens tomorrow", "2026-12-03T00:00:00Z", "", ErrCampaignClosed},
		{"closed an hour ago", "", "2026-12-02T11:00:00Z", ErrCampaignClosed},
		{"closes in an hour", "2026-12-01T00:00:00Z", "2026-12-02T13:00:00Z", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := open
			if tt.opens != "" {
				c.Opens = day(tt.opens)
			}
			if tt.closes != "" {
				c.Closes = day(tt.closes)
			}
			if _, err := f.s.MintPublic(&c, invite.Row{Name: "Lars Hansen"}); !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
			// A link made by the API is not a sign-up: it works any day.
			if _, _, err := f.s.Mint(&c, invite.Invitation{Name: "Lars Hansen"}); err != nil {
				t.Errorf("Mint outside the dates: %v", err)
			}
		})
	}
}

func lookup(t *testing.T, set *campaign.Set, id string) *campaign.Campaign {
	t.Helper()
	c, ok := set.Lookup(id)
	if !ok {
		t.Fatalf("no campaign %s", id)
	}
	return c
}
