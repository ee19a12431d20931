package test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/neo4j"
)

// openObservedStore opens a second store on the shared database whose queries are reported
// to observe, as cmd/lot-trace wires its metrics; the shared store has no observer.
func openObservedStore(t *testing.T, observe neo4j.QueryObserver) *neo4j.Store {
	t.Helper()
	sharedStore(t)
	store, err := neo4j.Open(neo4j.Config{URI: shared.db.URI, User: shared.db.User, Password: shared.db.Password,
		ObserveQuery: observe}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	return store
}

// queryLog records what a QueryObserver is told.
type queryLog struct {
	mu    sync.Mutex
	names []string
	errs  map[string]int
}

func (l *queryLog) observe(name string, took time.Duration, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if took <= 0 {
		name += " (no time)"
	}
	l.names = append(l.names, name)
	if err != nil {
		l.errs[name]++
	}
}

func (l *queryLog) seen() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.names)
}

// TestQueryObserverNamesEachStatement checks the store's timing hook: every statement a store
// method runs is reported by its .cypher file's name, with its time.
func TestQueryObserverNamesEachStatement(t *testing.T) {
	t.Parallel()
	log := &queryLog{errs: map[string]int{}}
	store := openObservedStore(t, log.observe)
	c := &apiClient{t: t, base: serve(t, api.NewServer(store, quietLogger(), api.Config{}))}
	tg := tag(t)
	if status, answer := c.post("/api/v1/receipts", tagged(tg, receiptJSON)); status != http.StatusCreated {
		t.Fatalf("receipt: %d %v", status, answer)
	}
	ctx := context.Background()
	if _, err := store.Trace(ctx, graph.LotCode(tg+"FLOUR-A"), graph.Forward, graph.Bounds{Depth: 5, Nodes: 100}); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Lot(ctx, graph.LotCode(tg+"NO-SUCH-LOT")); graph.ErrorCode(err) != graph.ENOTFOUND {
		t.Fatalf("unknown lot: %v", err)
	}

	seen := log.seen()
	for _, want := range []string{"lookup_existing", "record_suppliers", "record_receipts", "trace_forward", "lot_detail"} {
		if !slices.Contains(seen, want) {
			t.Errorf("statement %s was not reported; reported: %v", want, seen)
		}
	}
	for _, name := range seen {
		if strings.HasSuffix(name, "(no time)") || name == neo4j.OtherQuery {
			t.Errorf("reported %q: every statement of ours must have its name and a time", name)
		}
	}
	if len(log.errs) > 0 {
		t.Errorf("statements reported as failed: %v (a lot not found is an empty answer, not a failure)", log.errs)
	}
}

// TestMetricsAfterRealRequests scrapes /metrics after real requests as Prometheus would.
func TestMetricsAfterRealRequests(t *testing.T) {
	t.Parallel()
	metrics := api.NewMetrics()
	store := openObservedStore(t, metrics.ObserveQuery)
	c := &apiClient{t: t, base: serve(t, api.NewServer(store, quietLogger(), api.Config{Metrics: metrics}))}
	tg := loadBakery(t, c)
	status, _, trace := c.trace(tg+"FG-3", "direction=backward")
	if status != http.StatusOK {
		t.Fatalf("trace: %d", status)
	}
	if status, _ := c.do(http.MethodGet, "/api/v1/lots/"+tg+"FG-1/recall", "", ""); status != http.StatusOK {
		t.Fatalf("recall: %d", status)
	}

	status, raw := c.do(http.MethodGet, "/metrics", "", "")
	if status != http.StatusOK {
		t.Fatalf("GET /metrics: %d", status)
	}
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatalf("GET /metrics is not the Prometheus text format: %v", err)
	}
	bakery := bakeryHistory()
	checks := []struct {
		what   string
		metric string
		labels map[string]string
		value  func(*dto.Metric) float64
		want   float64
	}{
		{"bulk requests", api.MetricRequestDuration, map[string]string{"method": "POST", "route": "/api/v1/events", "status": "200"}, histogramCount, 1},
		{"trace requests", api.MetricRequestDuration, map[string]string{"route": "/api/v1/lots/:code/trace", "status": "200"}, histogramCount, 1},
		{"receipts accepted", api.MetricIngestEvents, map[string]string{"type": "receipt", "outcome": "accepted"}, counterValue, float64(countType(bakery, "receipt"))},
		{"shipments accepted", api.MetricIngestEvents, map[string]string{"type": "shipment", "outcome": "accepted"}, counterValue, float64(countType(bakery, "shipment"))},
		{"backward trace sizes", api.MetricTraceNodes, map[string]string{"answer": "trace", "direction": "backward"}, histogramSum, float64(len(trace.Nodes))},
		{"recall sizes", api.MetricTraceNodes, map[string]string{"answer": "recall"}, histogramCount, 1},
		{"streamed trace queries", api.MetricQueryDuration, map[string]string{"query": "trace_nodes", "outcome": "ok"}, histogramCount, -1},
		{"record statements", api.MetricQueryDuration, map[string]string{"query": "record_productions", "outcome": "ok"}, histogramCount, -1},
	}
	for _, ck := range checks {
		m := findSeries(families, ck.metric, ck.labels)
		switch {
		case m == nil:
			t.Errorf("%s: no %s series with %v", ck.what, ck.metric, ck.labels)
		case ck.want < 0 && ck.value(m) < 1: // at least one
			t.Errorf("%s: %s%v = %v, want at least 1", ck.what, ck.metric, ck.labels, ck.value(m))
		case ck.want >= 0 && ck.value(m) != ck.want:
			t.Errorf("%s: %s%v = %v, want %v", ck.what, ck.metric, ck.labels, ck.value(m), ck.want)
		}
	}
}

func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

func countType(lines []string, typ string) int {
	n := 0
	for _, l := range lines {
		if strings.Contains(l, `"type": "`+typ+`"`) {
			n++
		}
	}
	return n
}

func histogramCount(m *dto.Metric) float64 { return float64(m.GetHistogram().GetSampleCount()) }
func histogramSum(m *dto.Metric) float64   { return m.GetHistogram().GetSampleSum() }
func counterValue(m *dto.Metric) float64   { return m.GetCounter().GetValue() }

// findSeries returns the series of the family whose labels include want, or nil.
func findSeries(families map[string]*dto.MetricFamily, name string, want map[string]string) *dto.Metric {
	for _, m := range families[name].GetMetric() {
		have := map[string]string{}
		for _, l := range m.GetLabel() {
			have[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && have[k] == v
		}
		if match {
			return m
		}
	}
	return nil
}
