package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the server's own Prometheus series; share, cache and stats
// register theirs in the same registry.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "sharecard_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "sharecard_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route"}),
	}
	for _, c := range []prometheus.Collector{m.requests, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("server: register metrics: %w", err)
		}
	}
	return m, nil
}

// metricsMiddleware counts every request by its route pattern (never the
// raw path: tokens would make a series per invitation).
func (a *app) metricsMiddleware(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		if err != nil {
			// Let the error handler write the answer now so its status is
			// the one counted.
			c.Error(err)
		}
		route := c.Path()
		if route == "" || c.Response().Status == 404 && !routeKnown(c) {
			route = "unmatched"
		}
		a.metrics.requests.WithLabelValues(route, methodLabel(c.Request().Method), strconv.Itoa(c.Response().Status)).Inc()
		a.metrics.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
		return nil
	}
}

// routeKnown reports whether the request matched a registered route, as
// opposed to echo's not-found handler.
func routeKnown(c echo.Context) bool {
	for _, r := range c.Echo().Routes() {
		if r.Path == c.Path() {
			return true
		}
	}
	return false
}

// methodLabel keeps the method label to the standard methods: a client can
// send any token as a method, and each would otherwise be a new series.
func methodLabel(m string) string {
	switch m {
	case "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS":
		return m
	}
	return "other"
}

// MetricsHandler serves reg at /metrics, for the separate metrics listener
// (SHARECARD_METRICS_ADDR); the public port has no /metrics.
func MetricsHandler(reg *prometheus.Registry) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{Registry: reg}))
	return mux
}
