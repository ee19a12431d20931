package test

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/ingest"
	"github.com/lot-trace/lot-trace/internal/synth"
)

// TestGeneratedHistoryLoadsWhole loads a generated history of over 10,000 events (the shape
// `serve -demo` loads) straight into the store, then posts the same history to the bulk
// route: every event is accepted the first time, unchanged the second, and no count moves.
func TestGeneratedHistoryLoadsWhole(t *testing.T) {
	t.Parallel()
	store := sharedStore(t)
	c := newAPI(t, api.Config{})
	tg := tag(t)
	opt := synth.Options{Seed: 7, Lots: 4700, HubBatches: 100, Prefix: tg}
	counts, err := synth.Load(context.Background(), store, opt)
	if err != nil {
		t.Fatal(err)
	}
	if counts.Rejected != 0 || counts.Accepted < 10000 || counts.Unchanged != 0 {
		t.Fatalf("first load: %+v, want over 10,000 events, every one accepted", counts)
	}
	nodes, rels := countTagged(t, tg)

	var history bytes.Buffer
	if _, err := synth.Generate(&history, opt); err != nil {
		t.Fatal(err)
	}
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", history.String())
	answer := decodeObject(t, raw)
	if status != http.StatusOK || answer["unchanged"] != float64(counts.Accepted) || answer["accepted"] != 0.0 {
		t.Errorf("re-posting: %d accepted %v unchanged %v, want all %d unchanged", status, answer["accepted"], answer["unchanged"], counts.Accepted)
	}
	if n2, r2 := countTagged(t, tg); n2 != nodes || r2 != rels {
		t.Errorf("re-posting changed the graph: %d→%d nodes, %d→%d relationships", nodes, n2, rels, r2)
	}
}

// TestParallelRunsStoreWhatOneByOneStores loads the same generated history twice, under two
// tags: in small runs two at a time (most runs hold events that use lots the run before
// creates), and in one run. Both store every event and the same graph.
func TestParallelRunsStoreWhatOneByOneStores(t *testing.T) {
	t.Parallel()
	store := sharedStore(t)
	load := func(tg string, batchSize, parallel int) (ingest.Counts, int64, int64) {
		var history bytes.Buffer
		if _, err := synth.Generate(&history, synth.Options{Seed: 11, Lots: 2000, HubBatches: 60, Prefix: tg}); err != nil {
			t.Fatal(err)
		}
		l := ingest.Loader{Recorder: store, BatchSize: batchSize, Parallel: parallel}
		counts, err := l.Load(context.Background(), ingest.NewNDJSON(&history))
		if err != nil {
			t.Fatal(err)
		}
		nodes, rels := countTagged(t, tg)
		return counts, nodes, rels
	}
	tg := tag(t)
	one, nodes1, rels1 := load(tg+"ONE-", 1<<20, 1)
	two, nodes2, rels2 := load(tg+"TWO-", 150, 2)
	if one.Rejected != 0 || two != one {
		t.Errorf("in parallel runs: %+v; in one run: %+v; want the same, nothing rejected", two, one)
	}
	if nodes1 == 0 || nodes2 != nodes1 || rels2 != rels1 {
		t.Errorf("in parallel runs: %d nodes, %d relationships; in one run: %d, %d", nodes2, rels2, nodes1, rels1)
	}
}

// TestBulkRejectsAcrossParallelRuns posts a generated history of over 10,000 events (so the
// service stores it in runs two at a time) with bad lines spread through it: exactly those
// are rejected, in line order, and everything else is stored.
func TestBulkRejectsAcrossParallelRuns(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	var history bytes.Buffer
	if _, err := synth.Generate(&history, synth.Options{Seed: 13, Lots: 4700, HubBatches: 100, Prefix: tg}); err != nil {
		t.Fatal(err)
	}
	var lines []string
	var bad []float64
	for i, line := range strings.Split(strings.TrimSpace(history.String()), "\n") {
		if i > 0 && i%700 == 0 {
			lines = append(lines, `{"type": "shipment", "id": "`+tg+`BAD-`+strconv.Itoa(i)+`", "customer": {"id": "`+tg+`C", "location": "X"},
				"shipped_at": "2026-10-08T16:00:00Z", "from": "BAKERY-1", "reference": {"type": "BOL", "number": "1"},
				"lines": [{"lot": "`+tg+`NO-SUCH-LOT", "quantity": 1, "unit": "case"}]}`)
			lines[len(lines)-1] = strings.ReplaceAll(lines[len(lines)-1], "\n", " ")
			bad = append(bad, float64(len(lines)))
		}
		lines = append(lines, line)
	}
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", strings.Join(lines, "\n"))
	answer := decodeObject(t, raw)
	if status != http.StatusOK {
		t.Fatalf("bulk: %d %s", status, raw)
	}
	var rejected []float64
	for _, r := range answer["rejected"].([]any) {
		rejected = append(rejected, r.(map[string]any)["line"].(float64))
	}
	if !slices.Equal(rejected, bad) {
		t.Errorf("rejected lines %v, want %v", rejected, bad)
	}
	if want := float64(len(lines) - len(bad)); answer["accepted"] != want {
		t.Errorf("accepted %v, want %v", answer["accepted"], want)
	}
}
