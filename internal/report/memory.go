package report

import (
	"context"
	"slices"
	"sync"
	"time"
)

// Memory keeps reports in the process (embedded mode without a data
// directory, and tests); they are gone on a restart.
type Memory struct {
	mu   sync.Mutex
	byID map[string][]Report // campaign → its reports
	// saved is called with a campaign's reports after each change, under
	// the lock (the directory store writes them out).
	saved func(campaign string, rs []Report) error
}

// NewMemory returns an empty store.
func NewMemory() *Memory { return &Memory{byID: map[string][]Report{}} }

// Add stores r as a new open report.
func (m *Memory) Add(_ context.Context, r Report) (Report, error) {
	r, err := prepare(r)
	if err != nil {
		return r, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	rs := m.byID[r.Campaign]
	open := 0
	for _, x := range rs {
		if x.Status == Open {
			open++
		}
	}
	if open >= MaxOpen {
		return Report{}, ErrFull
	}
	next := append(slices.Clip(rs), r)
	if err := m.save(r.Campaign, next); err != nil {
		return Report{}, err
	}
	return r, nil
}

// List returns a campaign's reports, open first, newest first.
func (m *Memory) List(_ context.Context, campaign string) ([]Report, error) {
	m.mu.Lock()
	out := slices.Clone(m.byID[campaign])
	m.mu.Unlock()
	slices.SortStableFunc(out, less)
	return out, nil
}

// Handle marks an open report revoked or dismissed.
func (m *Memory) Handle(_ context.Context, campaign, id string, status Status, at time.Time) (Report, error) {
	if err := checkHandle(status); err != nil {
		return Report{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	rs := slices.Clone(m.byID[campaign])
	i := slices.IndexFunc(rs, func(r Report) bool { return r.ID == id })
	if i < 0 {
		return Report{}, ErrNotFound
	}
	if rs[i].Status != Open {
		return rs[i], ErrHandled
	}
	at = at.UTC()
	rs[i].Status, rs[i].HandledAt = status, &at
	r := rs[i]
	if err := m.save(campaign, trimHandled(rs)); err != nil {
		return Report{}, err
	}
	return r, nil
}

// save makes rs the campaign's reports, written out first when the store
// persists them, so a failed write changes nothing.
func (m *Memory) save(campaign string, rs []Report) error {
	if m.saved != nil {
		if err := m.saved(campaign, rs); err != nil {
			return err
		}
	}
	m.byID[campaign] = rs
	return nil
}

// trimHandled drops the oldest handled reports beyond MaxHandled.
func trimHandled(rs []Report) []Report {
	var handled []Report
	for _, r := range rs {
		if r.Status != Open {
			handled = append(handled, r)
		}
	}
	if len(handled) <= MaxHandled {
		return rs
	}
	slices.SortStableFunc(handled, func(a, b Report) int { return b.HandledAt.Compare(*a.HandledAt) })
	drop := map[string]bool{}
	for _, r := range handled[MaxHandled:] {
		drop[r.ID] = true
	}
	return slices.DeleteFunc(rs, func(r Report) bool { return drop[r.ID] })
}
