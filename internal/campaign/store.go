package campaign

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"time"
)

// Store keeps published campaigns: for each campaign its immutable
// versions (a YAML file and the assets it was published with), the
// current one, and the pool of assets the next version starts from.
// RedisStore keeps them in Redis, so every replica sees the same; DirStore
// keeps them in the data directory for a single process.
//
// Every change to a campaign is a compare-and-set on its head (its current
// version and a count of its changes, Gen): two publishes of one campaign
// never interleave, an upload never slips between a publish's read of the
// asset pool and its commit, and the loser sees ErrConflict.
type Store interface {
	// Heads lists every campaign the store knows, sorted by id.
	Heads(ctx context.Context) ([]Head, error)
	// Head is one campaign's head; ok is false when the store has never
	// seen the campaign.
	Head(ctx context.Context, id string) (h Head, ok bool, err error)
	// Version reads one version and its YAML: ErrNoVersion when absent.
	Version(ctx context.Context, id, version string) (Version, []byte, error)
	// Versions lists a campaign's versions, oldest first.
	Versions(ctx context.Context, id string) ([]Version, error)
	// Pool is the campaign's asset pool: its current version's assets and
	// any uploaded before its first version.
	Pool(ctx context.Context, id string) (map[string]Asset, error)
	// Blob reads an asset's bytes by its SHA-256.
	Blob(ctx context.Context, id, sha string) ([]byte, error)
	// PutBlob stores an asset's bytes under their SHA-256 (idempotent).
	PutBlob(ctx context.Context, id, sha string, data []byte) error
	// Stage sets pool as a campaign's asset pool when its head is still
	// expect (the zero Head for a campaign the store has not seen):
	// ErrConflict otherwise.
	Stage(ctx context.Context, id string, expect Head, pool map[string]Asset) error
	// Commit adds v with its YAML as the campaign's current version (and
	// its assets as the pool), unarchiving it, when its head is still
	// expect: ErrConflict otherwise.
	Commit(ctx context.Context, id string, expect Head, v Version, yaml []byte) error
	// SetCurrent makes an existing version current, or archives the
	// campaign (archived true, version unchanged), when its head is still
	// expect: ErrConflict otherwise.
	SetCurrent(ctx context.Context, id string, expect Head, version string, archived bool) error
	// Changed is told by Library after every change it makes, so other
	// replicas can look at once (Redis pub/sub); Watch delivers the ids
	// others changed until ctx ends. A store without notifications
	// returns a nil channel: Library then relies on polling.
	Changed(ctx context.Context, id string)
	Watch(ctx context.Context) <-chan string
}

// Head is a campaign's place in the store.
type Head struct {
	ID       string `json:"id"`
	Current  string `json:"version"`
	Archived bool   `json:"archived,omitempty"`
	// Gen counts the changes to the campaign (publishes, uploads,
	// rollbacks, archiving); compare-and-set compares it.
	Gen int64 `json:"gen"`
}

// same reports whether h is still the head expect was read as.
func (h Head) same(expect Head) bool { return h.Current == expect.Current && h.Gen == expect.Gen }

// Version is one published version of a campaign. It never changes.
type Version struct {
	ID      string           `json:"version"`
	Parent  string           `json:"parent,omitempty"` // the version it replaced as current
	Created time.Time        `json:"created"`
	Assets  map[string]Asset `json:"assets,omitempty"`
	Size    int64            `json:"size"` // the YAML and assets in bytes
	// Builtin marks a version seeded from the binary's own copy of a
	// built-in campaign: a later release may replace it (Library.Seed),
	// while a version a person published is never replaced.
	Builtin bool `json:"builtin,omitempty"`
}

// Asset is one of a campaign's files, named in its YAML by Name.
type Asset struct {
	SHA  string `json:"sha256"`
	Size int64  `json:"size"`
}

// newVersionID makes an opaque, unique version: the publish time (so
// versions sort by age when read) and a hash of what was published and
// the version it follows (so two publishes in one millisecond differ).
func newVersionID(now time.Time, parent string, yaml []byte, assets map[string]Asset) string {
	h := sha256.New()
	h.Write([]byte(parent + "\x00"))
	h.Write(yaml)
	names := make([]string, 0, len(assets))
	for n := range assets {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		h.Write([]byte("\x00" + n + "\x00" + assets[n].SHA))
	}
	return strconv.FormatInt(now.UnixMilli(), 36) + "-" + hex.EncodeToString(h.Sum(nil))[:12]
}

func blobSHA(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

func poolSize(pool map[string]Asset) int64 {
	var n int64
	for _, a := range pool {
		n += a.Size
	}
	return n
}
