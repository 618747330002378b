package campaign

import (
	"context"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/sharecard/sharecard/internal/testredis"
)

// TestRedisStoreInACluster: a campaign's keys share one hash tag, so the
// compare-and-set (WATCH on the head, MULTI over the rest) works in Redis
// Cluster, and campaigns spread over the nodes are all listed.
func TestRedisStoreInACluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a three-node cluster")
	}
	addrs := testredis.StartCluster(t, 3)
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	t.Cleanup(func() { c.Close() })
	ctx := context.Background()
	l := newLibrary(t, NewRedisStore(c, "", nil))
	other := newLibrary(t, NewRedisStore(c, "", nil))
	ids := []string{"a", "b", "c", "d", "e", "f"}
	for _, id := range ids {
		y := strings.Replace(storeCampaign, "id: demo", "id: "+id, 1)
		y = strings.Replace(y, "      - {type: image, src: dot.png, box: [0, 0, 100, 100], fit: contain}\n", "", 1)
		if _, err := l.Publish(ctx, id, []byte(y), ""); err != nil {
			t.Fatalf("publish %s: %v", id, err)
		}
		if _, err := other.Publish(ctx, id, []byte(strings.Replace(y, "Festen", "Festen igen", 1)), ""); err != nil {
			t.Fatalf("second publish of %s: %v", id, err)
		}
	}
	if err := l.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(l.IDs(), ","); got != "a,b,c,d,e,equality-2061,f,ligestilling" {
		t.Errorf("live campaigns %s", got)
	}
	for _, id := range ids {
		head, vs, err := l.Versions(ctx, id)
		if err != nil || len(vs) != 2 || vs[1].Parent != vs[0].ID || head.Current != vs[1].ID {
			t.Errorf("%s: %+v %d versions %v", id, head, len(vs), err)
		}
		if c, _ := l.Lookup(id); c.Texts.Event != "Festen igen" {
			t.Errorf("%s serves %q", id, c.Texts.Event)
		}
		// Nothing a campaign is made of may expire.
		s := NewRedisStore(c, "", nil)
		for _, k := range []string{s.key(id, "head"), s.key(id, "versions"), s.key(id, "pool"), s.key(id, "yaml:"+head.Current), s.index()} {
			if ttl, err := c.TTL(ctx, k).Result(); err != nil || ttl != -1 {
				t.Errorf("%s: TTL %v %v, want none", k, ttl, err)
			}
		}
	}
}
