package stats

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

// lossy is a Redis store whose first writes fail after the fact: half
// lands only the batch's first campaign, as a Cluster does when one slot's
// transaction fails; whole lands every transaction. Both then report an
// error, as a client does whose reply to an EXEC was lost, before the
// store could clear its applied marks.
type lossy struct {
	*redisStore
	mu          sync.Mutex
	half, whole int
	attempts    int
}

var errReplyLost = errors.New("connection reset: the reply was lost")

func (l *lossy) apply(ctx context.Context, b *batch, ttl time.Duration) error {
	l.mu.Lock()
	l.attempts++
	half, whole := l.half > 0, l.half == 0 && l.whole > 0
	if half {
		l.half--
	} else if whole {
		l.whole--
	}
	l.mu.Unlock()
	if half {
		first := firstCampaign(b)
		part := newBatch()
		part.id = b.id
		for k, h := range b.hashes {
			if hashTag(k) == first {
				for f, d := range h {
					part.incr(k, f, d)
				}
			}
		}
		for _, e := range b.once {
			if hashTag(e.key) == first {
				part.once = append(part.once, e)
			}
		}
		if _, err := l.write(ctx, part, ttl); err != nil {
			return err
		}
		return errReplyLost
	}
	if !whole {
		return l.redisStore.apply(ctx, b, ttl)
	}
	if _, err := l.write(ctx, b, ttl); err != nil {
		return err
	}
	return errReplyLost
}

// firstCampaign is the smallest campaign tag among b's counter keys.
func firstCampaign(b *batch) string {
	first := ""
	for k := range b.hashes {
		if t := hashTag(k); first == "" || t < first {
			first = t
		}
	}
	return first
}

// TestARetriedWriteCountsOnce: a write that landed but whose reply was
// lost, and one that landed for one campaign only, are retried; the
// counts come out exact, and what was recorded meanwhile is kept.
func TestARetriedWriteCountsOnce(t *testing.T) {
	run := func(t *testing.T, rdb redis.UniversalClient, prefix string, campaigns []string) {
		for _, tc := range []struct {
			name        string
			half, whole int
		}{
			{"the reply to a write that landed is lost, twice", 0, 2},
			{"a write lands for one campaign only", 1, 0},
			{"both, one after the other", 1, 1},
		} {
			t.Run(tc.name, func(t *testing.T) {
				l := &lossy{half: tc.half, whole: tc.whole}
				clk := &clock{t: testStart()}
				p := prefix + strings.ReplaceAll(tc.name, " ", "") + ":"
				b := NewRecorder(Options{Redis: rdb, Prefix: p, FlushInterval: time.Hour, Now: clk.Now,
					wrap: func(be backend) backend { l.redisStore = be.(*redisStore); return l }})
				t.Cleanup(func() { _ = b.Close(context.Background()) })

				// Each round of sending declines all three invitations again
				// and again, from one visitor of its own: it counts three.
				rounds := 0
				send := func(n int) {
					rounds++
					ip := fmt.Sprint("198.51.100.", rounds)
					for i := 0; i < n; i++ {
						for _, c := range campaigns {
							b.Record(Event{Kind: PageView, Campaign: c, Token: fmt.Sprint("tok", i%3), IP: "198.51.100.7", UserAgent: chrome})
							b.Record(Event{Kind: Decline, Campaign: c, Token: fmt.Sprint("tok", i%3), IP: ip, UserAgent: chrome})
						}
					}
				}
				send(40)
				failures := 0
				for range tc.half + tc.whole {
					if err := b.Flush(context.Background()); !errors.Is(err, errReplyLost) {
						t.Fatalf("flush %d: %v, want the lost reply", failures+1, err)
					}
					failures++
					send(10) // recorded while the batch waits to be sent again
				}
				flush(t, b)
				want := int64(40 + 10*failures)
				for _, c := range campaigns {
					rep, err := b.Report(context.Background(), Query{Campaign: c, From: clk.Now().Add(-time.Hour), To: clk.Now().Add(time.Hour), Granularity: Day})
					if err != nil {
						t.Fatal(err)
					}
					if rep.Raw.Declines != want || rep.Totals.PageViews != want {
						t.Errorf("%s: %d declines and %d page views after %d failed writes, want %d of each", c, rep.Raw.Declines, rep.Totals.PageViews, failures, want)
					}
					wantOnce := int64(3 * rounds)
					if rep.Totals.Declines != wantOnce {
						t.Errorf("%s: %d declines counted once per invitation and visitor, want %d", c, rep.Totals.Declines, wantOnce)
					}
					var views, declines, once int64
					for _, inv := range rep.TopInvitations {
						views += inv.PageViews
						declines += inv.Raw.Declines
						once += inv.Declines
					}
					if views != want || declines != want || once != wantOnce {
						t.Errorf("%s: per-invitation page views, declines and declines counted once add up to %d, %d and %d, want %d, %d and %d",
							c, views, declines, once, want, want, wantOnce)
					}
				}
				// The applied marks are gone once the batch is in.
				marks, err := scanKeys(context.Background(), rdb, p+"*:applied:*")
				if err != nil {
					t.Fatal(err)
				}
				if len(marks) != 0 {
					t.Errorf("applied marks left behind: %q", marks)
				}
			})
		}
	}
	t.Run("redis", func(t *testing.T) {
		c, prefix := testredis.Client(t)
		run(t, c, prefix, []string{"ligestilling", "ligeloen"})
	})
	t.Run("cluster", func(t *testing.T) {
		addrs := testredis.StartCluster(t, 3)
		cc := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
		t.Cleanup(func() { cc.Close() })
		// The two campaigns must live on different masters, or the
		// half-written case proves nothing about a Cluster.
		ctx := context.Background()
		master := func(c string) string {
			m, err := cc.MasterForKey(ctx, "{"+c+"}")
			if err != nil {
				t.Fatal(err)
			}
			return m.Options().Addr
		}
		campaigns := []string{"ligestilling"}
		for _, c := range []string{"ligeloen", "bestyrelse", "topledelse", "rekruttering", "diversitet"} {
			if master(c) != master(campaigns[0]) {
				campaigns = append(campaigns, c)
				break
			}
		}
		if len(campaigns) != 2 {
			t.Fatal("every candidate campaign hashes to ligestilling's master")
		}
		run(t, cc, "test:", campaigns)
	})
}

// scanKeys lists the keys matching pattern, on every master of a Cluster.
func scanKeys(ctx context.Context, rdb redis.UniversalClient, pattern string) ([]string, error) {
	var mu sync.Mutex
	var out []string
	each := func(ctx context.Context, c *redis.Client) error {
		iter := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for iter.Next(ctx) {
			mu.Lock()
			out = append(out, iter.Val())
			mu.Unlock()
		}
		return iter.Err()
	}
	if cc, ok := rdb.(*redis.ClusterClient); ok {
		return out, cc.ForEachMaster(ctx, each)
	}
	return out, each(ctx, rdb.(*redis.Client))
}
