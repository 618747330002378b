package revoke

import (
	"time"

	"github.com/redis/go-redis/v9"
)

// deadClient points at a loopback port that refuses connections.
func deadClient() redis.UniversalClient {
	return redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 50 * time.Millisecond, MaxRetries: -1})
}
