package api

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/lot-trace/lot-trace/graph"
)

// These requests are all answered before the store is asked, so the server needs none; the
// metrics of answers that do reach Neo4j are checked in test/metrics_test.go.
func TestMetricsAfterRequests(t *testing.T) {
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{})
	send := func(method, target, contentType, body string) {
		t.Helper()
		req := httptest.NewRequest(method, "http://127.0.0.1"+target, strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	send(http.MethodGet, "/api/v1/lots/FG-1/trace?direction=sideways", "", "")
	send(http.MethodGet, "/api/v1/lots/FG-2/trace?direction=sideways", "", "")
	send(http.MethodGet, "/no/such/route", "", "")
	send(http.MethodPost, "/api/v1/receipts", "application/json", `{"lot": {}}`)
	send(http.MethodPost, "/api/v1/events", "application/x-ndjson", "not json\n{\"type\": \"teleport\"}\n")

	families := scrape(t, srv)
	trace := sample(t, families, MetricRequestDuration, map[string]string{"method": "GET", "route": "/api/v1/lots/:code/trace", "status": "400"})
	if got := trace.GetHistogram().GetSampleCount(); got != 2 {
		t.Errorf("trace route: %d requests observed, want 2 (one series for every lot code)", got)
	}
	if noRoute := sample(t, families, MetricRequestDuration, map[string]string{"route": "unmatched", "status": "404"}); noRoute.GetHistogram().GetSampleCount() != 1 {
		t.Errorf("an unmatched path must be counted as route unmatched, not by its path")
	}
	if got := sample(t, families, MetricIngestEvents, map[string]string{"type": "receipt", "outcome": "rejected"}).GetCounter().GetValue(); got != 1 {
		t.Errorf("rejected receipts = %v, want 1", got)
	}
	if got := sample(t, families, MetricIngestEvents, map[string]string{"type": "unknown", "outcome": "rejected"}).GetCounter().GetValue(); got != 2 {
		t.Errorf("bulk lines rejected before becoming events = %v, want 2", got)
	}
	for _, name := range []string{"go_goroutines", "process_cpu_seconds_total"} {
		if families[name] == nil {
			t.Errorf("%s is missing: the Go and process collectors must be registered", name)
		}
	}
}

// TestMetricsAreOwnedByTheServer guards against the global default registry: two servers
// in one process must not see each other's requests.
func TestMetricsAreOwnedByTheServer(t *testing.T) {
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	a, b := NewServer(nil, quiet, Config{}), NewServer(nil, quiet, Config{})
	a.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "http://127.0.0.1/healthz", nil))
	if fam := scrape(t, b)[MetricRequestDuration]; fam != nil {
		for _, m := range fam.GetMetric() {
			if labelsMatch(m, map[string]string{"route": "/healthz"}) {
				t.Fatalf("server b counted server a's request")
			}
		}
	}
}

func TestObserveQuery(t *testing.T) {
	m := NewMetrics()
	m.ObserveQuery("lot_detail", 3*time.Millisecond, nil)
	m.ObserveQuery("lot_detail", time.Second, errors.New("boom"))
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Metrics: m})
	families := scrape(t, srv)
	for outcome, want := range map[string]float64{"ok": 0.003, "error": 1} {
		h := sample(t, families, MetricQueryDuration, map[string]string{"query": "lot_detail", "outcome": outcome}).GetHistogram()
		if h.GetSampleCount() != 1 || h.GetSampleSum() != want {
			t.Errorf("%s: count %d sum %v, want 1 and %v", outcome, h.GetSampleCount(), h.GetSampleSum(), want)
		}
	}
}

func TestObserveTraceSizeByAnswer(t *testing.T) {
	m := NewMetrics()
	m.observeTraceSize("recall", graph.Both, 4)
	m.observeTraceSize("trace", graph.Forward, 7)
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{Metrics: m})
	families := scrape(t, srv)
	if h := sample(t, families, MetricTraceNodes, map[string]string{"answer": "recall"}).GetHistogram(); h.GetSampleSum() != 4 {
		t.Errorf("recall of 4 nodes observed as %v", h.GetSampleSum())
	}
	if h := sample(t, families, MetricTraceNodes, map[string]string{"answer": "trace", "direction": "forward"}).GetHistogram(); h.GetSampleSum() != 7 {
		t.Errorf("forward trace of 7 nodes observed as %v", h.GetSampleSum())
	}
}

// scrape reads /metrics as Prometheus does.
func scrape(t *testing.T, srv http.Handler) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: %d %s", rec.Code, rec.Body)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(rec.Body)
	if err != nil {
		t.Fatalf("GET /metrics is not the Prometheus text format: %v", err)
	}
	return families
}

// sample returns the one series of the family whose labels include want.
func sample(t *testing.T, families map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	t.Helper()
	fam := families[name]
	if fam == nil {
		t.Fatalf("metric %s is not exposed", name)
	}
	for _, m := range fam.GetMetric() {
		if labelsMatch(m, want) {
			return m
		}
	}
	t.Fatalf("metric %s has no series with labels %v", name, want)
	return nil
}

func labelsMatch(m *dto.Metric, want map[string]string) bool {
	have := map[string]string{}
	for _, l := range m.GetLabel() {
		have[l.GetName()] = l.GetValue()
	}
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// TestMetricLabelsAreBounded: 50 invented methods and 50 unknown paths add two series, not a
// hundred: methods outside RFC 9110 are "other", unmatched paths "unmatched".
func TestMetricLabelsAreBounded(t *testing.T) {
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{})
	for i := range 50 {
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(fmt.Sprintf("M%02dX", i), "http://127.0.0.1/api/v1/lots", nil))
		srv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, fmt.Sprintf("http://127.0.0.1/no/route/%d", i), nil))
	}
	families := scrape(t, srv)
	series := map[string]bool{}
	for _, m := range families[MetricRequestDuration].GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		series[labels["method"]+" "+labels["route"]] = true
	}
	if len(series) > 3 {
		t.Errorf("%d series after 50 invented methods and 50 unknown paths, want at most 3: %v", len(series), series)
	}
	if !series["other /api/v1/lots"] && !series["other unmatched"] {
		t.Errorf("series %v, want the invented methods labelled other", series)
	}
	if !series["GET unmatched"] {
		t.Errorf("series %v, want the unknown paths labelled unmatched", series)
	}
}
