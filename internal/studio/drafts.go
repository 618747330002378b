package studio

import (
	"container/list"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/sharecard/sharecard/internal/campaign"
)

// draft is one compiled draft: the campaign, or the problems that keep
// it from compiling (kept too, so a draft with a typo is not compiled
// again for every preview of it).
type draft struct {
	hash     string
	camp     *campaign.Campaign
	warnings []string
	err      error
}

// drafts is a bounded LRU of compiled drafts by hash. A compiled draft
// holds four base images (about 22 MB of pixels), so only a few are
// kept: the draft a designer is typing and the ones just before it. Two
// requests for one draft compile it once.
type drafts struct {
	mu    sync.Mutex
	max   int
	order *list.List // of *slot, most recent first
	byKey map[string]*list.Element
}

type slot struct {
	key  string
	done chan struct{}
	d    *draft
}

func newDrafts(max int) *drafts {
	return &drafts{max: max, order: list.New(), byKey: map[string]*list.Element{}}
}

// draftKey names a draft: the campaign, the live version whose assets it
// compiles with (an upload changes them), and the file.
func draftKey(id, base string, yaml []byte) string {
	h := sha256.New()
	h.Write([]byte(id + "\x00" + base + "\x00"))
	h.Write(yaml)
	return hex.EncodeToString(h.Sum(nil))
}

// get returns the draft under key, compiling it with compile when no
// other request has or is.
func (c *drafts) get(ctx context.Context, key string, compile func() *draft) (*draft, error) {
	c.mu.Lock()
	if e, ok := c.byKey[key]; ok {
		c.order.MoveToFront(e)
		s := e.Value.(*slot)
		c.mu.Unlock()
		select {
		case <-s.done:
			return s.d, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	s := &slot{key: key, done: make(chan struct{})}
	c.byKey[key] = c.order.PushFront(s)
	for c.order.Len() > c.max {
		old := c.order.Back()
		c.order.Remove(old)
		delete(c.byKey, old.Value.(*slot).key)
	}
	c.mu.Unlock()
	s.d = compile()
	s.d.hash = key
	close(s.done)
	return s.d, nil
}

// len is how many drafts are kept (for tests).
func (c *drafts) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}
