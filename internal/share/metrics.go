package share

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the render series; the server, cache and stats register
// theirs in the same registry.
type metrics struct {
	renderSeconds  *prometheus.HistogramVec
	rendersRunning prometheus.Gauge
	rendersRefused prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		renderSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sharecard_render_seconds", Help: "Time to render and encode one card, by variant and format.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"variant", "format"}),
		rendersRunning: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "sharecard_renders_in_flight", Help: "Renders running now.",
		}),
		rendersRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "sharecard_renders_refused_total", Help: "Renders refused with 503 because the queue was full.",
		}),
	}
	for _, c := range []prometheus.Collector{m.renderSeconds, m.rendersRunning, m.rendersRefused} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("share: register metrics: %w", err)
		}
	}
	return m, nil
}
