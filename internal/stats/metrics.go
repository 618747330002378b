package stats

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Drop reasons, the label of sharecard_stats_events_dropped_total.
const (
	dropBufferFull  = "buffer_full"  // the request-side channel was full
	dropPendingFull = "pending_full" // Redis has been down so long the pending counts hit their bound
	dropInvalid     = "invalid"      // unknown kind, no campaign, impossible value
	dropClosed      = "closed"       // recorded after Close
)

type metrics struct {
	recorded *prometheus.CounterVec
	dropped  *prometheus.CounterVec
	// drops holds dropped's series resolved once: a drop happens on the
	// request path, where a label lookup per event would cost more than
	// the send it replaces.
	drops       map[string]prometheus.Counter
	flushErrors prometheus.Counter
	pending     prometheus.Gauge
	flushTime   prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		recorded: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sharecard_stats_events_total",
			Help: "Campaign events taken into the stats buffer, by kind.",
		}, []string{"kind"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sharecard_stats_events_dropped_total",
			Help: "Campaign events not counted, by reason (buffer_full, pending_full, invalid, closed).",
		}, []string{"reason"}),
		flushErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sharecard_stats_flush_errors_total",
			Help: "Failed writes of stats batches; the counts stay pending and are retried.",
		}),
		pending: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sharecard_stats_pending_entries",
			Help: "Counter entries waiting to be written (grows while Redis is down).",
		}),
		flushTime: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "sharecard_stats_flush_seconds",
			Help:    "Time to write one stats batch.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 4, 8),
		}),
	}
	if reg != nil {
		m.recorded = register(reg, m.recorded)
		m.dropped = register(reg, m.dropped)
		m.flushErrors = register(reg, m.flushErrors)
		m.pending = register(reg, m.pending)
		m.flushTime = register(reg, m.flushTime)
	}
	// Resolving every reason also makes the series exist at 0, so alerts
	// can see them before the first drop.
	m.drops = map[string]prometheus.Counter{}
	for _, r := range []string{dropBufferFull, dropPendingFull, dropInvalid, dropClosed} {
		m.drops[r] = m.dropped.WithLabelValues(r)
	}
	return m
}

// register registers c, or reuses the collector already registered under
// the same name (a second recorder in one process, as in tests).
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}
