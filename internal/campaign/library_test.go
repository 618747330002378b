package campaign

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/sharecard/sharecard"
	"github.com/sharecard/sharecard/internal/testredis"
)

// storeCampaign is validCampaign as a stored campaign: its picture is an
// asset of its own, named without a path.
var storeCampaign = strings.Replace(validCampaign, "src: assets/img/dot.png", "src: dot.png", 1)

// stores runs fn against each kind of store: the data directory, and
// Redis when REDIS_URL is set.
func stores(t *testing.T, fn func(t *testing.T, newStore func() Store)) {
	t.Run("dir", func(t *testing.T) {
		dir := t.TempDir()
		fn(t, func() Store {
			s, err := NewDirStore(dir)
			if err != nil {
				t.Fatal(err)
			}
			return s
		})
	})
	t.Run("redis", func(t *testing.T) {
		c, prefix := testredis.Client(t)
		fn(t, func() Store { return NewRedisStore(c, prefix, nil) })
	})
}

func newLibrary(t *testing.T, s Store) *Library {
	t.Helper()
	l := NewLibrary(LibraryOptions{Store: s, Files: sharecard.Files()})
	if err := l.Open(context.Background(), sharecard.CampaignDir); err != nil {
		t.Fatal(err)
	}
	return l
}

func pngOf(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestLibraryPublishesRollsBackAndArchives(t *testing.T) {
	stores(t, func(t *testing.T, newStore func() Store) {
		ctx := context.Background()
		l := newLibrary(t, newStore())
		demo, ok := l.Lookup("ligestilling")
		if !ok || demo.Version == "" {
			t.Fatalf("the built-in campaign was not seeded: %v %+v", ok, demo)
		}
		// Seeding again (a second replica starting) changes nothing.
		if err := newLibrary(t, newStore()).Seed(ctx, sharecard.CampaignDir); err != nil {
			t.Fatal(err)
		}
		if _, vs, _ := l.Versions(ctx, "ligestilling"); len(vs) != 1 {
			t.Fatalf("seeded twice: %d versions", len(vs))
		}

		// The picture first (kept for the first publish), then the file.
		if res, err := l.PutAsset(ctx, "demo", "dot.png", pngOf(t, 4, 4)); err != nil || !res.Staged {
			t.Fatalf("asset before the campaign: %+v, %v", res, err)
		}
		first, err := l.Publish(ctx, "demo", []byte(storeCampaign), "")
		if err != nil || !first.Created || first.Version == "" {
			t.Fatalf("first publish: %+v, %v", first, err)
		}
		changed := strings.Replace(storeCampaign, "Festen", "Festen for alle", 1)
		second, err := l.Publish(ctx, "demo", []byte(changed), first.Version)
		if err != nil || second.Created || second.Version == first.Version {
			t.Fatalf("second publish: %+v, %v", second, err)
		}
		if c, _ := l.Lookup("demo"); c.Texts.Event != "Festen for alle" || c.Version != second.Version {
			t.Errorf("live: %q at %s, want the second version", c.Texts.Event, c.Version)
		}
		if _, err := l.Publish(ctx, "demo", []byte(storeCampaign), first.Version); !errors.Is(err, ErrVersionMismatch) {
			t.Errorf("a publish on a stale version: %v, want ErrVersionMismatch", err)
		}
		// A new picture is a new version of the current file.
		third, err := l.PutAsset(ctx, "demo", "dot.png", pngOf(t, 8, 8))
		if err != nil || third.Version == second.Version {
			t.Fatalf("asset upload: %+v, %v", third, err)
		}

		// Another replica sees every change on its next refresh.
		other := newLibrary(t, newStore())
		if c, ok := other.Lookup("demo"); !ok || c.Version != third.Version {
			t.Errorf("the other replica serves %+v", c)
		}
		if _, err := l.Rollback(ctx, "demo", first.Version); err != nil {
			t.Fatal(err)
		}
		if err := other.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if c, _ := other.Lookup("demo"); c.Version != first.Version || c.Texts.Event != "Festen" {
			t.Errorf("after rollback the other replica serves %s %q", c.Version, c.Texts.Event)
		}
		if _, err := l.Rollback(ctx, "demo", "nope"); !errors.Is(err, ErrNoVersion) {
			t.Errorf("rollback to no version: %v", err)
		}

		if err := l.Archive(ctx, "demo"); err != nil {
			t.Fatal(err)
		}
		if err := other.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		for _, lib := range []*Library{l, other} {
			if _, ok := lib.Lookup("demo"); ok || !lib.Current().Archived("demo") {
				t.Error("an archived campaign is still live")
			}
		}
		heads, _ := l.List(ctx)
		// demo (archived), and the two built-in campaigns seeded.
		if len(heads) != 3 || !heads[0].Archived || heads[0].ID != "demo" {
			t.Errorf("heads %+v", heads)
		}
		if _, vs, _ := l.Versions(ctx, "demo"); len(vs) != 3 {
			t.Errorf("archiving lost versions: %d", len(vs))
		}
		// Publishing brings it back.
		if _, err := l.Publish(ctx, "demo", []byte(storeCampaign), ""); err != nil {
			t.Fatal(err)
		}
		if _, ok := l.Lookup("demo"); !ok {
			t.Error("a published campaign is not live again")
		}
	})
}

// TestConcurrentPublishesNeverInterleave: two replicas publish one
// campaign from many goroutines at once; every publish lands, each version
// follows the one before it, and the current one is the last.
func TestConcurrentPublishesNeverInterleave(t *testing.T) {
	stores(t, func(t *testing.T, newStore func() Store) {
		ctx := context.Background()
		a, b := newLibrary(t, newStore()), newLibrary(t, newStore())
		const each = 6
		var wg sync.WaitGroup
		for i := range 2 * each {
			lib := a
			if i%2 == 1 {
				lib = b
			}
			wg.Go(func() {
				yaml := strings.Replace(validCampaign, "id: demo", "id: race", 1)
				yaml = strings.Replace(yaml, "Festen", fmt.Sprintf("Festen %d", i), 1)
				yaml = strings.Replace(yaml, "src: assets/img/dot.png", "src: fonts/none.png", 1)
				yaml = strings.Replace(yaml, "      - {type: image, src: fonts/none.png, box: [0, 0, 100, 100], fit: contain}\n", "", 1)
				if _, err := lib.Publish(ctx, "race", []byte(yaml), ""); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		head, vs, err := a.Versions(ctx, "race")
		if err != nil {
			t.Fatal(err)
		}
		if len(vs) != 2*each {
			t.Fatalf("%d versions, want %d", len(vs), 2*each)
		}
		for i, v := range vs {
			want := ""
			if i > 0 {
				want = vs[i-1].ID
			}
			if v.Parent != want {
				t.Errorf("version %d follows %q, want %q: publishes interleaved", i, v.Parent, want)
			}
		}
		if head.Current != vs[len(vs)-1].ID {
			t.Errorf("current %s, want the last version %s", head.Current, vs[len(vs)-1].ID)
		}
	})
}

func TestLibraryRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	l := newLibrary(t, mustDirStore(t))
	font, err := os.ReadFile(filepath.Join("..", "..", "fonts", "DejaVuSans.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	// A PNG that declares 100,000 × 100,000 pixels in a few dozen bytes.
	bomb := pngOf(t, 1, 1)
	copy(bomb[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(bomb[29:33], crc32.ChecksumIEEE(bomb[12:29]))
	aliases := "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n"

	tests := []struct {
		name string
		do   func() error
		want error  // errors.Is, or nil to check the message only
		msg  string // in the error
	}{
		{"an id with capitals", func() error { _, err := l.Publish(ctx, "Demo", []byte(storeCampaign), ""); return err }, ErrInvalidID, ""},
		{"an id over 64 characters", func() error {
			_, err := l.Publish(ctx, strings.Repeat("a", 65), []byte(storeCampaign), "")
			return err
		}, ErrInvalidID, ""},
		{"a file over 256 KiB", func() error {
			_, err := l.Publish(ctx, "demo", []byte(storeCampaign+"#"+strings.Repeat("x", MaxFileBytes)), "")
			return err
		}, nil, "at most 256 KiB"},
		{"an alias bomb", func() error { _, err := l.Publish(ctx, "demo", []byte(aliases), ""); return err }, nil, "anchors and aliases (*a) are not allowed"},
		{"an unknown key", func() error {
			_, err := l.Publish(ctx, "demo", []byte(strings.Replace(storeCampaign, "locale:", "colour: red\nlocale:", 1)), "")
			return err
		}, nil, `demo.yaml:2: unknown key "colour"`},
		{"an id that is not the path's", func() error {
			_, err := l.Publish(ctx, "other", []byte(storeCampaign), "")
			return err
		}, nil, `id "demo" does not match the campaign "other"`},
		{"a picture it does not have", func() error { _, err := l.Publish(ctx, "demo", []byte(storeCampaign), ""); return err }, nil, "image dot.png: file does not exist"},
		{"an asset name with a slash", func() error { _, err := l.PutAsset(ctx, "demo", "a/b.png", pngOf(t, 1, 1)); return err }, ErrInvalidAssetName, ""},
		{"an asset name with ..", func() error { _, err := l.PutAsset(ctx, "demo", "..png", pngOf(t, 1, 1)); return err }, ErrInvalidAssetName, ""},
		{"an asset name with a newline", func() error { _, err := l.PutAsset(ctx, "demo", "a\nb.png", pngOf(t, 1, 1)); return err }, ErrInvalidAssetName, ""},
		{"an asset of another kind", func() error { _, err := l.PutAsset(ctx, "demo", "a.png", []byte("GIF89a....")); return err }, ErrUnsupportedAsset, ""},
		{"a PNG named as a font", func() error { _, err := l.PutAsset(ctx, "demo", "a.ttf", pngOf(t, 1, 1)); return err }, ErrBadAsset, "holds a png file"},
		{"a font that does not parse", func() error { _, err := l.PutAsset(ctx, "demo", "a.ttf", font[:2000]); return err }, ErrBadAsset, "font a.ttf"},
		{"a decompression bomb", func() error { _, err := l.PutAsset(ctx, "demo", "a.png", bomb); return err }, ErrBadAsset, "declares 100000×100000 pixels"},
		{"an asset over 5 MiB", func() error {
			_, err := l.PutAsset(ctx, "demo", "a.png", append(pngOf(t, 1, 1), make([]byte, MaxAssetBytes)...))
			return err
		}, nil, "an asset may be at most 5 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.do()
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err %v, want %v containing %q", err, tt.want, tt.msg)
			}
		})
	}
	if heads, _ := l.List(ctx); len(heads) != 2 { // the built-in campaigns

		t.Errorf("refusals changed the store: %+v", heads)
	}
	if res, err := l.PutAsset(ctx, "demo", "font.ttf", font); err != nil || !res.Staged {
		t.Errorf("a good font: %+v, %v", res, err)
	}
}

func TestCampaignInAllIsBounded(t *testing.T) {
	ctx := context.Background()
	l := newLibrary(t, mustDirStore(t))
	// Ten pictures of about 5 MiB each (noise does not compress).
	noise := image.NewNRGBA(image.Rect(0, 0, 1180, 1100))
	for i := range noise.Pix {
		noise.Pix[i] = byte(i*7919>>3) ^ byte(i>>9)
	}
	var buf bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&buf, noise); err != nil {
		t.Fatal(err)
	}
	if buf.Len() > MaxAssetBytes || buf.Len() < 5_000_000 {
		t.Fatalf("test picture is %d bytes", buf.Len())
	}
	var err error
	for i := range 11 {
		if _, err = l.PutAsset(ctx, "big", fmt.Sprintf("p%d.png", i), buf.Bytes()); err != nil {
			break
		}
	}
	var tl *TooLargeError
	if !errors.As(err, &tl) || !strings.Contains(err.Error(), "50 MiB") {
		t.Errorf("the eleventh picture: %v, want a campaign over 50 MiB refused", err)
	}
}

func mustDirStore(t *testing.T) *DirStore {
	t.Helper()
	s, err := NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRunFollowsAnotherReplica: Run picks up a publish made through
// another Library on the same store, by notification where the store has
// them and by polling where it does not.
func TestRunFollowsAnotherReplica(t *testing.T) {
	stores(t, func(t *testing.T, newStore func() Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		refreshed := make(chan struct{}, 8)
		follower := NewLibrary(LibraryOptions{Store: newStore(), Files: sharecard.Files(), Poll: 200 * time.Millisecond,
			Refreshed: func() { refreshed <- struct{}{} }})
		if err := follower.Open(ctx, sharecard.CampaignDir); err != nil {
			t.Fatal(err)
		}
		for len(refreshed) > 0 {
			<-refreshed // its own seeding
		}
		go follower.Run(ctx)
		l := newLibrary(t, newStore())
		y, _ := os.ReadFile(filepath.Join("..", "..", sharecard.CampaignDir, "ligestilling.yaml"))
		res, err := l.Publish(ctx, "ligestilling", bytes.Replace(y, []byte("Festen"), []byte("Fejringen"), 1), "")
		if err != nil {
			t.Fatal(err)
		}
		// The follower compiles the new version before it serves it: a
		// bilingual campaign with its "I declined" card is a dozen
		// templates, seconds under the race detector. The 2 s a replica
		// has is checked with two real binaries (cmd/sharecard's
		// TestReplicasServeAPublishWithinTwoSeconds); here, that it follows.
		start := time.Now()
		select {
		case <-refreshed:
			t.Logf("the follower refreshed after %v", time.Since(start).Round(time.Millisecond))
		case <-time.After(30 * time.Second):
			t.Fatal("the follower did not refresh within 30 s")
		}
		if c, _ := follower.Lookup("ligestilling"); c.Version != res.Version {
			t.Errorf("the follower serves %s, want %s", c.Version, res.Version)
		}
	})
}

// downStore is a store that does not answer until up is closed.
type downStore struct {
	Store
	up chan struct{}
}

var errDown = errors.New("connection refused")

func (s downStore) down() bool {
	select {
	case <-s.up:
		return false
	default:
		return true
	}
}

func (s downStore) Head(ctx context.Context, id string) (Head, bool, error) {
	if s.down() {
		return Head{}, false, errDown
	}
	return s.Store.Head(ctx, id)
}

func (s downStore) Heads(ctx context.Context) ([]Head, error) {
	if s.down() {
		return nil, errDown
	}
	return s.Store.Heads(ctx)
}

// TestStartWhileTheStoreIsDown: a library whose store does not answer
// serves the set it is given, and Run seeds the store and takes over
// from it once it answers.
func TestStartWhileTheStoreIsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := downStore{Store: mustDirStore(t), up: make(chan struct{})}
	changed := make(chan struct{}, 8)
	l := NewLibrary(LibraryOptions{Store: store, Files: sharecard.Files(), Poll: 50 * time.Millisecond, Refreshed: func() { changed <- struct{}{} }})
	if err := l.Open(ctx, sharecard.CampaignDir); !errors.Is(err, errDown) {
		t.Fatalf("Open on a store that is down: %v", err)
	}
	builtIn, err := Load(sharecard.Files(), sharecard.CampaignDir, nil)
	if err != nil {
		t.Fatal(err)
	}
	l.Serve(builtIn)
	if c, ok := l.Lookup("ligestilling"); !ok || c.Version != "" {
		t.Fatalf("the built-in campaign is not served: %v", ok)
	}
	go l.Run(ctx)
	close(store.up)
	for {
		select {
		case <-changed:
		case <-time.After(20 * time.Second):
			t.Fatal("the library did not take over from the store once it answered")
		}
		if c, ok := l.Lookup("ligestilling"); ok && c.Version != "" {
			break
		}
	}
	if heads, _ := l.List(ctx); len(heads) != 2 { // the two built-in campaigns
		t.Errorf("the store was not seeded: %+v", heads)
	}
}

// TestUploadRacingTheFirstPublish: an asset uploaded while a campaign is
// published for the first time is either in the version that lands or
// refused, never accepted and then lost.
func TestUploadRacingTheFirstPublish(t *testing.T) {
	stores(t, func(t *testing.T, newStore func() Store) {
		ctx := context.Background()
		a, b := newLibrary(t, newStore()), newLibrary(t, newStore())
		y := strings.Replace(storeCampaign, "      - {type: image, src: dot.png, box: [0, 0, 100, 100], fit: contain}\n", "", 1)
		for i := range 8 {
			id := fmt.Sprintf("race-%d", i)
			yaml := strings.Replace(y, "id: demo", "id: "+id, 1)
			var wg sync.WaitGroup
			var uploadErr, publishErr error
			wg.Go(func() { _, uploadErr = a.PutAsset(ctx, id, "extra.png", pngOf(t, 2, 2)) })
			wg.Go(func() { _, publishErr = b.Publish(ctx, id, []byte(yaml), "") })
			wg.Wait()
			if publishErr != nil {
				t.Fatal(publishErr)
			}
			_, v, _, err := a.Get(ctx, id, "")
			if err != nil {
				t.Fatal(err)
			}
			if _, in := v.Assets["extra.png"]; uploadErr == nil && !in {
				t.Errorf("%s: the upload was accepted but is not in the current version", id)
			}
			if uploadErr != nil && !errors.Is(uploadErr, ErrConflict) {
				t.Errorf("%s: upload: %v", id, uploadErr)
			}
		}
	})
}

// TestAStoreThatForgetsTakesNothingOutOfService: when the store loses its
// data (a Redis restarted without persistence), the built-in campaigns are
// seeded again and a published campaign stays live.
func TestAStoreThatForgetsTakesNothingOutOfService(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	store, err := NewDirStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	l := newLibrary(t, store)
	y := strings.Replace(storeCampaign, "      - {type: image, src: dot.png, box: [0, 0, 100, 100], fit: contain}\n", "", 1)
	if _, err := l.Publish(ctx, "demo", []byte(y), ""); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.IDs(), ","); got != "demo,equality-2061,ligestilling" {
		t.Errorf("live after the store forgot: %s", got)
	}
	if heads, _ := l.List(ctx); len(heads) != 2 || heads[0].ID != "equality-2061" || heads[1].ID != "ligestilling" {
		t.Errorf("the built-in campaigns were not seeded again: %+v", heads)
	}
}

// overlayFS is fsys with some files' contents replaced: an older or a
// newer release's copy of a built-in campaign.
type overlayFS struct {
	fs.FS
	files map[string][]byte
}

func (o overlayFS) Open(name string) (fs.File, error) {
	if data, ok := o.files[name]; ok {
		m := fstest.MapFS{name: &fstest.MapFile{Data: data}}
		return m.Open(name)
	}
	return o.FS.Open(name)
}

func TestANewReleaseUpdatesItsBuiltinCampaigns(t *testing.T) {
	file := sharecard.CampaignDir + "/ligestilling.yaml"
	current, err := fs.ReadFile(sharecard.Files(), file)
	if err != nil {
		t.Fatal(err)
	}
	older := bytes.Replace(current, []byte("learning_url: https://www.ligestillingitoppen.dk/laer"), []byte("learning_url: https://www.ligestillingitoppen.dk/gammel"), 1)
	if bytes.Equal(older, current) {
		t.Fatal("the test's edit did not apply")
	}
	release := func(t *testing.T, s Store, yaml []byte) *Library {
		t.Helper()
		l := NewLibrary(LibraryOptions{Store: s, Files: overlayFS{sharecard.Files(), map[string][]byte{file: yaml}}})
		if err := l.Open(context.Background(), sharecard.CampaignDir); err != nil {
			t.Fatal(err)
		}
		return l
	}
	learning := func(l *Library) string {
		c, _ := l.Lookup("ligestilling")
		return c.LearningURL
	}
	stores(t, func(t *testing.T, newStore func() Store) {
		ctx := context.Background()
		old := release(t, newStore(), older)
		if got := learning(old); !strings.HasSuffix(got, "/gammel") {
			t.Fatalf("the older release seeded %q", got)
		}
		// The new release finds its predecessor's seed and replaces it.
		cur := release(t, newStore(), current)
		if got := learning(cur); !strings.HasSuffix(got, "/laer") {
			t.Errorf("the new release serves %q, want its own copy", got)
		}
		_, vs, _ := cur.Versions(ctx, "ligestilling")
		if len(vs) != 2 || !vs[1].Builtin {
			t.Fatalf("versions after the update: %+v", vs)
		}
		// Starting it again changes nothing.
		release(t, newStore(), current)
		if _, vs, _ := cur.Versions(ctx, "ligestilling"); len(vs) != 2 {
			t.Errorf("started again: %d versions, want 2", len(vs))
		}
		// A rollback is a choice: the older seed stays current.
		if _, err := cur.Rollback(ctx, "ligestilling", vs[0].ID); err != nil {
			t.Fatal(err)
		}
		if got := learning(release(t, newStore(), current)); !strings.HasSuffix(got, "/gammel") {
			t.Errorf("after a rollback a restart serves %q, want the chosen version", got)
		}
		// A version a person published is never replaced.
		mine := bytes.Replace(current, []byte("/laer"), []byte("/vores"), 1)
		if _, err := cur.Publish(ctx, "ligestilling", mine, ""); err != nil {
			t.Fatal(err)
		}
		if got := learning(release(t, newStore(), current)); !strings.HasSuffix(got, "/vores") {
			t.Errorf("a restart replaced the team's version: %q", got)
		}
	})
}

// TestDeleteAsset: an asset goes in a new version only when the file no
// longer names it; earlier versions keep it; one kept for a first publish
// is simply no longer kept.
func TestDeleteAsset(t *testing.T) {
	stores(t, func(t *testing.T, newStore func() Store) {
		ctx := context.Background()
		l := newLibrary(t, newStore())
		if _, err := l.PutAsset(ctx, "demo", "dot.png", pngOf(t, 2, 2)); err != nil {
			t.Fatal(err)
		}
		if _, err := l.PutAsset(ctx, "demo", "spare.png", pngOf(t, 3, 3)); err != nil {
			t.Fatal(err)
		}
		if res, err := l.DeleteAsset(ctx, "demo", "spare.png"); err != nil || !res.Staged {
			t.Fatalf("before the first publish: %+v, %v", res, err)
		}
		first, err := l.Publish(ctx, "demo", []byte(storeCampaign), "")
		if err != nil {
			t.Fatal(err)
		}
		tests := []struct {
			name, asset string
			want        error  // errors.Is
			wantIn      string // in the message
		}{
			{"one the file names", "dot.png", nil, "image dot.png: file does not exist"},
			{"one it does not have", "spare.png", ErrNoAsset, "spare.png"},
			{"a name with a slash", "a/b.png", ErrInvalidAssetName, ""},
		}
		for _, tc := range tests {
			_, err := l.DeleteAsset(ctx, "demo", tc.asset)
			if err == nil || tc.want != nil && !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.wantIn) {
				t.Errorf("%s: %v; want %v with %q", tc.name, err, tc.want, tc.wantIn)
			}
		}
		if c, _ := l.Lookup("demo"); c.Version != first.Version {
			t.Error("a refused delete made a version")
		}
		// Once the file names it no more, it goes.
		noPicture := removeImageLayers(t, storeCampaign)
		if _, err := l.Publish(ctx, "demo", []byte(noPicture), ""); err != nil {
			t.Fatal(err)
		}
		res, err := l.DeleteAsset(ctx, "demo", "dot.png")
		if err != nil || res.Staged {
			t.Fatalf("delete: %+v, %v", res, err)
		}
		_, v, _, _ := l.Get(ctx, "demo", "")
		if _, has := v.Assets["dot.png"]; has || v.ID != res.Version {
			t.Errorf("the new version %s still has it: %v", v.ID, v.Assets)
		}
		_, old, _, _ := l.Get(ctx, "demo", first.Version)
		if _, err := l.Asset(ctx, "demo", old, "dot.png"); err != nil {
			t.Errorf("the first version lost its asset: %v", err)
		}
	})
}

// removeImageLayers drops the image layers from a campaign file.
func removeImageLayers(t *testing.T, yaml string) string {
	t.Helper()
	var keep []string
	for _, line := range strings.Split(yaml, "\n") {
		if !strings.Contains(line, "type: image") {
			keep = append(keep, line)
		}
	}
	out := strings.Join(keep, "\n")
	if out == yaml {
		t.Fatal("the campaign has no image layer to remove")
	}
	return out
}
