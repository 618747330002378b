package campaign

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// logEvents hands every log record at Error to a channel.
type logEvents struct{ ch chan string }

func (h logEvents) Enabled(context.Context, slog.Level) bool { return true }
func (h logEvents) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		msg := r.Message
		r.Attrs(func(a slog.Attr) bool { msg += " " + a.String(); return true })
		h.ch <- msg
	}
	return nil
}
func (h logEvents) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h logEvents) WithGroup(string) slog.Handler      { return h }

// TestHotReload: a saved campaign file becomes live, an
// asset saved beside it too, and a file that does not validate keeps the
// last good version live and logs its problem at its line.
func TestHotReload(t *testing.T) {
	dir := t.TempDir()
	fonts, _ := filepath.Abs(filepath.Join("..", "..", "fonts"))
	if err := os.Symlink(fonts, filepath.Join(dir, "fonts")); err != nil {
		t.Fatal(err)
	}
	camps := filepath.Join(dir, "assets", "campaigns")
	if err := os.MkdirAll(filepath.Join(camps, "demo"), 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(p string, b []byte) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(camps, p), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("demo/dot.png", pngOf(t, 4, 4))
	write("demo.yaml", []byte(storeCampaign))

	changed := make(chan struct{}, 16)
	errs := make(chan string, 16)
	log := slog.New(logEvents{errs})
	store, err := NewDirStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	lib := NewLibrary(LibraryOptions{Store: store, Files: os.DirFS(dir), Log: log, Refreshed: func() { changed <- struct{}{} }})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := lib.Open(ctx, "assets/campaigns"); err != nil {
		t.Fatal(err)
	}
	first, ok := lib.Lookup("demo")
	if !ok {
		t.Fatal("the campaign in the assets directory was not seeded")
	}
	ready := make(chan struct{})
	go HotReload(ctx, lib, dir, "assets/campaigns", log, ready)
	<-ready
	for len(changed) > 0 {
		<-changed
	}
	// The brief asks for a second; that is measured and logged here (and in
	// cmd/sharecard's TestHotReloads), while the bound that fails is loose
	// enough for a loaded CI machine under the race detector.
	const bound = 20 * time.Second
	wait := func(what string) {
		t.Helper()
		start := time.Now()
		select {
		case <-changed:
			t.Logf("%s was live after %s", what, time.Since(start).Round(time.Millisecond))
		case <-time.After(bound):
			t.Fatalf("%s was not live within %s", what, bound)
		}
	}

	write("demo.yaml", []byte(strings.Replace(storeCampaign, "Festen", "Fejringen", 1)))
	wait("a saved campaign file")
	if c, _ := lib.Lookup("demo"); c.Texts.Event != "Fejringen" || c.Version == first.Version {
		t.Errorf("after the save: %q at %s", c.Texts.Event, c.Version)
	}
	before, _ := lib.Lookup("demo")
	write("demo/dot.png", pngOf(t, 8, 8))
	wait("a saved asset")
	after, _ := lib.Lookup("demo")
	if after.Version == before.Version {
		t.Error("the asset change made no new version")
	}

	write("demo.yaml", bytes.Replace([]byte(storeCampaign), []byte("locale:"), []byte("colour: red\nlocale:"), 1))
	select {
	case msg := <-errs:
		if !strings.Contains(msg, `assets/campaigns/demo.yaml:2: unknown key "colour"`) {
			t.Errorf("logged %q", msg)
		}
	case <-time.After(bound):
		t.Fatalf("a broken save was not reported within %s", bound)
	}
	if c, _ := lib.Lookup("demo"); c.Version != after.Version {
		t.Error("a broken save replaced the last good version")
	}
	// The studio shows the broken save beside the live version, until a
	// save publishes.
	if f, ok := lib.ReloadFailed("demo"); !ok || f.File != "assets/campaigns/demo.yaml" || len(f.Problems) != 1 || f.Problems[0].Line != 2 {
		t.Errorf("the broken save is not noted: %+v %v", f, ok)
	}
	write("demo.yaml", []byte(strings.Replace(storeCampaign, "Festen", "Festligheden", 1)))
	wait("a good save after a broken one")
	if f, ok := lib.ReloadFailed("demo"); ok {
		t.Errorf("a good save left the failure noted: %+v", f)
	}
}
