package campaign

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strconv"

	"github.com/redis/go-redis/v9"
)

// RedisStore keeps campaigns in Redis, shared by every replica. A
// campaign's keys share the hash tag {id}, so one MULTI can change them
// all in Redis Cluster too; none has a TTL, so a campaign is never
// evicted for time (keep maxmemory-policy noeviction: serve warns
// otherwise).
//
//	<prefix>campaign:{id}:head            hash: version, archived
//	<prefix>campaign:{id}:versions        list of version JSON, oldest first
//	<prefix>campaign:{id}:yaml:<version>  each version's YAML
//	<prefix>campaign:{id}:pool            the asset pool (JSON)
//	<prefix>campaign:{id}:blob:<sha256>   each asset's bytes
//	<prefix>campaigns                     set of campaign ids
//	<prefix>campaigns:changed             pub/sub: a campaign id changed
type RedisStore struct {
	c      redis.UniversalClient
	prefix string
	log    *slog.Logger
}

// NewRedisStore uses c under key prefix (default "sharecard:").
func NewRedisStore(c redis.UniversalClient, prefix string, log *slog.Logger) *RedisStore {
	if prefix == "" {
		prefix = "sharecard:"
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &RedisStore{c: c, prefix: prefix, log: log}
}

func (s *RedisStore) key(id, part string) string { return s.prefix + "campaign:{" + id + "}:" + part }
func (s *RedisStore) index() string              { return s.prefix + "campaigns" }
func (s *RedisStore) channel() string            { return s.prefix + "campaigns:changed" }

func (s *RedisStore) Heads(ctx context.Context) ([]Head, error) {
	ids, err := s.c.SMembers(ctx, s.index()).Result()
	if err != nil {
		return nil, fmt.Errorf("campaign store: %w", err)
	}
	sort.Strings(ids)
	// One command per campaign, one round trip: in a cluster the heads
	// live on different nodes, so no single command can read them all.
	cmds := make([]*redis.MapStringStringCmd, len(ids))
	_, err = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			cmds[i] = p.HGetAll(ctx, s.key(id, "head"))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("campaign store: %w", err)
	}
	out := make([]Head, 0, len(ids))
	for i, id := range ids {
		m := cmds[i].Val()
		if len(m) == 0 {
			continue
		}
		out = append(out, headOf(id, m))
	}
	return out, nil
}

func (s *RedisStore) Head(ctx context.Context, id string) (Head, bool, error) {
	m, err := s.c.HGetAll(ctx, s.key(id, "head")).Result()
	if err != nil {
		return Head{}, false, fmt.Errorf("campaign store: %w", err)
	}
	if len(m) == 0 {
		return Head{ID: id}, false, nil
	}
	return headOf(id, m), true, nil
}

func headOf(id string, m map[string]string) Head {
	gen, _ := strconv.ParseInt(m["gen"], 10, 64)
	return Head{ID: id, Current: m["version"], Archived: m["archived"] == "1", Gen: gen}
}

func (s *RedisStore) Version(ctx context.Context, id, version string) (Version, []byte, error) {
	vs, err := s.Versions(ctx, id)
	if err != nil {
		return Version{}, nil, err
	}
	for _, v := range vs {
		if v.ID == version {
			y, err := s.c.Get(ctx, s.key(id, "yaml:"+version)).Bytes()
			if err != nil {
				return Version{}, nil, fmt.Errorf("campaign %s version %s: %w", id, version, err)
			}
			return v, y, nil
		}
	}
	return Version{}, nil, ErrNoVersion
}

func (s *RedisStore) Versions(ctx context.Context, id string) ([]Version, error) {
	raw, err := s.c.LRange(ctx, s.key(id, "versions"), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("campaign store: %w", err)
	}
	vs := make([]Version, 0, len(raw))
	for _, r := range raw {
		var v Version
		if err := json.Unmarshal([]byte(r), &v); err != nil {
			return nil, fmt.Errorf("campaign %s: a version record: %w", id, err)
		}
		vs = append(vs, v)
	}
	return vs, nil
}

func (s *RedisStore) Pool(ctx context.Context, id string) (map[string]Asset, error) {
	pool := map[string]Asset{}
	b, err := s.c.Get(ctx, s.key(id, "pool")).Bytes()
	if errors.Is(err, redis.Nil) {
		return pool, nil
	}
	if err != nil {
		return nil, fmt.Errorf("campaign store: %w", err)
	}
	return pool, json.Unmarshal(b, &pool)
}

func (s *RedisStore) Blob(ctx context.Context, id, sha string) ([]byte, error) {
	b, err := s.c.Get(ctx, s.key(id, "blob:"+sha)).Bytes()
	if err != nil {
		return nil, fmt.Errorf("campaign %s asset %s: %w", id, sha, err)
	}
	return b, nil
}

func (s *RedisStore) PutBlob(ctx context.Context, id, sha string, data []byte) error {
	return s.c.Set(ctx, s.key(id, "blob:"+sha), data, 0).Err()
}

func (s *RedisStore) Stage(ctx context.Context, id string, expect Head, pool map[string]Asset) error {
	b, err := json.Marshal(pool)
	if err != nil {
		return err
	}
	return s.cas(ctx, id, expect, func(p redis.Pipeliner) {
		p.Set(ctx, s.key(id, "pool"), b, 0)
	})
}

func (s *RedisStore) Commit(ctx context.Context, id string, expect Head, v Version, yaml []byte) error {
	rec, err := json.Marshal(v)
	if err != nil {
		return err
	}
	pool, err := json.Marshal(v.Assets)
	if err != nil {
		return err
	}
	if err := s.cas(ctx, id, expect, func(p redis.Pipeliner) {
		p.Set(ctx, s.key(id, "yaml:"+v.ID), yaml, 0)
		p.RPush(ctx, s.key(id, "versions"), rec)
		p.Set(ctx, s.key(id, "pool"), pool, 0)
		p.HSet(ctx, s.key(id, "head"), "version", v.ID, "archived", "0")
	}); err != nil {
		return err
	}
	// The index is another slot in a cluster, so not in the MULTI; adding
	// an id twice is harmless, and Heads skips one without a head.
	return s.c.SAdd(ctx, s.index(), id).Err()
}

func (s *RedisStore) SetCurrent(ctx context.Context, id string, expect Head, version string, archived bool) error {
	v, _, err := s.Version(ctx, id, version)
	if err != nil {
		return err
	}
	pool, err := json.Marshal(v.Assets)
	if err != nil {
		return err
	}
	arch := "0"
	if archived {
		arch = "1"
	}
	return s.cas(ctx, id, expect, func(p redis.Pipeliner) {
		p.Set(ctx, s.key(id, "pool"), pool, 0)
		p.HSet(ctx, s.key(id, "head"), "version", version, "archived", arch)
	})
}

// cas runs the commands of fn in one MULTI, with the head's Gen counted
// up, when the campaign's head is still expect: WATCH on the head, so a
// change between the read and EXEC makes EXEC fail and the caller sees
// ErrConflict.
func (s *RedisStore) cas(ctx context.Context, id string, expect Head, fn func(redis.Pipeliner)) error {
	if !ValidID(id) {
		return ErrInvalidID
	}
	head := s.key(id, "head")
	err := s.c.Watch(ctx, func(tx *redis.Tx) error {
		m, err := tx.HGetAll(ctx, head).Result()
		if err != nil {
			return err
		}
		if !headOf(id, m).same(expect) {
			return ErrConflict
		}
		_, err = tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			fn(p)
			p.HIncrBy(ctx, head, "gen", 1)
			return nil
		})
		return err
	}, head)
	if errors.Is(err, redis.TxFailedErr) {
		return ErrConflict
	}
	if err != nil && !errors.Is(err, ErrConflict) {
		return fmt.Errorf("campaign store: %w", err)
	}
	return err
}

// Changed tells the other replicas that id changed.
func (s *RedisStore) Changed(ctx context.Context, id string) {
	if err := s.c.Publish(ctx, s.channel(), id).Err(); err != nil {
		s.log.Warn("campaign store: could not tell the other replicas; they will see the change when they next poll", "campaign", id, "err", err)
	}
}

// Watch delivers the ids other replicas announce, until ctx ends. The
// subscription reconnects by itself (go-redis); what is missed while it is
// down, the poll finds.
func (s *RedisStore) Watch(ctx context.Context) <-chan string {
	sub := s.c.Subscribe(ctx, s.channel())
	out := make(chan string, 16)
	go func() {
		defer close(out)
		defer sub.Close()
		ch := sub.Channel()
		for {
			select {
			case <-ctx.Done():
				return
			case m, ok := <-ch:
				if !ok {
					return
				}
				select {
				case out <- m.Payload:
				default: // a refresh is already due
				}
			}
		}
	}()
	return out
}
