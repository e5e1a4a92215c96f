package handlers

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the Prometheus series of one server. Each server has its own registry so
// that tests can run several servers in one process.
type Metrics struct {
	Registry    *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	transitions *prometheus.CounterVec
	findings    *prometheus.CounterVec
}

// NewMetrics registers the server's series, plus Go runtime and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qianfa_http_requests_total", Help: "HTTP requests by method, route and status.",
		}, []string{"method", "route", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "qianfa_http_request_duration_seconds", Help: "HTTP request latency by route.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"method", "route"}),
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qianfa_transitions_total", Help: "Workflow transitions by action and result (ok or error code).",
		}, []string{"action", "result"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "qianfa_findings_total", Help: "Consistency findings reported, by rule and severity.",
		}, []string{"rule", "severity"}),
	}
	m.Registry.MustRegister(m.requests, m.latency, m.transitions, m.findings,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
