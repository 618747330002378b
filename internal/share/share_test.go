package share

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/sharecard/sharecard/internal/cache"
	"github.com/sharecard/sharecard/internal/campaign"
	"github.com/sharecard/sharecard/internal/card"
	"github.com/sharecard/sharecard/internal/invite"
	"github.com/sharecard/sharecard/internal/revoke"
	"github.com/sharecard/sharecard/internal/stats"
	"github.com/sharecard/sharecard/internal/testcampaign"
	"github.com/sharecard/sharecard/internal/teststats"
)

// countingCache is the memory cache with a count of the ways into it.
type countingCache struct {
	*cache.Tiered
	mu              sync.Mutex
	cached, renders int
}

func (c *countingCache) Cached(key string) (cache.Entry, bool) {
	c.mu.Lock()
	c.cached++
	c.mu.Unlock()
	return c.Tiered.Cached(key)
}

func (c *countingCache) GetOrRender(ctx context.Context, key string, render func(context.Context) (cache.Entry, error)) (cache.Entry, error) {
	c.mu.Lock()
	c.renders++
	c.mu.Unlock()
	return c.Tiered.GetOrRender(ctx, key, render)
}

type fixture struct {
	s      *Service
	cache  *countingCache
	events *teststats.Events
	rev    revoke.List
}

func newFixture(t testing.TB, mod ...func(*Deps)) fixture {
	t.Helper()
	signer, err := invite.NewSigner([][]byte{[]byte("share-test-key-0123456789abcdef")})
	if err != nil {
		t.Fatal(err)
	}
	c := &countingCache{Tiered: cache.New(cache.Options{MemoryBytes: 32 << 20})}
	t.Cleanup(func() { c.Close() })
	ev, rev := &teststats.Events{}, revoke.NewMemory()
	d := Deps{Campaigns: testcampaign.Set(t), Signer: signer, Cache: c, Revoked: rev, Stats: ev,
		BaseURL: "https://invitation.example.dk", Encode: card.EncodeOptions{JPEGQuality: 80},
		RenderConcurrency: 2, RenderQueue: 4}
	for _, m := range mod {
		m(&d)
	}
	s, err := New(d)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{s: s, cache: c, events: ev, rev: rev}
}

func (f fixture) mint(t *testing.T, name string) string {
	t.Helper()
	tok, _, err := f.s.Mint(testcampaign.Demo(t), invite.Invitation{Name: name, Title: "Adm. direktør"})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestMint(t *testing.T) {
	f := newFixture(t)
	camp := testcampaign.Demo(t)
	tests := []struct {
		name    string
		inv     invite.Invitation
		refused string // the field refused; "" when minted
	}{
		{"a Danish name", invite.Invitation{Name: "Åse Holm", Title: "Bestyrelsesformand"}, ""},
		{"a subset of the variants", invite.Invitation{Name: "Lars", Variants: []string{"og", "story"}}, ""},
		{"no name", invite.Invitation{Title: "Direktør"}, "name"},
		{"an unknown variant", invite.Invitation{Name: "Lars", Variants: []string{"banner"}}, "variants"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := f.events.Count(stats.Minted)
			tok, inv, err := f.s.Mint(camp, tt.inv)
			var fe *invite.FieldError
			switch {
			case tt.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.refused != "" && (!errors.As(err, &fe) || fe.Field != tt.refused):
				t.Fatalf("err %v, want a refusal of %s", err, tt.refused)
			case tt.refused != "":
				if f.events.Count(stats.Minted) != before {
					t.Error("a refused invitation was counted as minted")
				}
				return
			}
			if inv.Campaign != camp.ID || f.events.Count(stats.Minted) != before+1 {
				t.Errorf("campaign %q, minted counted %d times", inv.Campaign, f.events.Count(stats.Minted)-before)
			}
			got, err := f.s.Resolve(tok)
			if err != nil || got.Name != tt.inv.Name || got.Camp != camp {
				t.Errorf("Resolve = %+v, %v", got, err)
			}
		})
	}
}

// TestNoCardWithAHole: a character that no font of the campaign nor the
// fallback chain can draw is refused at minting, naming it, for every
// field; emoji in names follow the campaign's setting.
func TestNoCardWithAHole(t *testing.T) {
	f := newFixture(t)
	demo := testcampaign.Demo(t)
	withEmoji := *demo
	withEmoji.EmojiInNames = true
	tests := []struct {
		name    string
		camp    *campaign.Campaign
		inv     invite.Invitation
		refused string // the field; "" when minted
		want    string // in the reason
		code    invite.Problem
	}{
		{"Cherokee in a name", demo, invite.Invitation{Name: "ᏣᎳᎩ Smith"}, "name", "CHEROKEE LETTER TSA", invite.Undrawable},
		{"Mongolian in a title", demo, invite.Invitation{Name: "Lars", Title: "ᠮᠣᠩ"}, "title", "MONGOLIAN LETTER MA", invite.Undrawable},
		{"Chinese, Arabic and Hindi are drawn", demo, invite.Invitation{Name: "王小明", Title: "محمد علي", Org: "अनुष्का शर्मा"}, "", "", 0},
		{"emoji in a title are drawn", demo, invite.Invitation{Name: "Lars", Title: "CEO 🚀 👩‍💼"}, "", "", 0},
		{"emoji in a name are refused by default", demo, invite.Invitation{Name: "Lars 🚀"}, "name", "ROCKET", invite.NotAllowed},
		{"a campaign may allow emoji in names", &withEmoji, invite.Invitation{Name: "Lars 🚀"}, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := f.s.Mint(tt.camp, tt.inv)
			var fe *invite.FieldError
			switch {
			case tt.refused == "" && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.refused == "":
				return
			case !errors.As(err, &fe) || fe.Field != tt.refused || fe.Code != tt.code || !strings.Contains(fe.Reason, tt.want):
				t.Fatalf("err %v (%+v), want %s refused as %d naming %s", err, fe, tt.refused, tt.code, tt.want)
			}
		})
	}
	// A batch row and the public form refuse the same way.
	if r := f.s.MintRow(demo, invite.Row{Line: 4, Name: "ᏣᎳᎩ"}); r.Token != "" || !strings.Contains(r.Error, "no font of this campaign can draw") {
		t.Errorf("batch row: %+v", r)
	}
	if _, err := f.s.MintPublic(demo, invite.Row{Name: "ᏣᎳᎩ"}); err == nil {
		t.Error("self-service minted a card no font can draw")
	}
}

func TestMintPublicFollowsTheCampaign(t *testing.T) {
	f := newFixture(t)
	open := testcampaign.Demo(t)
	if _, err := f.s.MintPublic(open, invite.Row{Name: "Lars Hansen"}); err != nil {
		t.Fatalf("self-service refused: %v", err)
	}
	closed := *open
	closed.SelfService = false
	if _, err := f.s.MintPublic(&closed, invite.Row{Name: "Lars Hansen"}); !errors.Is(err, ErrNoSelfService) {
		t.Errorf("a campaign without self-service minted: %v", err)
	}
}

func TestMintRowAndResult(t *testing.T) {
	f := newFixture(t)
	camp := testcampaign.Demo(t)
	ok := f.s.MintRow(camp, invite.Row{Line: 2, Name: "Lars Hansen"})
	if ok.Error != "" || ok.Line != 2 || !strings.HasPrefix(ok.URL, "https://invitation.example.dk/i/") || len(ok.Images) != 4 {
		t.Fatalf("result %+v", ok)
	}
	if og := ok.Images["og"]; !strings.HasSuffix(strings.Split(og, "?")[0], "/og.jpg") || !strings.Contains(og, "?v=") {
		t.Errorf("og image %q: want a versioned og.jpg", og)
	}
	if rec := ok.CSVRecord(); len(rec) != len(CSVHeader) || rec[4] != ok.Images["og"] {
		t.Errorf("CSV record %v under %v", rec, CSVHeader)
	}
	bad := f.s.MintRow(camp, invite.Row{Line: 3, Name: "=HYPERLINK(1)"})
	if bad.Error == "" || bad.Token != "" {
		t.Fatalf("a formula was minted: %+v", bad)
	}
	if rec := bad.CSVRecord(); rec[1] != "'=HYPERLINK(1)" {
		t.Errorf("the echoed name %q is not defused", rec[1])
	}
}

func TestResolve(t *testing.T) {
	f := newFixture(t)
	tok := f.mint(t, "Lars Hansen")
	revoked := f.mint(t, "Åse Holm")
	inv, _ := f.s.Resolve(revoked)
	if err := f.rev.Revoke(context.Background(), inv.Fingerprint); err != nil {
		t.Fatal(err)
	}
	gone, err := f.s.signer.Encode(invite.Invitation{Campaign: "nope", Name: "Lars"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		token string
		want  error
	}{
		{"a minted token", tok, nil},
		{"a truncated token", tok[:len(tok)-3], invite.ErrInvalidToken},
		{"a revoked invitation", revoked, ErrRevoked},
		{"a campaign that is not loaded", gone, ErrCampaignGone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := f.s.Resolve(tt.token); !errors.Is(err, tt.want) {
				t.Errorf("err %v, want %v", err, tt.want)
			}
		})
	}
}

func TestResolveImage(t *testing.T) {
	f := newFixture(t)
	tok := f.mint(t, "Lars Hansen")
	r, err := f.s.ResolveImage(tok, "og.jpg")
	if err != nil || r.Addr.Ref != (ImageRef{"og", card.JPEG}) || r.Addr.ETag == "" || r.Addr.Version == "" {
		t.Fatalf("og.jpg resolved to %+v, %v", r.Addr, err)
	}
	again, _ := f.s.ResolveImage(tok, "og.jpg")
	if again.Addr.Key != r.Addr.Key {
		t.Error("the same image got two addresses")
	}
	png, _ := f.s.ResolveImage(tok, "og.png")
	if png.Addr.Key == r.Addr.Key || png.Addr.ETag == r.Addr.ETag {
		t.Error("JPEG and PNG share an address")
	}
	for _, file := range []string{"banner.png", "og.gif", "og", ""} {
		var ni *NoSuchImageError
		if _, err := f.s.ResolveImage(tok, file); !errors.As(err, &ni) || !strings.Contains(err.Error(), "og.jpg") {
			t.Errorf("%q: err %v, want one naming the images there are", file, err)
		}
	}
	// A kept answer still asks the revocation list.
	if err := f.rev.Revoke(context.Background(), r.Fingerprint); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.ResolveImage(tok, "og.jpg"); !errors.Is(err, ErrRevoked) {
		t.Errorf("a revoked invitation's image resolved: %v", err)
	}
}

// TestImageEntersTheCacheOnce: a request's image is one look into memory,
// and on a miss one GetOrRender, one render; the next request is a
// memory hit alone.
func TestImageEntersTheCacheOnce(t *testing.T) {
	f := newFixture(t)
	r, err := f.s.ResolveImage(f.mint(t, "Lars Hansen"), "og.jpg")
	if err != nil {
		t.Fatal(err)
	}
	e, err := f.s.Image(context.Background(), r.Addr)
	if err != nil || len(e.Body) == 0 || e.ContentType != "image/jpeg" || e.ETag != r.Addr.ETag {
		t.Fatalf("image %d bytes %q %q, %v", len(e.Body), e.ContentType, e.ETag, err)
	}
	if f.cache.cached != 1 || f.cache.renders != 1 || f.events.Count(stats.ImageRendered) != 1 {
		t.Errorf("miss: %d memory looks, %d GetOrRender, %d renders; want 1, 1, 1", f.cache.cached, f.cache.renders, f.events.Count(stats.ImageRendered))
	}
	if _, err := f.s.Image(context.Background(), r.Addr); err != nil {
		t.Fatal(err)
	}
	if f.cache.cached != 2 || f.cache.renders != 1 {
		t.Errorf("hit: %d memory looks, %d GetOrRender; want 2, 1", f.cache.cached, f.cache.renders)
	}
}

func TestFullRenderQueueIsBusy(t *testing.T) {
	f := newFixture(t, func(d *Deps) { d.RenderConcurrency, d.RenderQueue = 1, 0 })
	r, err := f.s.ResolveImage(f.mint(t, "Lars Hansen"), "og.jpg")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.limit.acquire(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.Image(context.Background(), r.Addr); !errors.Is(err, ErrBusy) {
		t.Errorf("with the only slot taken and no queue: %v, want ErrBusy", err)
	}
	// Batch work waits for the slot instead.
	done := make(chan error, 1)
	go func() { _, err := f.s.Fill(context.Background(), r.Addr); done <- err }()
	f.s.limit.release()
	if err := <-done; err != nil {
		t.Errorf("Fill: %v", err)
	}
	if _, err := f.s.Image(context.Background(), r.Addr); err != nil {
		t.Errorf("after the slot was freed: %v", err)
	}
}

func TestLinks(t *testing.T) {
	camp := testcampaign.Demo(t)
	l := Links{Base: "https://x.dk"}
	ref := ImageRef{Variant: "story", Format: card.PNG}
	tests := []struct{ name, got, want string }{
		{"the page", l.Page("T"), "https://x.dk/i/T"},
		{"the campaign page", l.Campaign("c"), "https://x.dk/c/c"},
		{"an image carries its version", l.Image("T", ref, "v 1"), "https://x.dk/i/T/story.png?v=v+1"},
		{"a download", DownloadPath("T", ref, "v1"), "/i/T/download/story.png?v=v1"},
		{"LinkedIn's dialog", LinkedInShare("https://x.dk/i/T"), "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fx.dk%2Fi%2FT"},
		{"the preview is JPEG", string(PublishedFormat("og")), "jpg"},
		{"the Instagram sizes are PNG", string(PublishedFormat("portrait")), "png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.got != tt.want {
				t.Errorf("got %q, want %q", tt.got, tt.want)
			}
		})
	}
	u, err := LearningURL(camp, "TOKEN")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := url.Parse(u)
	q := p.Query()
	if q.Get("utm_source") != "sharecard" || q.Get("utm_campaign") != camp.ID || q.Get("utm_content") != stats.InvitationID("TOKEN") || strings.Contains(u, "TOKEN") {
		t.Errorf("learning URL %s", u)
	}
}

func TestPrerenderRefs(t *testing.T) {
	inv := Invitation{Invitation: invite.Invitation{Variants: []string{"og", "square"}}}
	tests := []struct {
		name     string
		variants []string
		want     string
	}{
		{"the link preview by default", nil, "og.jpg"},
		{"the variants asked for that the link offers", []string{"square", "story"}, "square.png"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, r := range PrerenderRefs(inv, tt.variants) {
				got = append(got, r.File())
			}
			if strings.Join(got, ",") != tt.want {
				t.Errorf("got %v, want %s", got, tt.want)
			}
		})
	}
	if err := CheckVariants([]string{"og", "banner"}); err == nil || !strings.Contains(err.Error(), "banner") {
		t.Errorf("CheckVariants: %v", err)
	}
}
