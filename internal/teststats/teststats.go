// Package teststats gives tests a stats.Recorder that keeps every event,
// so a test can ask what the code under it counted.
package teststats

import (
	"sync"

	"github.com/sharecard/sharecard/internal/stats"
)

// Events records events; safe for concurrent use.
type Events struct {
	mu  sync.Mutex
	all []stats.Event
}

// Record keeps ev.
func (e *Events) Record(ev stats.Event) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
}

// Count is how many events of kind k were recorded.
func (e *Events) Count(k stats.Kind) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	n := 0
	for _, ev := range e.all {
		if ev.Kind == k {
			n++
		}
	}
	return n
}

// Last is the latest event of kind k.
func (e *Events) Last(k stats.Kind) (stats.Event, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	for i := len(e.all) - 1; i >= 0; i-- {
		if e.all[i].Kind == k {
			return e.all[i], true
		}
	}
	return stats.Event{}, false
}

// All is every event recorded, in order.
func (e *Events) All() []stats.Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]stats.Event(nil), e.all...)
}
