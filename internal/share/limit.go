package share

import (
	"context"
	"sync/atomic"
)

// limiter bounds renders: slots run at once, up to queue more wait, and
// anything past that is refused at once instead of piling up.
type limiter struct {
	slots   chan struct{}
	waiting atomic.Int64
	queue   int64
}

func newLimiter(concurrency, queue int) *limiter {
	return &limiter{slots: make(chan struct{}, max(concurrency, 1)), queue: int64(queue)}
}

// acquire takes a slot; wait lets batch work (prerender) queue without the
// bound, since it has no client to answer 503 to.
func (l *limiter) acquire(ctx context.Context, wait bool) error {
	select {
	case l.slots <- struct{}{}:
		return nil
	default:
	}
	if !wait {
		if l.waiting.Add(1) > l.queue {
			l.waiting.Add(-1)
			return ErrBusy
		}
		defer l.waiting.Add(-1)
	}
	select {
	case l.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (l *limiter) release() { <-l.slots }
