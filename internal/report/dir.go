package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sharecard/sharecard/internal/campaign"
)

// Dir keeps reports in a directory (SHARECARD_DATA_DIR/reports in
// embedded mode), one JSON file per campaign, so none is lost on a
// restart. A change writes the campaign's file to a temporary name and
// renames it into place before it takes effect in memory: a crash leaves
// the old file or the new one, never half of one. Only the service writes
// reports, so a lock in the process is enough.
type Dir struct {
	*Memory
	root string
}

// NewDir opens (creating) a store in dir and loads what it holds.
func NewDir(dir string) (*Dir, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("report store %s: %w", dir, err)
	}
	d := &Dir{Memory: NewMemory(), root: dir}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("report store %s: %w", dir, err)
	}
	for _, e := range entries {
		id, ok := strings.CutSuffix(e.Name(), ".json")
		if e.IsDir() || !ok || !campaign.ValidID(id) {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("report store: %w", err)
		}
		var rs []Report
		if err := json.Unmarshal(b, &rs); err != nil {
			return nil, fmt.Errorf("report store %s: %w", filepath.Join(dir, e.Name()), err)
		}
		d.byID[id] = rs
	}
	d.saved = d.write
	return d, nil
}

func (d *Dir) write(id string, rs []Report) error {
	if !campaign.ValidID(id) {
		return errors.New("report store: not a campaign id: " + id)
	}
	b, err := json.MarshalIndent(rs, "", "  ")
	if err != nil {
		return err
	}
	f, err := os.CreateTemp(d.root, "."+id+".*.tmp")
	if err != nil {
		return fmt.Errorf("report store: %w", err)
	}
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(d.root, id+".json"))
	}
	if err != nil {
		_ = os.Remove(f.Name())
		return fmt.Errorf("report store: save %s: %w", id, err)
	}
	return nil
}
