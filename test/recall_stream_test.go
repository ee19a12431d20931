package test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/neo4j"
)

// linesHistory adds to hubHistory(n) `shipments` shipments of `lines` lines each, drawn from
// the hub's finished lots: a recall of the hub whose answer is mostly shipment lines. Every
// fifth shipment leaves at the instant of the one before it, with its id sorting first, so
// that lines shipped at one instant must be put in shipment and line order.
func linesHistory(n, shipments, lines int) string {
	var b strings.Builder
	b.WriteString(hubHistory(n))
	at := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for s := range shipments {
		when := at.Add(time.Duration(s) * time.Minute)
		id := fmt.Sprintf("{T}MSH-%05d", s)
		if s%5 == 1 {
			when, id = when.Add(-time.Minute), fmt.Sprintf("{T}MSA-%05d", s)
		}
		fmt.Fprintf(&b, `{"type": "shipment", "id": "%s", "customer": {"id": "{T}CUST-%02d", "name": "Grocer %02d", "location": "%d Main St"}, "shipped_at": "%s", "from": "BAKERY-1", "reference": {"type": "BOL", "number": "BOL-M%05d"}, "lines": [`,
			id, s%40, s%40, s%40, when.Format(time.RFC3339), s)
		for l := range lines {
			if l > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, `{"lot": "{T}FG-%05d-%s", "quantity": 0.25, "unit": "%s"}`, (s*lines+l)%n, []string{"A", "B"}[l%2], []string{"each", "case"}[l%2])
		}
		b.WriteString("]}\n")
	}
	return b.String()
}

func loadLines(t *testing.T, c *apiClient, n, shipments, lines int) string {
	t.Helper()
	tg := tag(t)
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", tagged(tg, linesHistory(n, shipments, lines)))
	if answer := decodeObject(t, raw); status != http.StatusOK || answer["accepted"] != float64(1+2*n+shipments) {
		t.Fatalf("loading the history: %d %s", status, raw[:min(len(raw), 500)])
	}
	return tg
}

// recallCollector is a graph.RecallSink that keeps what it is handed, as RecallKeys answers it.
type recallCollector struct{ r *graph.RecallKeys }

func (c *recallCollector) Reached(r *graph.RecallKeys) error {
	if len(r.Affected.Shipments) != 0 {
		return fmt.Errorf("Reached with %d shipment lines, want none", len(r.Affected.Shipments))
	}
	c.r = r
	return nil
}

func (c *recallCollector) Shipment(l graph.ShipmentLine) error {
	c.r.Affected.Shipments = append(c.r.Affected.Shipments, l)
	return nil
}

// The streamed recall hands over what RecallKeys (the recall read whole, which the JSON answer
// was built from before) answers: the same keys, cut the same way, and the same shipment lines
// in the same order, also when lines are shipped at one instant; with recallWriter's bytes
// equal to the whole answer's (api's TestRecallWriterWritesTheWholeAnswersBytes), the JSON
// answer is the one it was. Both ways a recall hands its lines over are held to it: in the
// walk's own row (a store that streams only past a million lines) and streamed (one that
// streams past 10).
func TestRecallStreamEqualsRecallKeys(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadLines(t, c, 200, 60, 25)
	bakery := loadBakery(t, c)
	ctx := context.Background()
	stores := map[string]*neo4j.Store{}
	for name, lines := range map[string]int{"in one row": 1 << 20, "streamed": 10} {
		store, err := neo4j.Open(neo4j.Config{URI: shared.db.URI, User: shared.db.User, Password: shared.db.Password,
			RecallLinesInOneRow: lines}, quietLogger())
		if err != nil {
			t.Fatal(err)
		}
		defer store.Close(ctx)
		stores[name] = store
	}
	for _, tt := range []struct {
		lot    string
		bounds graph.Bounds
		store  string
	}{
		{tg + "HUB", graph.Bounds{}, "in one row"}, {tg + "HUB", graph.Bounds{}, "streamed"},
		{tg + "FG-00007-A", graph.Bounds{}, "streamed"}, {tg + "HUB", graph.Bounds{Nodes: 150}, "streamed"},
		{tg + "HUB", graph.Bounds{Depth: 1}, "streamed"}, {tg + "HUB", graph.Bounds{Depth: 1}, "in one row"},
		{bakery + "FG-1", graph.Bounds{}, "in one row"}, {bakery + "FLOUR-A", graph.Bounds{}, "in one row"},
		{bakery + "FLOUR-A", graph.Bounds{}, "streamed"},
	} {
		want, err := sharedStore(t).RecallKeys(ctx, graph.LotCode(tt.lot), tt.bounds)
		if err != nil {
			t.Fatal(err)
		}
		var got recallCollector
		if err := stores[tt.store].StreamRecall(ctx, graph.LotCode(tt.lot), tt.bounds, &got); err != nil {
			t.Fatal(err)
		}
		if got.r != nil && got.r.Affected.Shipments == nil {
			got.r.Affected.Shipments = []graph.ShipmentLine{}
		}
		what := fmt.Sprintf("%s %+v %s", tt.lot, tt.bounds, tt.store)
		if tt.lot == tg+"HUB" && tt.bounds == (graph.Bounds{}) && len(want.Affected.Shipments) != 200+60*25 {
			t.Errorf("%s: %d shipment lines, want %d", what, len(want.Affected.Shipments), 200+60*25)
		}
		if got.r == nil {
			t.Errorf("%s: the sink was handed nothing", what)
			continue
		}
		if gl, wl := got.r.Affected.Shipments, want.Affected.Shipments; !reflect.DeepEqual(gl, wl) {
			i := 0
			for i < min(len(gl), len(wl)) && gl[i] == wl[i] {
				i++
			}
			t.Errorf("%s: %d shipment lines, want %d; first difference at %d", what, len(gl), len(wl), i)
		} else if !reflect.DeepEqual(got.r, want) {
			t.Errorf("%s: streamed %+v %+v %+v\nwant %+v %+v %+v", what, got.r.SourceBatches, *got.r.Ingredients, *got.r.Affected,
				want.SourceBatches, *want.Ingredients, *want.Affected)
		}
	}
	var got recallCollector
	if err := sharedStore(t).StreamRecall(ctx, graph.LotCode(tg+"NO-SUCH-LOT"), graph.Bounds{}, &got); graph.ErrorCode(err) != graph.ENOTFOUND || got.r != nil {
		t.Errorf("unknown lot: %v, sink handed %+v", err, got.r)
	}
}

// A big recall is answered in bounded memory: the hub's recall with 40,000 shipment lines
// answers ~5 MB of JSON while the service's heap grows by a small part of that; reading it
// whole (RecallKeys and the answer marshalled, the old way) grows it by more than the answer.
// Not parallel, so that no other test's allocations are counted.
func TestRecallStreamBigInBoundedMemory(t *testing.T) {
	c := newAPI(t, api.Config{})
	const batches, shipments, lines = 500, 400, 100
	tg := loadLines(t, c, batches, shipments, lines)
	hub := url.PathEscape(tg + "HUB")

	status, raw := c.do(http.MethodGet, "/api/v1/lots/"+hub+"/recall", "", "")
	if status != http.StatusOK {
		t.Fatalf("hub recall: %d %s", status, raw[:min(len(raw), 500)])
	}
	if n := strings.Count(string(raw), `"shipped_at"`); n != batches+shipments*lines {
		t.Fatalf("hub recall: %d shipment lines, want %d", n, batches+shipments*lines)
	}

	stop := heapWatch()
	whole, err := sharedStore(t).RecallKeys(context.Background(), graph.LotCode(tg+"HUB"), graph.Bounds{})
	buffered := stop()
	if err != nil || len(whole.Affected.Shipments) != batches+shipments*lines {
		t.Fatalf("buffered recall: %v", err)
	}
	whole = nil

	stop = heapWatch()
	status, size := c.getCounted("/api/v1/lots/" + hub + "/recall")
	peak := stop()
	t.Logf("recall: %d bytes, peak heap growth %.2f MiB (whole recall read: %.2f MiB)", size, float64(peak)/(1<<20), float64(buffered)/(1<<20))
	if d := size - int64(len(raw)); status != http.StatusOK || d < -16 || d > 16 { // took_ms may differ in length
		t.Fatalf("recall: %d, %d bytes, want %d", status, size, len(raw))
	}
	// What the stream holds is the keys reached (a few thousand here), the walk's row of at
	// most 1,001 lines, one fetch of driver records and the writer's buffer: about 1 MiB here,
	// up to 4 MiB under the race detector on a busy machine. An answer built whole holds at
	// least its own bytes, and reading the recall whole several times more.
	if limit := min(uint64(len(raw)), buffered/4); peak > limit {
		t.Errorf("heap grew by %d bytes while answering, want under %d (answer %d bytes, whole recall read %d)", peak, limit, len(raw), buffered)
	}
}
