package api

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
)

// Metrics holds the service's Prometheus metrics in a registry of its own, never the global
// default one, so that two servers in one process (as in the tests) never share or clash.
// The command creates it, hands ObserveQuery to the store and the Metrics to the server.
type Metrics struct {
	registry        *prometheus.Registry
	requestDuration *prometheus.HistogramVec
	traceNodes      *prometheus.HistogramVec
	queryDuration   *prometheus.HistogramVec
	ingestEvents    *prometheus.CounterVec
}

// The metric names, for the README and the tests.
const (
	MetricRequestDuration = "lot_trace_http_request_duration_seconds"
	MetricTraceNodes      = "lot_trace_trace_nodes"
	MetricQueryDuration   = "lot_trace_neo4j_query_duration_seconds"
	MetricIngestEvents    = "lot_trace_ingest_events_total"
)

// latencyBuckets span a cached look-up (1 ms) to a large bulk load (a minute).
var latencyBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// NewMetrics creates the metrics and their registry, with the Go runtime and process
// collectors that every Prometheus target is expected to have.
func NewMetrics() *Metrics {
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requestDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricRequestDuration,
			Help:    "HTTP request latency by route template (unmatched for no route), method and status.",
			Buckets: latencyBuckets,
		}, []string{"method", "route", "status"}),
		traceNodes: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: MetricTraceNodes,
			Help: "Nodes (lots, batches, suppliers, customers) in each trace or recall answer.",
			// 1 to 262,144 by fours: past the largest trace the bounds allow.
			Buckets: prometheus.ExponentialBuckets(1, 4, 10),
		}, []string{"answer", "direction"}),
		queryDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    MetricQueryDuration,
			Help:    "Neo4j statement latency, rows streamed included, by statement name and outcome.",
			Buckets: latencyBuckets,
		}, []string{"query", "outcome"}),
		ingestEvents: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: MetricIngestEvents,
			Help: "Critical tracking events received, by type and outcome (accepted, unchanged, rejected); type unknown is a bulk line refused before it became an event.",
		}, []string{"type", "outcome"}),
	}
	m.registry.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.requestDuration, m.traceNodes, m.queryDuration, m.ingestEvents,
	)
	return m
}

// ObserveQuery records one statement's latency; it is a neo4j.QueryObserver.
func (m *Metrics) ObserveQuery(name string, took time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.queryDuration.WithLabelValues(name, outcome).Observe(took.Seconds())
}

// handleMetrics answers GET /metrics in the Prometheus exposition format.
func (s *Server) handleMetrics(c *gin.Context) error {
	promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}).ServeHTTP(c.Writer, c.Request)
	return nil
}

// measureRequests records every request's latency by route template, never by raw path, so
// that lot codes do not become label values; likewise any method outside RFC 9110's is
// "other", so a caller cannot add series by inventing methods. It runs first, so it sees the
// final status (a status is three digits: a bounded set).
func (s *Server) measureRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.metrics.requestDuration.WithLabelValues(methodLabel(c.Request.Method), route, strconv.Itoa(c.Writer.Status())).
		Observe(time.Since(start).Seconds())
}

// methodLabel is the method's label value: one of RFC 9110's methods, or "other".
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions, http.MethodConnect, http.MethodTrace:
		return method
	}
	return "other"
}

// observeTraceSize records the size of a trace or recall answer, in nodes reached.
func (m *Metrics) observeTraceSize(kind string, dir graph.Direction, nodes int) {
	m.traceNodes.WithLabelValues(kind, string(dir)).Observe(float64(nodes))
}

// Ingest outcomes, as the API reports them.
const (
	outcomeAccepted  = "accepted"
	outcomeUnchanged = "unchanged"
	outcomeRejected  = "rejected"
)

// unknownKind labels an event that did not decode, so its type is not known.
const unknownKind graph.EventKind = "unknown"

// countEvents adds n events of one type and outcome.
func (m *Metrics) countEvents(kind graph.EventKind, outcome string, n int) {
	if n > 0 {
		m.ingestEvents.WithLabelValues(string(kind), outcome).Add(float64(n))
	}
}

// countOutcome counts one event: created, already there, or refused (malformed, invalid or in
// conflict). An event that met an outage was neither stored nor refused, so it is not counted
// here (the request metrics show the 503).
func (m *Metrics) countOutcome(kind graph.EventKind, created bool, err error) {
	switch {
	case err != nil:
		if refused(err) {
			m.countEvents(kind, outcomeRejected, 1)
		}
	case created:
		m.countEvents(kind, outcomeAccepted, 1)
	default:
		m.countEvents(kind, outcomeUnchanged, 1)
	}
}

// refused says the error is the caller's event being refused, not a failure of ours.
func refused(err error) bool {
	switch graph.ErrorCode(err) {
	case graph.EMALFORMED, graph.EINVALID, graph.ECONFLICT:
		return true
	}
	return false
}

// countingRecorder counts, by type, the outcome of every event a bulk load hands the store.
type countingRecorder struct {
	ingest.Recorder
	metrics  *Metrics
	rejected atomic.Int64 // events the store refused; the load's other rejections never became events
}

func (r *countingRecorder) RecordEvents(ctx context.Context, events []graph.Event) ([]graph.Outcome, error) {
	outcomes, err := r.Recorder.RecordEvents(ctx, events)
	if err != nil {
		return outcomes, err
	}
	for i, o := range outcomes {
		if o.Err != nil {
			r.rejected.Add(1) // the loader stores runs from several goroutines at once
		}
		r.metrics.countOutcome(events[i].Kind(), o.Created, o.Err)
	}
	return outcomes, nil
}
