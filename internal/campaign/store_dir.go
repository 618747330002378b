package campaign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"
)

// DirStore keeps campaigns in a directory (SHARECARD_DATA_DIR/campaigns in
// embedded mode):
//
//	<id>/head.json          {"version": current, "archived": bool}
//	<id>/versions.json      every version, oldest first
//	<id>/pool.json          the asset pool
//	<id>/yaml/<version>     each version's YAML
//	<id>/blobs/<sha256>     each asset's bytes
//
// A change takes the campaign's lock (a mutex in the process and flock on
// <id>/.lock between processes, so `sharecard` commands run beside the
// service are safe) and replaces files by rename, so a reader sees the old
// file or the new one, never half of one.
type DirStore struct {
	root string
	mu   sync.Mutex
}

// NewDirStore opens (creating) a store in dir.
func NewDirStore(dir string) (*DirStore, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("campaign store %s: %w", dir, err)
	}
	return &DirStore{root: dir}, nil
}

func (s *DirStore) dir(id string) string { return filepath.Join(s.root, id) }

func (s *DirStore) Heads(ctx context.Context) ([]Head, error) {
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return nil, fmt.Errorf("campaign store: %w", err)
	}
	var out []Head
	for _, e := range entries {
		if !e.IsDir() || !ValidID(e.Name()) {
			continue
		}
		h, ok, err := s.Head(ctx, e.Name())
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, h)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func (s *DirStore) Head(_ context.Context, id string) (Head, bool, error) {
	h := Head{ID: id}
	ok, err := readJSON(filepath.Join(s.dir(id), "head.json"), &h)
	h.ID = id
	return h, ok, err
}

func (s *DirStore) Version(ctx context.Context, id, version string) (Version, []byte, error) {
	vs, err := s.Versions(ctx, id)
	if err != nil {
		return Version{}, nil, err
	}
	for _, v := range vs {
		if v.ID == version {
			y, err := os.ReadFile(filepath.Join(s.dir(id), "yaml", version))
			if err != nil {
				return Version{}, nil, fmt.Errorf("campaign %s version %s: %w", id, version, err)
			}
			return v, y, nil
		}
	}
	return Version{}, nil, ErrNoVersion
}

func (s *DirStore) Versions(_ context.Context, id string) ([]Version, error) {
	var vs []Version
	_, err := readJSON(filepath.Join(s.dir(id), "versions.json"), &vs)
	return vs, err
}

func (s *DirStore) Pool(_ context.Context, id string) (map[string]Asset, error) {
	pool := map[string]Asset{}
	_, err := readJSON(filepath.Join(s.dir(id), "pool.json"), &pool)
	return pool, err
}

func (s *DirStore) Blob(_ context.Context, id, sha string) ([]byte, error) {
	b, err := os.ReadFile(filepath.Join(s.dir(id), "blobs", sha))
	if err != nil {
		return nil, fmt.Errorf("campaign %s asset %s: %w", id, sha, err)
	}
	return b, nil
}

func (s *DirStore) PutBlob(_ context.Context, id, sha string, data []byte) error {
	return writeFile(filepath.Join(s.dir(id), "blobs", sha), data)
}

func (s *DirStore) Stage(ctx context.Context, id string, expect Head, pool map[string]Asset) error {
	return s.locked(id, expect, func(cur Head) (Head, error) {
		return cur, writeJSON(filepath.Join(s.dir(id), "pool.json"), pool)
	})
}

func (s *DirStore) Commit(ctx context.Context, id string, expect Head, v Version, yaml []byte) error {
	return s.locked(id, expect, func(Head) (Head, error) {
		vs, err := s.Versions(ctx, id)
		if err != nil {
			return Head{}, err
		}
		if err := writeFile(filepath.Join(s.dir(id), "yaml", v.ID), yaml); err != nil {
			return Head{}, err
		}
		if err := writeJSON(filepath.Join(s.dir(id), "versions.json"), append(vs, v)); err != nil {
			return Head{}, err
		}
		return Head{ID: id, Current: v.ID}, writeJSON(filepath.Join(s.dir(id), "pool.json"), v.Assets)
	})
}

func (s *DirStore) SetCurrent(ctx context.Context, id string, expect Head, version string, archived bool) error {
	return s.locked(id, expect, func(Head) (Head, error) {
		v, _, err := s.Version(ctx, id, version)
		if err != nil {
			return Head{}, err
		}
		return Head{ID: id, Current: version, Archived: archived}, writeJSON(filepath.Join(s.dir(id), "pool.json"), v.Assets)
	})
}

// Changed and Watch: a directory has no one to tell; Library polls.
func (s *DirStore) Changed(context.Context, string)     {}
func (s *DirStore) Watch(context.Context) <-chan string { return nil }

// locked runs fn holding the campaign's lock when its head is still
// expect, then writes the head fn returns with the next Gen. The head is
// written last: until it moves, what fn wrote is only files nobody points
// at (a version) or the pool, which only a head that moved makes current.
func (s *DirStore) locked(id string, expect Head, fn func(cur Head) (Head, error)) error {
	if !ValidID(id) {
		return ErrInvalidID
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(s.dir(id), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(filepath.Join(s.dir(id), ".lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		return fmt.Errorf("lock campaign %s: %w", id, err)
	}
	defer syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	cur, _, err := s.Head(context.Background(), id)
	if err != nil {
		return err
	}
	if !cur.same(expect) {
		return ErrConflict
	}
	next, err := fn(cur)
	if err != nil {
		return err
	}
	next.ID, next.Gen = id, cur.Gen+1
	return writeJSON(filepath.Join(s.dir(id), "head.json"), next)
}

// readJSON reads path into v; ok is false when there is no such file.
func readJSON(path string, v any) (bool, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return false, fmt.Errorf("%s: %w", path, err)
	}
	return true, nil
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFile(path, b)
}

// writeFile replaces path with data atomically: a temporary file in the
// same directory, synced, then renamed over it.
func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
