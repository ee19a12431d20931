package test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
)

// bufferedTraceJSON is the trace answer as the service built it before it streamed: the
// whole graph.Trace (Store.Trace) turned into the wire shape at once. The streamed answer
// must say the same, as parsed JSON.
func bufferedTraceJSON(t *testing.T, code string, dir graph.Direction) map[string]any {
	t.Helper()
	tr, err := sharedStore(t).Trace(context.Background(), graph.LotCode(code), dir, graph.Bounds{})
	if err != nil {
		t.Fatal(err)
	}
	nodes, edges := []any{}, []any{}
	for _, n := range tr.Nodes {
		nodes = append(nodes, map[string]any{"id": n.ID, "kind": n.Kind, "key": n.Key, "properties": nodeProperties(n)})
	}
	for _, e := range tr.Edges {
		edges = append(edges, map[string]any{"from": e.From, "to": e.To, "type": e.Type, "properties": edgeProperties(e)})
	}
	doc := map[string]any{"root": tr.Root, "direction": tr.Direction, "nodes": nodes, "edges": edges,
		"lots": tr.Keys(graph.KindLot), "batches": tr.Keys(graph.KindBatch), "suppliers": tr.Keys(graph.KindSupplier),
		"customers": tr.Keys(graph.KindCustomer), "truncated": tr.Truncated}
	if tr.CutBy != graph.CutNone {
		doc["cut_by"] = tr.CutBy
	}
	raw, _ := json.Marshal(doc)
	var v map[string]any
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// nodeProperties and edgeProperties are a node's or an edge's properties as the contract
// shows them: as stored, what is stored only when given left out when empty, times in RFC 3339.
func nodeProperties(n graph.Node) map[string]any {
	switch {
	case n.Lot != nil:
		l := n.Lot
		return given(map[string]any{"code": l.Code, "product": l.Product, "quantity": l.Quantity.Amount, "unit": l.Quantity.Unit,
			"origin": l.Origin, "origin_at": wireTime(l.OriginAt), "location": l.Location, "tlc_source": l.TLCSource},
			map[string]string{"description": l.Description, "supplier_lot": l.SupplierLot, "expires_at": l.ExpiresAt, "batch_id": string(l.BatchID)})
	case n.Batch != nil:
		b := n.Batch
		return given(map[string]any{"id": b.ID, "produced_at": wireTime(b.ProducedAt), "location": b.Location, "tlc_source": b.TLCSource,
			"ref_type": b.Reference.Type, "ref_number": b.Reference.Number}, map[string]string{"line": b.Line})
	case n.Supplier != nil:
		return given(map[string]any{"id": n.Supplier.ID}, map[string]string{"name": n.Supplier.Name, "location": n.Supplier.Location})
	case n.Customer != nil:
		c := n.Customer
		return given(map[string]any{"id": c.ID}, map[string]string{"name": c.Name, "location": c.Location, "contact": c.Contact})
	}
	return map[string]any{}
}

func edgeProperties(e graph.Edge) map[string]any {
	switch {
	case e.Receiving != nil:
		r := e.Receiving
		return given(map[string]any{"received_at": wireTime(r.ReceivedAt), "location": r.Location, "quantity": r.Quantity.Amount,
			"unit": r.Quantity.Unit, "supplier_location": r.Supplier.Location, "ref_type": r.Reference.Type, "ref_number": r.Reference.Number},
			map[string]string{"supplier_name": r.Supplier.Name})
	case e.Use != nil:
		return map[string]any{"line": e.Use.Line, "quantity": e.Use.Quantity.Amount, "unit": e.Use.Quantity.Unit}
	case e.Shipment != nil:
		l := e.Shipment
		return given(map[string]any{"shipment_id": l.ID, "line": l.Line, "shipped_at": wireTime(l.ShippedAt), "from": l.From,
			"quantity": l.Quantity.Amount, "unit": l.Quantity.Unit, "customer_location": l.Customer.Location,
			"ref_type": l.Reference.Type, "ref_number": l.Reference.Number}, map[string]string{"customer_name": l.Customer.Name})
	}
	return map[string]any{}
}

// given adds to always the optional properties that are not empty.
func given(always map[string]any, optional map[string]string) map[string]any {
	for k, v := range optional {
		if v != "" {
			always[k] = v
		}
	}
	return always
}

func wireTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// The streamed answer holds what the buffered one held, node for node and edge for edge in
// the same order, for every lot of the bakery in every direction.
func TestTraceStreamEqualsBuffered(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	for _, lot := range []string{"FLOUR-A", "SALT-A", "CHIPS-A", "DOUGH-1", "FG-1", "FG-2", "FG-3", "FLOUR-Z", "DOUGH-Z"} {
		for _, dir := range []graph.Direction{graph.Backward, graph.Forward, graph.Both} {
			status, raw, _ := c.trace(tg+lot, "direction="+string(dir))
			if status != http.StatusOK {
				t.Fatalf("%s %s: %d %s", lot, dir, status, raw)
			}
			got := decodeObject(t, raw)
			delete(got, "took_ms")
			want := bufferedTraceJSON(t, tg+lot, dir)
			if g, w := mustJSON(t, got), mustJSON(t, want); g != w {
				t.Errorf("%s %s: streamed answer\n%s\nwant the buffered one\n%s", lot, dir, g, w)
			}
		}
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// keysOf lists an object's keys, sorted.
func keysOf(m map[string]any) []string { return slices.Sorted(maps.Keys(m)) }

// view=compact and fields= answer with exactly the parts asked for, and those parts say what
// the full answer says.
func TestTraceCompactAndFields(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	_, fullRaw, _ := c.trace(tg+"FG-2", "direction=both")
	full := decodeObject(t, fullRaw)
	// strip gives the full answer's nodes or edges without properties.
	strip := func(list any) []any {
		out := []any{}
		for _, x := range list.([]any) {
			m := maps.Clone(x.(map[string]any))
			delete(m, "properties")
			out = append(out, m)
		}
		return out
	}
	always := []string{"root", "direction", "truncated", "took_ms"}
	for _, tt := range []struct {
		query string
		keys  []string // besides always
		props bool     // nodes and edges with properties
	}{
		{"view=compact", []string{"view", "nodes", "edges", "lots", "batches", "suppliers", "customers"}, false},
		{"fields=nodes,edges", []string{"nodes", "edges"}, false},
		{"fields=edges,properties", []string{"edges"}, true},
		{"fields=nodes&fields=properties&fields=customers", []string{"nodes", "customers"}, true},
		{"fields=lots,suppliers", []string{"lots", "suppliers"}, false},
		{"fields=nodes,edges,lots,batches,suppliers,customers,properties", []string{"nodes", "edges", "lots", "batches", "suppliers", "customers"}, true},
	} {
		status, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"FG-2/trace?direction=both&"+tt.query, "", "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.query, status, raw)
		}
		got := decodeObject(t, raw)
		want := append(slices.Clone(always), tt.keys...)
		sort.Strings(want)
		if !slices.Equal(keysOf(got), want) {
			t.Errorf("%s: answer holds %v, want %v", tt.query, keysOf(got), want)
		}
		for _, part := range tt.keys {
			switch part {
			case "view":
				if got["view"] != "compact" {
					t.Errorf("%s: view %v", tt.query, got["view"])
				}
			case "nodes", "edges":
				expect := full[part]
				if !tt.props {
					expect = strip(expect)
				}
				if mustJSON(t, got[part]) != mustJSON(t, expect) {
					t.Errorf("%s: %s\n%s\nwant\n%s", tt.query, part, mustJSON(t, got[part]), mustJSON(t, expect))
				}
				for _, x := range got[part].([]any) {
					if _, has := x.(map[string]any)["properties"]; has != tt.props {
						t.Errorf("%s: %s element %v: properties present %v, want %v", tt.query, part, x, has, tt.props)
						break
					}
				}
			default:
				if mustJSON(t, got[part]) != mustJSON(t, full[part]) {
					t.Errorf("%s: %s %v, want %v", tt.query, part, got[part], full[part])
				}
			}
		}
	}
	for _, tt := range []struct{ query, field string }{
		{"fields=nodes,colour", "fields"},
		{"fields=", "fields"},
		{"fields=properties", "fields"},
		{"view=summary&fields=nodes", "fields"},
		{"view=compact&fields=nodes", "fields"},
		{"view=tiny", "view"},
		{"view=compact&format=csv", "view"},
		{"fields=nodes&format=xlsx", "fields"},
	} {
		status, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"FG-2/trace?"+tt.query, "", "")
		if status != http.StatusBadRequest || !slices.Contains(problemFields(decodeObject(t, raw)), tt.field) {
			t.Errorf("%s: %d %s, want 400 naming %s", tt.query, status, raw, tt.field)
		}
	}
	if status, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"NOPE/trace?view=compact", "", ""); status != http.StatusNotFound {
		t.Errorf("unknown lot, compact: %d %s, want 404", status, raw)
	}
}

// hubHistory is a lot consumed by n batches, each making two lots, one of which is shipped to
// one of 40 customers: a forward trace of 3n+1 lots and batches.
func hubHistory(n int) string {
	var b strings.Builder
	b.WriteString(`{"type": "receipt", "lot": {"code": "{T}HUB", "product": "SALT", "description": "Fine salt", "quantity": 1000000, "unit": "kg", "supplier_lot": "S-HUB", "expires_at": "2030-12-31"}, "supplier": {"id": "{T}SUP-SALT", "name": "Salt Works", "location": "Goderich, ON"}, "received_at": "2026-01-01T03:00:00Z", "location": "BAKERY-1", "reference": {"type": "PO", "number": "PO-HUB"}}` + "\n")
	at := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	for i := range n {
		when := at.Add(time.Duration(i) * time.Hour).Format(time.RFC3339)
		fmt.Fprintf(&b, `{"type": "production", "batch": {"id": "{T}B-%05d", "line": "L%d"}, "produced_at": "%s", "location": "BAKERY-1", "inputs": [{"lot": "{T}HUB", "quantity": 2.5, "unit": "kg"}], "outputs": [{"code": "{T}FG-%05d-A", "product": "BREAD-WHITE", "description": "White sandwich loaf", "quantity": 120, "unit": "each", "expires_at": "2026-03-01"}, {"code": "{T}FG-%05d-B", "product": "BREAD-ROLL", "description": "Dinner rolls 12-pack", "quantity": 40, "unit": "case"}]}`+"\n", i, i%4+1, when, i, i)
		fmt.Fprintf(&b, `{"type": "shipment", "id": "{T}SH-%05d", "customer": {"id": "{T}CUST-%02d", "name": "Grocer %02d", "location": "%d Main St"}, "shipped_at": "%s", "from": "BAKERY-1", "reference": {"type": "BOL", "number": "BOL-%05d"}, "lines": [{"lot": "{T}FG-%05d-A", "quantity": 100, "unit": "each"}]}`+"\n", i, i%40, i%40, i%40, at.Add(time.Duration(i)*time.Hour+30*time.Minute).Format(time.RFC3339), i, i)
	}
	return b.String()
}

// loadHub stores hubHistory(n) under a fresh tag and returns the tag.
func loadHub(t *testing.T, c *apiClient, n int) string {
	t.Helper()
	tg := tag(t)
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", tagged(tg, hubHistory(n)))
	if answer := decodeObject(t, raw); status != http.StatusOK || answer["accepted"] != float64(1+2*n) {
		t.Fatalf("loading the hub: %d %s", status, raw[:min(len(raw), 500)])
	}
	return tg
}

// heapWatch samples the live heap (as the last collection marked it) every millisecond, with
// the collector made eager (GOGC=5, a collection every few hundred kilobytes) so that the
// samples follow the live heap closely, and returns its largest growth over the start.
func heapWatch() (stop func() uint64) {
	old := debug.SetGCPercent(5)
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if v := read(); v > base {
				peak = max(peak, v-base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); debug.SetGCPercent(old); return peak }
}

// countingReader counts and drops what it reads: the client holds none of the answer.
func (c *apiClient) getCounted(path string) (int, int64) {
	c.t.Helper()
	res, err := http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	n, err := io.Copy(io.Discard, res.Body)
	if err != nil {
		c.t.Fatalf("%s: %v after %d bytes", path, err, n)
	}
	return res.StatusCode, n
}

// A big trace is answered in bounded memory: the hub lot of 2,000 batches answers ~4 MB of JSON
// and a CSV of ~8,000 rows, while the service's heap grows by a small part of that; building
// the same trace whole (Store.Trace, the old way) grows it by several times the answer. Not
// parallel, so that no other test's allocations are counted.
func TestTraceStreamBigHubInBoundedMemory(t *testing.T) {
	c := newAPI(t, api.Config{})
	const batches = 2000
	tg := loadHub(t, c, batches)
	hub := url.PathEscape(tg + "HUB")

	// The whole answer, read and parsed once, for its size and shape.
	status, raw, tr := c.trace(tg+"HUB", "direction=forward")
	if status != http.StatusOK {
		t.Fatalf("hub trace: %d %s", status, raw[:min(len(raw), 500)])
	}
	if len(tr.Batches) != batches || len(tr.Lots) != 2*batches+1 || len(tr.Customers) != 40 || len(tr.Edges) != 4*batches {
		t.Fatalf("hub trace: %d batches, %d lots, %d customers, %d edges", len(tr.Batches), len(tr.Lots), len(tr.Customers), len(tr.Edges))
	}

	stop := heapWatch()
	trace, err := sharedStore(t).Trace(context.Background(), graph.LotCode(tg+"HUB"), graph.Forward, graph.Bounds{})
	buffered := stop()
	if err != nil || len(trace.Nodes) != len(tr.Nodes) {
		t.Fatalf("buffered trace: %v", err)
	}
	trace = nil

	for _, q := range []string{"direction=forward", "direction=forward&view=compact", "direction=forward&format=csv", "direction=forward&format=xlsx"} {
		stop := heapWatch()
		status, size := c.getCounted("/api/v1/lots/" + hub + "/trace?" + q)
		peak := stop()
		t.Logf("%s: %d bytes, peak heap growth %.2f MiB (whole trace in memory: %.2f MiB)", q, size, float64(peak)/(1<<20), float64(buffered)/(1<<20))
		if status != http.StatusOK {
			t.Fatalf("%s: %d", q, status)
		}
		// Below the answer and far below the buffered trace: what the stream holds is the keys
		// reached, one batch of driver records and the writers' buffers (about half the answer
		// here, more under the race detector on a busy machine; an answer built whole would
		// hold at least its own bytes). An XLSX also holds up to 16 MiB of its sheet's XML
		// (excelize's share in memory, in a buffer that grows by doubling), whatever its size:
		// flat, not small.
		limit := min(uint64(len(raw)), buffered/4)
		if strings.HasSuffix(q, "xlsx") {
			limit = 34 << 20
		}
		if peak > limit {
			t.Errorf("%s: heap grew by %d bytes while answering, want under %d (answer %d bytes, whole trace %d)", q, peak, limit, len(raw), buffered)
		}
	}
}

// The streamed spreadsheet of a big trace holds the rows the buffered one did (KDERows over
// Store.Trace and Store.BatchLines), in the same order, and the XLSX the same cells as the CSV.
func TestExportStreamBigHubEqualsBuffered(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	const batches = 300
	tg := loadHub(t, c, batches)
	ctx := context.Background()
	for _, tt := range []struct {
		lot string
		dir graph.Direction
	}{{"HUB", graph.Forward}, {"FG-00007-A", graph.Both}, {"FG-00123-B", graph.Backward}} {
		trace, err := sharedStore(t).Trace(ctx, graph.LotCode(tg+tt.lot), tt.dir, graph.Bounds{})
		if err != nil {
			t.Fatal(err)
		}
		lines, err := sharedStore(t).BatchLines(ctx, graph.BatchIDs(trace))
		if err != nil {
			t.Fatal(err)
		}
		var want [][]string
		for _, r := range graph.KDERows(lines, trace) {
			want = append(want, []string{string(r.CTE), string(r.Role), r.EventID, lineCell(r.Line), string(r.Lot), r.Product,
				strconv.FormatFloat(r.Quantity.Amount, 'f', -1, 64), r.Quantity.Unit, r.Date.UTC().Format("2006-01-02 15:04:05"),
				r.Recipient.ID, yesNoCell(!r.OutsideTrace)})
		}
		path := "/api/v1/lots/" + url.PathEscape(tg+tt.lot) + "/trace?direction=" + string(tt.dir) + "&format="
		fromCSV := csvCells(t, c.get(path+"csv", ""))
		_, fromXLSX := xlsxCells(t, c.get(path+"xlsx", ""), "FSMA 204 records")
		if mustJSON(t, fromCSV) != mustJSON(t, fromXLSX) {
			t.Errorf("%s %s: the XLSX cells differ from the CSV's", tt.lot, tt.dir)
		}
		col := func(h string) int { return slices.Index(kdeHeaders, h) }
		var got [][]string
		for _, r := range fromCSV[1:] {
			got = append(got, []string{r[col("Event type (CTE)")], r[col("Transformation role")], r[col("Event ID")], r[col("Line")],
				r[col("Traceability lot code (TLC)")], r[col("Product")], r[col("Quantity")], r[col("Unit of measure")],
				r[col("Event date (UTC)")], r[col("Immediate subsequent recipient ID")], r[col("In trace")]})
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Fatalf("%s %s: %d rows, want %d", tt.lot, tt.dir, len(got), len(want))
		}
		for i := range got {
			if !slices.Equal(got[i], want[i]) {
				t.Fatalf("%s %s row %d: %q, want %q", tt.lot, tt.dir, i+1, got[i], want[i])
			}
		}
	}
}

func lineCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func yesNoCell(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
