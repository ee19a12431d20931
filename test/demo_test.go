package test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/ingest/synth"
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
