// Package metrics holds Cascade's Prometheus registry: HTTP latency by route
// and status, and the Temporal SDK's workflow and activity metrics.
package metrics

import (
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"go.temporal.io/sdk/client"
)

// Registry is the process's metrics, served at /metrics.
type Registry struct {
	*prometheus.Registry
	// HTTPDuration is the latency of each HTTP request by method, route and status.
	HTTPDuration *prometheus.HistogramVec
}

// New returns a registry with the Go runtime and process collectors.
func New() *Registry {
	r := prometheus.NewRegistry()
	r.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	d := prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "cascade_http_request_duration_seconds",
		Help:    "Latency of HTTP requests by method, route and status.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method", "route", "status"})
	r.MustRegister(d)
	return &Registry{Registry: r, HTTPDuration: d}
}

// sdkLabels are the SDK tags kept as labels; the SDK adds others (such as
// worker ids) that would only multiply series.
var sdkLabels = []string{"namespace", "task_queue", "workflow_type", "activity_type"}

// TemporalHandler adapts the registry to the Temporal SDK's metrics handler,
// so workflow and activity counters (temporal_workflow_completed_total,
// temporal_activity_execution_failed_total, …) appear at /metrics.
func (r *Registry) TemporalHandler() client.MetricsHandler {
	return &sdkHandler{vecs: &sdkVecs{reg: r.Registry}}
}

type sdkVecs struct {
	reg        prometheus.Registerer
	mu         sync.Mutex
	counters   map[string]*prometheus.CounterVec
	gauges     map[string]*prometheus.GaugeVec
	histograms map[string]*prometheus.HistogramVec
}

type sdkHandler struct {
	vecs *sdkVecs
	tags map[string]string
}

func (h *sdkHandler) WithTags(tags map[string]string) client.MetricsHandler {
	merged := make(map[string]string, len(h.tags)+len(tags))
	for k, v := range h.tags {
		merged[k] = v
	}
	for k, v := range tags {
		merged[k] = v
	}
	return &sdkHandler{vecs: h.vecs, tags: merged}
}

func (h *sdkHandler) labels() prometheus.Labels {
	l := prometheus.Labels{}
	for _, k := range sdkLabels {
		l[k] = h.tags[k]
	}
	return l
}

func metricName(name string) string {
	return strings.NewReplacer(".", "_", "-", "_").Replace(name)
}

func (h *sdkHandler) Counter(name string) client.MetricsCounter {
	v := h.vecs
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.counters == nil {
		v.counters = map[string]*prometheus.CounterVec{}
	}
	c, ok := v.counters[name]
	if !ok {
		c = prometheus.NewCounterVec(prometheus.CounterOpts{Name: metricName(name) + "_total", Help: "Temporal SDK counter " + name}, sdkLabels)
		if err := v.reg.Register(c); err != nil {
			return client.MetricsNopHandler.Counter(name)
		}
		v.counters[name] = c
	}
	ctr := c.With(h.labels())
	return counterFunc(func(d int64) { ctr.Add(float64(d)) })
}

func (h *sdkHandler) Gauge(name string) client.MetricsGauge {
	v := h.vecs
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.gauges == nil {
		v.gauges = map[string]*prometheus.GaugeVec{}
	}
	g, ok := v.gauges[name]
	if !ok {
		g = prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: metricName(name), Help: "Temporal SDK gauge " + name}, sdkLabels)
		if err := v.reg.Register(g); err != nil {
			return client.MetricsNopHandler.Gauge(name)
		}
		v.gauges[name] = g
	}
	gauge := g.With(h.labels())
	return gaugeFunc(gauge.Set)
}

func (h *sdkHandler) Timer(name string) client.MetricsTimer {
	v := h.vecs
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.histograms == nil {
		v.histograms = map[string]*prometheus.HistogramVec{}
	}
	hv, ok := v.histograms[name]
	if !ok {
		hv = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: metricName(name) + "_seconds", Help: "Temporal SDK timer " + name}, sdkLabels)
		if err := v.reg.Register(hv); err != nil {
			return client.MetricsNopHandler.Timer(name)
		}
		v.histograms[name] = hv
	}
	obs := hv.With(h.labels())
	return timerFunc(func(d time.Duration) { obs.Observe(d.Seconds()) })
}

type counterFunc func(int64)

func (f counterFunc) Inc(d int64) { f(d) }

type timerFunc func(time.Duration)

func (f timerFunc) Record(d time.Duration) { f(d) }

type gaugeFunc func(float64)

func (f gaugeFunc) Update(v float64) { f(v) }
