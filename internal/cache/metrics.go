package cache

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/sony/gobreaker/v2"
)

// metrics are the cache's Prometheus collectors. They always exist (the
// tests read them); they are registered only when Options.Metrics is set.
type metrics struct {
	hits          *prometheus.CounterVec // by tier
	misses        *prometheus.CounterVec // by tier
	renders       prometheus.Counter
	renderErrors  prometheus.Counter
	lockWaits     prometheus.Counter
	redisErrors   *prometheus.CounterVec // by operation
	redisSkipped  prometheus.Counter
	writesDropped prometheus.Counter

	// The per-tier children, looked up once: a memory hit is a few
	// hundred nanoseconds and a label lookup would be a good part of it.
	memoryHits, memoryMisses, redisHits, redisMisses prometheus.Counter
}

func newMetrics() *metrics {
	m := &metrics{
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sharecard_cache_hits_total", Help: "Image cache hits by tier (memory, redis).",
		}, []string{"tier"}),
		misses: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sharecard_cache_misses_total", Help: "Image cache misses by tier (memory, redis).",
		}, []string{"tier"}),
		renders: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sharecard_cache_renders_total", Help: "Renders run by the cache because no tier had the image.",
		}),
		renderErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sharecard_cache_render_errors_total", Help: "Renders that failed (not cached).",
		}),
		lockWaits: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sharecard_cache_lock_waits_total", Help: "Misses that waited for another replica's render instead of rendering.",
		}),
		redisErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sharecard_cache_redis_errors_total", Help: "Failed Redis calls by operation (get, set, lock, unlock, ping, decode).",
		}, []string{"op"}),
		redisSkipped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sharecard_cache_redis_skipped_total", Help: "Redis calls not made because the circuit breaker was open.",
		}),
		writesDropped: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sharecard_cache_redis_writes_dropped_total", Help: "Asynchronous Redis writes dropped because the write queue was full.",
		}),
	}
	m.memoryHits, m.memoryMisses = m.hits.WithLabelValues("memory"), m.misses.WithLabelValues("memory")
	m.redisHits, m.redisMisses = m.hits.WithLabelValues("redis"), m.misses.WithLabelValues("redis")
	return m
}

// register adds the collectors, and the gauges read from t, to reg.
func (m *metrics) register(reg prometheus.Registerer, t *Tiered) error {
	cs := []prometheus.Collector{m.hits, m.misses, m.renders, m.renderErrors, m.lockWaits, m.redisErrors, m.redisSkipped, m.writesDropped}
	if t.mem != nil {
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "sharecard_cache_memory_bytes", Help: "Bytes held by the in-process tier (what its bound applies to).",
			}, func() float64 { return float64(t.mem.Bytes()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "sharecard_cache_memory_entries", Help: "Entries held by the in-process tier.",
			}, func() float64 { return float64(t.mem.Len()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "sharecard_cache_memory_max_bytes", Help: "Bound of the in-process tier.",
			}, func() float64 { return float64(t.mem.MaxBytes()) }))
	}
	if t.redis != nil {
		cs = append(cs,
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "sharecard_cache_redis_breaker_state", Help: "Redis circuit breaker: 0 closed (in use), 1 half-open (probing), 2 open (not called).",
			}, func() float64 { return breakerValue(t.redis.breaker.State()) }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{
				Name: "sharecard_cache_redis_write_queue", Help: "Asynchronous Redis writes waiting.",
			}, func() float64 { return float64(len(t.writes)) }))
	}
	var errs []error
	for _, c := range cs {
		if err := reg.Register(c); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

func breakerValue(s gobreaker.State) float64 {
	switch s {
	case gobreaker.StateHalfOpen:
		return 1
	case gobreaker.StateOpen:
		return 2
	}
	return 0
}
