package campaign

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"maps"
	"path"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Library is the live set of campaigns over a Store: it compiles each
// campaign's current version once, swaps the Set that every request
// reads (Current), and publishes, rolls back and archives through the
// store's compare-and-set. Run keeps it in step with the other replicas.
type Library struct {
	store  Store
	shared *assets // fonts/ for every campaign, parsed once
	log    *slog.Logger
	now    func() time.Time
	poll   time.Duration

	mu  sync.Mutex // one change or refresh at a time, so none undoes another
	cur atomic.Pointer[Set]
	// seedDir is where Open found the built-in campaigns; seeded says the
	// store has had them offered (Run retries when Open could not).
	seedDir string
	seeded  atomic.Bool
	// recent keeps the last versions of each campaign this process
	// compiled (under mu), so a rollback is live at once instead of after
	// a compile and the templates' encoder work.
	recent map[string][]*Campaign
	// refreshed, when set, is told after each Refresh that changed the set
	// (tests wait on it).
	refreshed func()
	prepare   func(*Campaign)
	// reloadFailures are hot reload's last failed saves, by campaign.
	reloadMu       sync.Mutex
	reloadFailures map[string]ReloadFailure
}

// LibraryOptions configure a Library.
type LibraryOptions struct {
	Store Store
	// Files holds the fonts every campaign may name (fonts/…), and the
	// built-in campaigns Seed reads.
	Files fs.FS
	Log   *slog.Logger
	// Poll is how often Run asks the store for changes when no
	// notification came; 0 means one second.
	Poll time.Duration
	Now  func() time.Time
	// Refreshed is called after every change to the live set (a publish
	// here, or one another replica made).
	Refreshed func()
	// Prepare, when set, is given each newly compiled campaign before it
	// goes live (serve does the templates' one-off encoder work there, so
	// no visitor waits for it after a publish).
	Prepare func(*Campaign)
}

// NewLibrary builds a Library; call Seed and Refresh (or Open) before
// serving.
func NewLibrary(o LibraryOptions) *Library {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Poll <= 0 {
		o.Poll = time.Second
	}
	shared := newAssets(o.Files)
	l := &Library{store: o.Store, shared: shared, log: o.Log, now: o.Now, poll: o.Poll, refreshed: o.Refreshed, prepare: o.Prepare}
	l.cur.Store(&Set{byID: map[string]*Campaign{}})
	return l
}

// Open seeds the built-in campaigns under dir of the library's files into
// the store where it lacks them, then loads every current version.
func (l *Library) Open(ctx context.Context, dir string) error {
	l.seedDir = dir
	if err := l.Seed(ctx, dir); err != nil {
		return err
	}
	l.seeded.Store(true)
	return l.Refresh(ctx)
}

// Serve makes set the live campaigns until the store answers: for a
// service that starts while Redis is down, with the built-in campaigns
// read from files. Run seeds the store and takes over from it when it
// can.
func (l *Library) Serve(set *Set) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.cur.Store(&Set{byID: maps.Clone(set.byID), archived: map[string]bool{}})
}

// Current is the live set of campaigns: every current, unarchived
// version. It never changes; a publish swaps in a new one.
func (l *Library) Current() *Set { return l.cur.Load() }

// Lookup finds a live campaign by id.
func (l *Library) Lookup(id string) (*Campaign, bool) { return l.Current().Lookup(id) }

// IDs lists the live campaign ids, sorted.
func (l *Library) IDs() []string { return l.Current().IDs() }

// Store is the library's store.
func (l *Library) Store() Store { return l.store }

// Result is what a change answers: the campaign's id, its current version
// after the change, whether the campaign is new, and the renderer's
// warnings about its design.
type Result struct {
	ID       string   `json:"id"`
	Version  string   `json:"version"`
	Warnings []string `json:"warnings"`
	Created  bool     `json:"-"`
	Staged   bool     `json:"-"` // an asset kept for a campaign not yet published
}

// Publish validates yaml as campaign id with the campaign's asset pool
// and makes it the current version. ifMatch, when set, is the version the
// caller means to replace: ErrVersionMismatch when it is no longer
// current. Without it a publish that loses a race is tried again on top
// of the winner. A campaign that does not validate is an *InvalidError
// and changes nothing.
func (l *Library) Publish(ctx context.Context, id string, yaml []byte, ifMatch string) (Result, error) {
	return l.publish(ctx, id, yaml, ifMatch, nil, false)
}

// publish is Publish with files to add to the pool (an upload, the seed's
// own files) and once: a conflict ends it instead of being retried.
func (l *Library) publish(ctx context.Context, id string, yaml []byte, ifMatch string, add map[string][]byte, once bool, drop ...string) (Result, error) {
	if !ValidID(id) {
		return Result{}, ErrInvalidID
	}
	if len(yaml) > MaxFileBytes {
		return Result{}, &TooLargeError{What: "a campaign file", Limit: MaxFileBytes}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for attempt := 0; attempt < 20; attempt++ {
		head, existed, err := l.store.Head(ctx, id)
		if err != nil {
			return Result{}, err
		}
		if ifMatch != "" && head.Current != ifMatch {
			return Result{}, ErrVersionMismatch
		}
		pool, err := l.store.Pool(ctx, id)
		if err != nil {
			return Result{}, err
		}
		pool = maps.Clone(pool)
		for name, data := range add {
			pool[name] = Asset{SHA: blobSHA(data), Size: int64(len(data))}
		}
		for _, name := range drop {
			delete(pool, name)
		}
		size := int64(len(yaml)) + poolSize(pool)
		if size > MaxCampaignBytes {
			return Result{}, &TooLargeError{What: "a campaign in all (its file and assets)", Limit: MaxCampaignBytes}
		}
		camp, warnings, err := l.compile(ctx, id, yaml, pool, add)
		if err != nil {
			return Result{}, err
		}
		for name, data := range add {
			if err := l.store.PutBlob(ctx, id, pool[name].SHA, data); err != nil {
				return Result{}, err
			}
		}
		now := l.now()
		v := Version{ID: newVersionID(now, head.Current, yaml, pool), Parent: head.Current, Created: now.UTC(), Assets: pool, Size: size, Builtin: once}
		err = l.store.Commit(ctx, id, head, v, yaml)
		if errors.Is(err, ErrConflict) && ifMatch == "" && !once {
			continue
		}
		if err != nil {
			return Result{}, err
		}
		camp.Version = v.ID
		l.install(camp)
		l.store.Changed(ctx, id)
		return Result{ID: id, Version: v.ID, Warnings: warnings, Created: !existed || head.Current == ""}, nil
	}
	return Result{}, ErrConflict
}

// PutAsset checks an upload and adds it to the campaign: a new version
// with the current YAML when the campaign has one (validated like any
// publish, so an asset that breaks the design changes nothing), else kept
// in the pool for the first publish.
func (l *Library) PutAsset(ctx context.Context, id, name string, data []byte) (Result, error) {
	if !ValidID(id) {
		return Result{}, ErrInvalidID
	}
	if _, err := CheckAsset(name, data); err != nil {
		return Result{}, err
	}
	head, ok, err := l.store.Head(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if ok && head.Current != "" {
		_, yaml, err := l.store.Version(ctx, id, head.Current)
		if err != nil {
			return Result{}, err
		}
		return l.publish(ctx, id, yaml, head.Current, map[string][]byte{name: data}, false)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	head, _, err = l.store.Head(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if head.Current != "" {
		return Result{}, ErrConflict // published meanwhile: upload again
	}
	pool, err := l.store.Pool(ctx, id)
	if err != nil {
		return Result{}, err
	}
	pool = maps.Clone(pool)
	pool[name] = Asset{SHA: blobSHA(data), Size: int64(len(data))}
	if poolSize(pool) > MaxCampaignBytes {
		return Result{}, &TooLargeError{What: "a campaign in all (its file and assets)", Limit: MaxCampaignBytes}
	}
	if err := l.store.PutBlob(ctx, id, pool[name].SHA, data); err != nil {
		return Result{}, err
	}
	if err := l.store.Stage(ctx, id, head, pool); err != nil {
		return Result{}, err
	}
	return Result{ID: id, Warnings: []string{}, Staged: true, Created: true}, nil
}

// DeleteAsset takes an uploaded file out of campaign id: a new version of
// its current file without it (refused with the file's problems while
// the file still names it), or, before the first publish, out of the
// files kept for it. Earlier versions keep it, so a rollback to one
// brings it back.
func (l *Library) DeleteAsset(ctx context.Context, id, name string) (Result, error) {
	if !ValidID(id) {
		return Result{}, ErrInvalidID
	}
	if err := CheckAssetName(name); err != nil {
		return Result{}, err
	}
	head, ok, err := l.store.Head(ctx, id)
	if err != nil {
		return Result{}, err
	}
	pool, err := l.store.Pool(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if _, has := pool[name]; !has {
		return Result{}, fmt.Errorf("%w: %s", ErrNoAsset, name)
	}
	if ok && head.Current != "" {
		_, yaml, err := l.store.Version(ctx, id, head.Current)
		if err != nil {
			return Result{}, err
		}
		return l.publish(ctx, id, yaml, head.Current, nil, false, name)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if head, _, err = l.store.Head(ctx, id); err != nil {
		return Result{}, err
	}
	if head.Current != "" {
		return Result{}, ErrConflict // published meanwhile: delete again
	}
	if pool, err = l.store.Pool(ctx, id); err != nil {
		return Result{}, err
	}
	pool = maps.Clone(pool)
	delete(pool, name)
	if err := l.store.Stage(ctx, id, head, pool); err != nil {
		return Result{}, err
	}
	return Result{ID: id, Warnings: []string{}, Staged: true}, nil
}

// Rollback makes an earlier version current again.
func (l *Library) Rollback(ctx context.Context, id, version string) (Result, error) {
	if !ValidID(id) {
		return Result{}, ErrInvalidID
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	head, ok, err := l.store.Head(ctx, id)
	if err != nil {
		return Result{}, err
	}
	if !ok {
		return Result{}, ErrNotFound
	}
	v, yaml, err := l.store.Version(ctx, id, version)
	if err != nil {
		return Result{}, err
	}
	camp, ok := l.recall(id, version)
	warnings := []string{}
	if !ok {
		if camp, warnings, err = l.compile(ctx, id, yaml, v.Assets, nil); err != nil {
			return Result{}, err
		}
	}
	if err := l.store.SetCurrent(ctx, id, head, version, false); err != nil {
		return Result{}, err
	}
	camp.Version = version
	l.install(camp)
	l.store.Changed(ctx, id)
	return Result{ID: id, Version: version, Warnings: warnings}, nil
}

// Archive takes a campaign out of service: its links answer as gone, its
// versions stay in the store, and a publish or rollback brings it back.
func (l *Library) Archive(ctx context.Context, id string) error {
	if !ValidID(id) {
		return ErrInvalidID
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	head, ok, err := l.store.Head(ctx, id)
	if err != nil {
		return err
	}
	if !ok || head.Current == "" {
		return ErrNotFound
	}
	if !head.Archived {
		if err := l.store.SetCurrent(ctx, id, head, head.Current, true); err != nil {
			return err
		}
	}
	l.remove(id)
	l.store.Changed(ctx, id)
	return nil
}

// Get returns a campaign's version (the current one when version is
// empty) and its YAML.
func (l *Library) Get(ctx context.Context, id, version string) (Head, Version, []byte, error) {
	if !ValidID(id) {
		return Head{}, Version{}, nil, ErrInvalidID
	}
	head, ok, err := l.store.Head(ctx, id)
	if err != nil {
		return Head{}, Version{}, nil, err
	}
	if !ok || head.Current == "" {
		return Head{}, Version{}, nil, ErrNotFound
	}
	if version == "" {
		version = head.Current
	}
	v, yaml, err := l.store.Version(ctx, id, version)
	return head, v, yaml, err
}

// Versions lists a campaign's versions, oldest first.
func (l *Library) Versions(ctx context.Context, id string) (Head, []Version, error) {
	if !ValidID(id) {
		return Head{}, nil, ErrInvalidID
	}
	head, ok, err := l.store.Head(ctx, id)
	if err != nil {
		return Head{}, nil, err
	}
	if !ok || head.Current == "" {
		return Head{}, nil, ErrNotFound
	}
	vs, err := l.store.Versions(ctx, id)
	return head, vs, err
}

// Asset reads one asset of a campaign version by name.
func (l *Library) Asset(ctx context.Context, id string, v Version, name string) ([]byte, error) {
	a, ok := v.Assets[name]
	if !ok {
		return nil, fs.ErrNotExist
	}
	return l.store.Blob(ctx, id, a.SHA)
}

// List lists every campaign in the store, archived ones too.
func (l *Library) List(ctx context.Context) ([]Head, error) { return l.store.Heads(ctx) }

// Seed publishes the campaign files (*.yaml) under dir of the library's
// files that the store has never seen, each as the id its file is named
// for, with the files in dir/<id>/ as its own assets. Two replicas
// starting at once seed a campaign once: the second finds the first's.
// A campaign the store holds is left as it is, unless its current version
// is an earlier seed of the same file that is still its newest version
// (nobody published over it or rolled back from it): then the file, if
// it changed, is published over it, so a new release's built-in
// campaigns reach a store an older release seeded.
func (l *Library) Seed(ctx context.Context, dir string) error {
	entries, err := fs.ReadDir(l.shared.fsys, dir)
	if err != nil {
		return fmt.Errorf("seed campaigns: %w", err)
	}
	var errs []error
	for _, e := range entries {
		ext := path.Ext(e.Name())
		if e.IsDir() || (ext != ".yaml" && ext != ".yml") {
			continue
		}
		id := strings.TrimSuffix(e.Name(), ext)
		h, _, err := l.store.Head(ctx, id)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if h.Current != "" {
			if err := l.upgradeBuiltin(ctx, dir, e.Name(), id, h); err != nil {
				errs = append(errs, err)
			}
			continue
		}
		yaml, own, err := readCampaignFiles(l.shared.fsys, dir, e.Name())
		if err != nil {
			errs = append(errs, err)
			continue
		}
		res, err := l.publish(ctx, id, yaml, "", own, true)
		switch {
		case errors.Is(err, ErrConflict):
			continue // another replica seeded it first
		case err != nil:
			errs = append(errs, seedError(dir, e.Name(), err))
		default:
			l.log.Info("campaign seeded into the store", "campaign", id, "version", res.Version)
		}
	}
	return errors.Join(errs...)
}

// upgradeBuiltin publishes the library's copy of the built-in campaign
// id (dir/file) over the store's when the store's current version h is an
// unchanged earlier seed and the copy differs from it.
func (l *Library) upgradeBuiltin(ctx context.Context, dir, file, id string, h Head) error {
	if h.Archived {
		return nil
	}
	cur, old, err := l.store.Version(ctx, id, h.Current)
	if err != nil || !cur.Builtin {
		return err
	}
	versions, err := l.store.Versions(ctx, id)
	if err != nil {
		return err
	}
	if len(versions) == 0 || versions[len(versions)-1].ID != h.Current {
		return nil // rolled back to it: someone chose this version
	}
	yaml, own, err := readCampaignFiles(l.shared.fsys, dir, file)
	if err != nil {
		return err
	}
	same := bytes.Equal(yaml, old)
	for name, data := range own {
		same = same && cur.Assets[name].SHA == blobSHA(data)
	}
	if same {
		return nil
	}
	res, err := l.publish(ctx, id, yaml, h.Current, own, true)
	switch {
	case errors.Is(err, ErrConflict), errors.Is(err, ErrVersionMismatch):
		return nil // another replica upgraded it, or someone published
	case err != nil:
		return seedError(dir, file, err)
	}
	l.log.Info("built-in campaign updated in the store", "campaign", id, "from", h.Current, "version", res.Version)
	return nil
}

// seedError names the file a built-in campaign's problems are in.
func seedError(dir, name string, err error) error {
	var inv *InvalidError
	if errors.As(err, &inv) {
		var list []error
		for _, p := range inv.Problems {
			q := *p
			q.File = path.Join(dir, name)
			list = append(list, &q)
		}
		return errors.Join(list...)
	}
	return fmt.Errorf("seed %s: %w", path.Join(dir, name), err)
}

// readCampaignFiles reads a campaign file and its own assets (the files
// in the folder named for it beside it).
func readCampaignFiles(fsys fs.FS, dir, file string) ([]byte, map[string][]byte, error) {
	yaml, err := fs.ReadFile(fsys, path.Join(dir, file))
	if err != nil {
		return nil, nil, err
	}
	own := map[string][]byte{}
	sub := path.Join(dir, strings.TrimSuffix(file, path.Ext(file)))
	entries, err := fs.ReadDir(fsys, sub)
	if err != nil {
		return yaml, own, nil // no folder: no assets of its own
	}
	for _, e := range entries {
		if e.IsDir() || CheckAssetName(e.Name()) != nil {
			continue
		}
		data, err := fs.ReadFile(fsys, path.Join(sub, e.Name()))
		if err != nil {
			return nil, nil, err
		}
		own[e.Name()] = data
	}
	return yaml, own, nil
}

// Refresh reads every campaign's head and compiles the versions that
// changed, then swaps the live set. A version that no longer compiles
// (the shared fonts changed under it) keeps the one before it serving.
// A store that has lost its campaigns (a Redis restarted without
// persistence) takes nothing out of service: the built-in campaigns are
// seeded into it again, and a live campaign it no longer knows stays live
// at the version this process has, with a warning.
func (l *Library) Refresh(ctx context.Context) error {
	heads, err := l.store.Heads(ctx)
	if err != nil {
		return err
	}
	if len(heads) == 0 && l.seedDir != "" && len(l.Current().byID) > 0 {
		l.log.Warn("the campaign store is empty; seeding the built-in campaigns again")
		if err := l.Seed(ctx, l.seedDir); err != nil {
			return err
		}
		if heads, err = l.store.Heads(ctx); err != nil {
			return err
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.Current()
	next := &Set{byID: map[string]*Campaign{}, archived: map[string]bool{}}
	changed := false
	for _, h := range heads {
		if h.Current == "" {
			continue
		}
		if h.Archived {
			next.archived[h.ID] = true
			changed = changed || !old.archived[h.ID]
			continue
		}
		if c, ok := old.byID[h.ID]; ok && c.Version == h.Current {
			next.byID[h.ID] = c
			continue
		}
		changed = true
		if c, ok := l.recall(h.ID, h.Current); ok {
			next.byID[h.ID] = c
			continue
		}
		v, yaml, err := l.store.Version(ctx, h.ID, h.Current)
		if err == nil {
			var c *Campaign
			if c, _, err = l.compile(ctx, h.ID, yaml, v.Assets, nil); err == nil {
				c.Version = h.Current
				next.byID[h.ID] = c
				l.remember(c)
				continue
			}
		}
		l.log.Error("campaign version does not load; the one before it stays live", "campaign", h.ID, "version", h.Current, "err", err)
		if c, ok := old.byID[h.ID]; ok {
			next.byID[h.ID] = c
		}
	}
	for id, c := range old.byID {
		if _, ok := next.byID[id]; !ok && !next.archived[id] {
			l.log.Warn("the campaign store no longer has this campaign; it stays live at the version this process has", "campaign", id, "version", c.Version)
			next.byID[id] = c
		}
	}
	if len(next.byID) != len(old.byID) {
		changed = true
	}
	if changed {
		l.cur.Store(next)
		if l.refreshed != nil {
			l.refreshed()
		}
	}
	return nil
}

// Run keeps the live set in step with the store until ctx ends: at once
// when another replica announces a change, and every poll interval in any
// case, so a lost notification delays a change by one interval at most.
func (l *Library) Run(ctx context.Context) {
	notes := l.store.Watch(ctx)
	t := time.NewTicker(l.poll)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case _, ok := <-notes:
			if !ok {
				notes = nil // closed: polling alone from now on
				continue
			}
		}
		if !l.seeded.Load() {
			if err := l.Seed(ctx, l.seedDir); err != nil {
				if ctx.Err() == nil {
					l.log.Warn("campaign store still does not answer; the built-in campaigns stay live", "err", err)
				}
				continue
			}
			l.seeded.Store(true)
		}
		if err := l.Refresh(ctx); err != nil && ctx.Err() == nil {
			l.log.Warn("refresh campaigns from the store", "err", err)
		}
	}
}

// install puts camp into the live set in place of its old version.
func (l *Library) install(camp *Campaign) {
	old := l.Current()
	next := &Set{byID: maps.Clone(old.byID), archived: maps.Clone(old.archived)}
	if next.archived == nil {
		next.archived = map[string]bool{}
	}
	next.byID[camp.ID] = camp
	delete(next.archived, camp.ID)
	l.cur.Store(next)
	l.remember(camp)
	if l.refreshed != nil {
		l.refreshed()
	}
}

// remove takes id out of the live set as archived.
func (l *Library) remove(id string) {
	old := l.Current()
	next := &Set{byID: maps.Clone(old.byID), archived: maps.Clone(old.archived)}
	if next.archived == nil {
		next.archived = map[string]bool{}
	}
	delete(next.byID, id)
	next.archived[id] = true
	l.cur.Store(next)
	if l.refreshed != nil {
		l.refreshed()
	}
}

// compile validates and compiles one campaign version: yaml with the
// assets of pool (read from the store, or from add when just uploaded).
func (l *Library) compile(ctx context.Context, id string, yaml []byte, pool map[string]Asset, add map[string][]byte) (*Campaign, []string, error) {
	c, warnings, err := l.build(ctx, id, yaml, pool, add)
	if err == nil && l.prepare != nil {
		// The encoders' one-off work (a render per format) runs beside
		// the swap, not before it: a publish reaches every replica sooner,
		// and a first visitor before it ends only does that work itself.
		go l.prepare(c)
	}
	return c, warnings, err
}

// build is compile without the templates' preparation: a draft that is
// never published is not worth the encoders' one-off work.
func (l *Library) build(ctx context.Context, id string, yaml []byte, pool map[string]Asset, add map[string][]byte) (*Campaign, []string, error) {
	own := &ownFiles{ctx: ctx, id: id, pool: pool, add: add, store: l.store}
	a := newAssets(l.shared.fsys)
	a.own, a.shared = own, l.shared
	if l.shared.noto == nil {
		noto, err := notoOf(l.shared.fsys)
		if err != nil {
			l.log.Warn("campaign: no shipped fallback fonts; letters the campaign fonts lack are left out", "err", err)
		}
		l.shared.noto = noto
	}
	a.noto = l.shared.noto
	warn := &warnings{next: l.log.Handler()}
	c, errs := compileFile(id+".yaml", yaml, id, a, slog.New(warn))
	if len(errs) > 0 {
		probs := Problems(errors.Join(errs...))
		return nil, nil, &InvalidError{ID: id, Problems: probs}
	}
	return c, warn.list(), nil
}

// ownFiles are a stored campaign's assets, read from the store when a
// compile first names one.
type ownFiles struct {
	ctx   context.Context
	id    string
	pool  map[string]Asset
	add   map[string][]byte
	store Store
}

func (o *ownFiles) has(p string) bool {
	if o == nil {
		return false
	}
	_, ok := o.pool[p]
	return ok
}

func (o *ownFiles) read(p string) ([]byte, bool, error) {
	a, ok := o.pool[p]
	if !ok {
		return nil, false, nil
	}
	if data, ok := o.add[p]; ok {
		return data, true, nil
	}
	data, err := o.store.Blob(o.ctx, o.id, a.SHA)
	return data, true, err
}

// sharedPath reports whether p is one of the files every campaign may
// name: the fonts.
func sharedPath(p string) bool { return strings.HasPrefix(p, "fonts/") }

// warnings collects the renderer's warnings while a campaign compiles,
// for the publisher to see, and passes them on to the log.
type warnings struct {
	next slog.Handler
	mu   *sync.Mutex
	msgs *[]string
}

func (w *warnings) init() {
	if w.mu == nil {
		w.mu, w.msgs = &sync.Mutex{}, &[]string{}
	}
}

func (w *warnings) Enabled(ctx context.Context, lv slog.Level) bool {
	return lv >= slog.LevelWarn || w.next.Enabled(ctx, lv)
}

func (w *warnings) Handle(ctx context.Context, r slog.Record) error {
	w.init()
	if r.Level >= slog.LevelWarn {
		msg := r.Message
		r.Attrs(func(a slog.Attr) bool {
			if a.Key != "campaign" {
				msg += " " + a.String()
			}
			return true
		})
		w.mu.Lock()
		*w.msgs = append(*w.msgs, msg)
		w.mu.Unlock()
	}
	if w.next.Enabled(ctx, r.Level) {
		return w.next.Handle(ctx, r)
	}
	return nil
}

func (w *warnings) WithAttrs(as []slog.Attr) slog.Handler {
	w.init()
	return &warnings{next: w.next.WithAttrs(as), mu: w.mu, msgs: w.msgs}
}

func (w *warnings) WithGroup(name string) slog.Handler {
	w.init()
	return &warnings{next: w.next.WithGroup(name), mu: w.mu, msgs: w.msgs}
}

func (w *warnings) list() []string {
	w.init()
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string{}, *w.msgs...)
}

// Check compiles every campaign's current version again, as a fresh
// start would, and returns every problem, each named by the campaign and
// version it is in. `sharecard validate` runs it over the store.
func (l *Library) Check(ctx context.Context) error {
	heads, err := l.store.Heads(ctx)
	if err != nil {
		return err
	}
	var errs []error
	for _, h := range heads {
		if h.Current == "" || h.Archived {
			continue
		}
		v, yaml, err := l.store.Version(ctx, h.ID, h.Current)
		if err == nil {
			_, _, err = l.compile(ctx, h.ID, yaml, v.Assets, nil)
		}
		var inv *InvalidError
		if errors.As(err, &inv) {
			for _, p := range inv.Problems {
				q := *p
				q.File = h.ID + ".yaml@" + h.Current
				errs = append(errs, &q)
			}
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s@%s: %w", h.ID, h.Current, err))
		}
	}
	return errors.Join(errs...)
}

// recentVersions bounds the compiled versions kept per campaign.
const recentVersions = 3

// remember keeps c among its campaign's recent versions (under mu).
func (l *Library) remember(c *Campaign) {
	if l.recent == nil {
		l.recent = map[string][]*Campaign{}
	}
	list := []*Campaign{c}
	for _, o := range l.recent[c.ID] {
		if o.Version != c.Version && len(list) < recentVersions {
			list = append(list, o)
		}
	}
	l.recent[c.ID] = list
}

// recall finds a recent compiled version (under mu).
func (l *Library) recall(id, version string) (*Campaign, bool) {
	for _, c := range l.recent[id] {
		if c.Version == version {
			return c, true
		}
	}
	return nil, false
}
