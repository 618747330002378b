package campaign

import (
	"context"
	"maps"
	"slices"
	"time"

	"github.com/sharecard/sharecard/internal/card"
)

// Draft validates and compiles yaml as a version of campaign id with the
// campaign's stored assets (its pool: uploads, and the fonts every
// campaign shares), as Publish would, and publishes nothing: the studio's
// previews of an unsaved change. The result is the campaign and the
// renderer's warnings, or an *InvalidError with every problem at its line.
func (l *Library) Draft(ctx context.Context, id string, yaml []byte) (*Campaign, []string, error) {
	if !ValidID(id) {
		return nil, nil, ErrInvalidID
	}
	if len(yaml) > MaxFileBytes {
		return nil, nil, &TooLargeError{What: "a campaign file", Limit: MaxFileBytes}
	}
	pool, err := l.store.Pool(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	// The shared fonts' caches are filled by every compile and are not
	// safe for two at once: a draft waits for a publish, and the other
	// way round.
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.build(ctx, id, yaml, pool, nil)
}

// TextBoxes are the text layers of a variant in the campaign's language
// (Lang) as the campaign compiled them (with today's computed values), in
// drawing order: where the words go, for checks of the design such as a
// story's safe zone.
func (c *Campaign) TextBoxes(variant string) []card.TextBox {
	spec, ok := c.tpl.specs[keyOf(c.Lang(), variant)]
	if !ok {
		return nil
	}
	var out []card.TextBox
	for _, l := range withValues(spec, c.computedValues(c.tpl.clock())).Layers {
		if tb, ok := l.(card.TextBox); ok {
			out = append(out, tb)
		}
	}
	return slices.Clip(out)
}

// ReloadFailure is the last save of a campaign's file that hot reload
// could not publish: the file, when it was seen, and its problems.
type ReloadFailure struct {
	File     string
	At       time.Time
	Problems []*Problem
	sum      [32]byte // the failed save (saveSum)
}

// ReloadFailed returns the failure hot reload last saw for campaign id,
// if its latest save did not validate (the studio shows it beside the
// live version, which stayed).
func (l *Library) ReloadFailed(id string) (ReloadFailure, bool) {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	f, ok := l.reloadFailures[id]
	return f, ok
}

// noteReload records the outcome of hot reload's publish of id: a
// failure, or nil when the file published.
func (l *Library) noteReload(id string, f *ReloadFailure) {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	if f == nil {
		delete(l.reloadFailures, id)
		return
	}
	if l.reloadFailures == nil {
		l.reloadFailures = map[string]ReloadFailure{}
	}
	l.reloadFailures[id] = *f
}

// Assets lists the files a draft of campaign id compiles with: the
// current version's uploads, or those kept for a first publish. The map
// is the caller's.
func (l *Library) Assets(ctx context.Context, id string) (map[string]Asset, error) {
	if !ValidID(id) {
		return nil, ErrInvalidID
	}
	pool, err := l.store.Pool(ctx, id)
	if err != nil {
		return nil, err
	}
	return maps.Clone(pool), nil
}
