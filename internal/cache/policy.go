package cache

import (
	"cmp"
	"context"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// policyTimeout bounds the start-up check: it must not hold up a service
// whose Redis is down, which starts anyway and uses Redis once it answers.
const policyTimeout = 2 * time.Second

// policyParams are the settings CheckRedisPolicy reads, one CONFIG GET
// each: Redis before 7 takes one parameter per call.
var policyParams = []string{"maxmemory", "maxmemory-policy", "appendonly", "save"}

// CheckRedisPolicy logs a warning for each Redis setting that puts at risk
// what sharecard keeps only in Redis: the counters and the revocation list,
// which exist nowhere else, unlike cached images, which carry a TTL and can
// be rendered again. It warns when:
//   - maxmemory-policy is allkeys-*: a full Redis may evict any of them;
//   - maxmemory-policy is noeviction with a maxmemory: a full Redis refuses
//     every write, the counters' too;
//   - maxmemory is 0: cached images grow until the machine runs out;
//   - persistence is off (appendonly no and no save): a restart loses them.
//
// volatile-lru evicts only keys with a TTL. Those are the images, but also
// the counters (their retention) and a day's salt, so even then a full
// Redis loses counts: docs/cache.md sizes maxmemory so it is not reached.
//
// A Redis Cluster is checked master by master. Where CONFIG GET is refused (managed services rename or
// forbid it) the check says so at DEBUG and nothing more; it never fails
// the caller, and gives up after two seconds.
func CheckRedisPolicy(ctx context.Context, client redis.UniversalClient, log *slog.Logger) {
	if client == nil {
		return
	}
	log = cmp.Or(log, slog.New(slog.DiscardHandler))
	ctx, cancel := context.WithTimeout(ctx, policyTimeout)
	defer cancel()
	if cc, ok := client.(*redis.ClusterClient); ok {
		err := cc.ForEachMaster(ctx, func(ctx context.Context, c *redis.Client) error {
			checkNode(ctx, c, log.With("redis_node", c.Options().Addr))
			return nil
		})
		if err != nil {
			log.Debug("redis: cannot list the cluster's masters; eviction and persistence settings not checked", "err", err)
		}
		return
	}
	checkNode(ctx, client, log)
}

// checkNode reads one server's settings and logs what is wrong with them.
func checkNode(ctx context.Context, c redis.Cmdable, log *slog.Logger) {
	cmds, err := c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, name := range policyParams {
			p.ConfigGet(ctx, name)
		}
		return nil
	})
	if err != nil {
		log.Debug("redis: CONFIG GET refused or failed; eviction and persistence settings not checked", "err", err)
		return
	}
	conf := map[string]string{}
	for _, cmd := range cmds {
		if m, ok := cmd.(*redis.MapStringStringCmd); ok {
			for k, v := range m.Val() {
				conf[k] = v
			}
		}
	}
	policy, hasPolicy := conf["maxmemory-policy"]
	maxmemory, maxErr := strconv.ParseUint(conf["maxmemory"], 10, 64)
	switch {
	case strings.HasPrefix(policy, "allkeys-"):
		log.Warn("redis: maxmemory-policy may evict any key, sharecard's revocation list among them, which exists only in Redis; use volatile-lru, which evicts only keys with a TTL (docs/cache.md)",
			"maxmemory_policy", policy)
	case policy == "noeviction" && maxErr == nil && maxmemory > 0:
		log.Warn("redis: with maxmemory-policy noeviction a full Redis refuses every write, the counters' too; use volatile-lru, which makes room by evicting keys with a TTL (docs/cache.md)",
			"maxmemory_policy", policy, "maxmemory", maxmemory)
	case !hasPolicy:
		log.Debug("redis: maxmemory-policy not reported; eviction not checked")
	}
	if maxErr == nil && maxmemory == 0 {
		log.Warn("redis: no maxmemory: cached images grow until the machine runs out of memory; set maxmemory (docs/cache.md says how much) with maxmemory-policy volatile-lru")
	}
	aof, hasAOF := conf["appendonly"]
	save, hasSave := conf["save"]
	switch {
	case !hasAOF || !hasSave:
		log.Debug("redis: persistence settings not reported; not checked")
	case aof == "no" && strings.TrimSpace(save) == "":
		log.Warn("redis: persistence is off (appendonly no, no save): a restart loses sharecard's counters and revocations, which exist only in Redis; set appendonly yes")
	case aof == "no":
		log.Info("redis: persistence by snapshots only: a crash loses the counts flushed since the last one; appendonly yes keeps them", "save", save)
	}
}
