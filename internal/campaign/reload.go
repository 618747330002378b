package campaign

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// reloadDelay gathers the events of one save (editors write, rename and
// chmod in a burst) into one publish.
const reloadDelay = 150 * time.Millisecond

// HotReload publishes the campaign files under dir/<campaigns> (and each
// campaign's own assets in the folder named for it beside its file) as
// they are saved, for local work with SHARECARD_ASSETS_DIR: a change is
// live within a second, without a restart. A file that does not validate
// changes nothing: the last good version stays live, and the problems go
// to the log, each at its line. It syncs once at the start (files edited
// while the service was down) and then follows the directory until ctx
// ends. ready, when set, is closed once the directory is watched.
func HotReload(ctx context.Context, lib *Library, dir, campaigns string, log *slog.Logger, ready chan<- struct{}) error {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return err
	}
	defer w.Close()
	root := filepath.Join(dir, filepath.FromSlash(campaigns))
	if err := w.Add(root); err != nil {
		return err
	}
	entries, _ := os.ReadDir(root)
	for _, e := range entries {
		if e.IsDir() {
			_ = w.Add(filepath.Join(root, e.Name()))
		}
	}
	fsys := os.DirFS(dir)
	for _, e := range entries {
		if id, ok := campaignOfPath(root, filepath.Join(root, e.Name())); ok {
			reloadOne(ctx, lib, fsys, campaigns, id, log)
		}
	}
	if ready != nil {
		close(ready)
	}
	pending := map[string]bool{}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err, ok := <-w.Errors:
			if !ok {
				return nil
			}
			log.Warn("hot reload: watching the campaign files", "err", err)
		case ev, ok := <-w.Events:
			if !ok {
				return nil
			}
			if ev.Has(fsnotify.Create) {
				if st, err := os.Stat(ev.Name); err == nil && st.IsDir() {
					_ = w.Add(ev.Name) // a new campaign's asset folder
				}
			}
			if id, ok := campaignOfPath(root, ev.Name); ok {
				pending[id] = true
				timer.Reset(reloadDelay)
			}
		case <-timer.C:
			for id := range pending {
				reloadOne(ctx, lib, fsys, campaigns, id, log)
			}
			clear(pending)
		}
	}
}

// campaignOfPath is the campaign a changed path belongs to: <id>.yaml, or
// a file in the folder <id>/.
func campaignOfPath(root, p string) (string, bool) {
	rel, err := filepath.Rel(root, p)
	if err != nil || strings.HasPrefix(rel, "..") {
		return "", false
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	id := parts[0]
	if len(parts) == 1 {
		ext := path.Ext(id)
		if ext != ".yaml" && ext != ".yml" {
			return "", false
		}
		id = strings.TrimSuffix(id, ext)
	}
	return id, ValidID(id)
}

// reloadOne publishes the campaign id from its files when they differ
// from its current version.
func reloadOne(ctx context.Context, lib *Library, fsys fs.FS, campaigns, id string, log *slog.Logger) {
	file := id + ".yaml"
	if _, err := fs.Stat(fsys, path.Join(campaigns, file)); err != nil {
		file = id + ".yml"
	}
	yaml, own, err := readCampaignFiles(fsys, campaigns, file)
	if errors.Is(err, fs.ErrNotExist) {
		return // removed: the store keeps it; archive it through the API
	}
	if err != nil {
		log.Warn("hot reload: read campaign", "campaign", id, "err", err)
		return
	}
	// A different save replaces what the last one left noted before it
	// is published, so whoever sees the version it makes never sees the
	// old failure beside it; the same broken save read again (an editor's
	// second event) keeps its note throughout.
	sum := saveSum(yaml, own)
	if f, ok := lib.ReloadFailed(id); ok && f.sum != sum {
		lib.noteReload(id, nil)
	}
	if lib.unchanged(ctx, id, yaml, own) {
		lib.noteReload(id, nil) // a bad save undone
		return
	}
	res, err := lib.publish(ctx, id, yaml, "", own, false)
	var inv *InvalidError
	switch {
	case errors.As(err, &inv):
		// Noted before it is logged: whoever reads the log finds it noted.
		lib.noteReload(id, &ReloadFailure{File: path.Join(campaigns, file), At: lib.now(), Problems: inv.Problems, sum: sum})
		for _, p := range inv.Problems {
			q := *p
			q.File = path.Join(campaigns, file)
			log.Error("hot reload: the campaign file does not validate; the last good version stays live", "campaign", id, "problem", q.Error())
		}
	case err != nil:
		log.Error("hot reload: publish", "campaign", id, "err", err)
	default:
		log.Info("hot reload: campaign published", "campaign", id, "version", res.Version)
		lib.noteReload(id, nil)
	}
}

// unchanged reports whether yaml and own are what the campaign's current
// version already holds.
func (l *Library) unchanged(ctx context.Context, id string, yaml []byte, own map[string][]byte) bool {
	head, ok, err := l.store.Head(ctx, id)
	if err != nil || !ok || head.Current == "" || head.Archived {
		return false
	}
	v, cur, err := l.store.Version(ctx, id, head.Current)
	if err != nil || !bytes.Equal(cur, yaml) {
		return false
	}
	for name, data := range own {
		if v.Assets[name].SHA != blobSHA(data) {
			return false
		}
	}
	return true
}

// saveSum identifies one save of a campaign: its file and its own assets.
func saveSum(yaml []byte, own map[string][]byte) [sha256.Size]byte {
	h := sha256.New()
	h.Write(yaml)
	for _, name := range slices.Sorted(maps.Keys(own)) {
		h.Write([]byte("\x00" + name + "\x00"))
		h.Write(own[name])
	}
	return [sha256.Size]byte(h.Sum(nil))
}
