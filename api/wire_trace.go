package api

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The wire shapes of traces and recalls (../shared/API.md), converted explicitly from the
// domain so that a change there never silently changes the contract.

type traceJSON struct {
	Root      string     `json:"root"`
	Direction string     `json:"direction"`
	Nodes     []nodeJSON `json:"nodes"`
	Edges     []edgeJSON `json:"edges"`
	Lots      []string   `json:"lots"`
	Batches   []string   `json:"batches"`
	Suppliers []string   `json:"suppliers"`
	Customers []string   `json:"customers"`
	Truncated bool       `json:"truncated"`
	CutBy     string     `json:"cut_by,omitempty"` // the bound that cut the walk; absent when whole
	TookMS    float64    `json:"took_ms"`
}

type nodeJSON struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	Key        string         `json:"key"`
	Properties map[string]any `json:"properties"`
}

type edgeJSON struct {
	From       string         `json:"from"`
	To         string         `json:"to"`
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
}

func traceToJSON(t *graph.Trace, took time.Duration) traceJSON {
	out := traceJSON{
		Root: string(t.Root), Direction: string(t.Direction),
		Nodes: make([]nodeJSON, len(t.Nodes)), Edges: make([]edgeJSON, len(t.Edges)),
		Lots: t.Keys(graph.KindLot), Batches: t.Keys(graph.KindBatch),
		Suppliers: t.Keys(graph.KindSupplier), Customers: t.Keys(graph.KindCustomer),
		Truncated: t.Truncated, CutBy: string(t.CutBy), TookMS: millis(took),
	}
	for i, n := range t.Nodes {
		out.Nodes[i] = nodeJSON{ID: string(n.ID), Kind: string(n.Kind), Key: n.Key, Properties: propertiesJSON(n.Properties)}
	}
	for i, e := range t.Edges {
		out.Edges[i] = edgeJSON{From: string(e.From), To: string(e.To), Type: string(e.Type), Properties: propertiesJSON(e.Properties)}
	}
	return out
}

// propertiesJSON converts properties for the wire: times as RFC 3339 in UTC.
func propertiesJSON(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(time.RFC3339Nano)
		}
		out[k] = v
	}
	return out
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type recallJSON struct {
	Lot           string                `json:"lot"`
	SourceBatches []string              `json:"source_batches"`
	Ingredients   recallIngredientsJSON `json:"ingredients"`
	Affected      recallAffectedJSON    `json:"affected"`
	Truncated     bool                  `json:"truncated"`
	CutBy         string                `json:"cut_by,omitempty"`
	TookMS        float64               `json:"took_ms"`
}

type recallIngredientsJSON struct {
	Lots      []string `json:"lots"`
	Batches   []string `json:"batches"`
	Suppliers []string `json:"suppliers"`
}

type recallAffectedJSON struct {
	Lots      []string           `json:"lots"`
	Batches   []string           `json:"batches"`
	Customers []string           `json:"customers"`
	Shipments []shipmentLineJSON `json:"shipments"`
}

type shipmentLineJSON struct {
	ID        string  `json:"id"`
	Line      int     `json:"line"`
	Customer  string  `json:"customer"`
	Lot       string  `json:"lot"`
	Quantity  float64 `json:"quantity"`
	Unit      string  `json:"unit"`
	ShippedAt string  `json:"shipped_at"`
}

func recallToJSON(r *graph.RecallKeys, took time.Duration) recallJSON {
	out := recallJSON{
		Lot:           string(r.Lot),
		SourceBatches: r.SourceBatches,
		Ingredients: recallIngredientsJSON{
			Lots: r.IngredientLots(), Batches: r.Ingredients.Batches, Suppliers: r.Ingredients.Suppliers,
		},
		Affected: recallAffectedJSON{
			Lots: r.Affected.Lots, Batches: r.Affected.Batches, Customers: r.Affected.Customers,
			Shipments: make([]shipmentLineJSON, len(r.Affected.Shipments)),
		},
		Truncated: r.Truncated(),
		CutBy:     string(r.CutBy()),
		TookMS:    millis(took),
	}
	for i, l := range r.Affected.Shipments {
		out.Affected.Shipments[i] = shipmentLineJSON{
			ID: string(l.ID), Line: l.Line, Customer: string(l.Customer.ID), Lot: string(l.Lot),
			Quantity: l.Quantity.Amount, Unit: l.Quantity.Unit, ShippedAt: l.ShippedAt.UTC().Format(time.RFC3339Nano),
		}
	}
	return out
}

// traceSummaryJSON is a trace answered with view=summary: the contract's summary lists,
// without nodes and edges.
type traceSummaryJSON struct {
	Root      string   `json:"root"`
	Direction string   `json:"direction"`
	View      string   `json:"view"`
	Lots      []string `json:"lots"`
	Batches   []string `json:"batches"`
	Suppliers []string `json:"suppliers"`
	Customers []string `json:"customers"`
	Truncated bool     `json:"truncated"`
	CutBy     string   `json:"cut_by,omitempty"`
	TookMS    float64  `json:"took_ms"`
}

func traceSummaryToJSON(root graph.LotCode, dir graph.Direction, r *graph.Reach, took time.Duration) traceSummaryJSON {
	return traceSummaryJSON{Root: string(root), Direction: string(dir), View: "summary",
		Lots: r.Lots, Batches: r.Batches, Suppliers: r.Suppliers, Customers: r.Customers,
		Truncated: r.Truncated, CutBy: string(r.CutBy), TookMS: millis(took)}
}

// compactNodeJSON and compactEdgeJSON are a node and an edge without their properties
// (view=compact, or fields= without properties).
type compactNodeJSON struct {
	ID   string `json:"id"`
	Kind string `json:"kind"`
	Key  string `json:"key"`
}

type compactEdgeJSON struct {
	From string `json:"from"`
	To   string `json:"to"`
	Type string `json:"type"`
}

// traceWriter writes a trace's JSON answer as the store hands it over (it is the store's
// graph.TraceSink): the opening once the keys walk is done, each node and each edge with a
// json.Encoder of its own as its row arrives, then the summary lists, truncated, cut_by and
// took_ms at the end. The fields are in the order of traceJSON; only what the view asks for
// is written. Writes go through a small buffer, so that an error in the first few kilobytes
// can still be answered with a problem document.
type traceWriter struct {
	out    *bufio.Writer
	enc    *json.Encoder
	root   graph.LotCode
	dir    graph.Direction
	view   traceView
	reach  *graph.Reach
	open   string          // the array being written: "nodes", "edges" or ""
	done   map[string]bool // the arrays written
	count  int             // elements written to the open array
	failed error           // the first write or encoding failure
}

func newTraceWriter(w io.Writer, root graph.LotCode, dir graph.Direction, view traceView) *traceWriter {
	out := bufio.NewWriterSize(w, answerBuffer)
	return &traceWriter{out: out, enc: json.NewEncoder(out), root: root, dir: dir, view: view, done: map[string]bool{}}
}

// Reached opens the answer once the walk is known.
func (w *traceWriter) Reached(r *graph.Reach) error {
	w.reach = r
	w.raw(`{"root":`)
	w.value(string(w.root))
	w.raw(`,"direction":`)
	w.value(string(w.dir))
	if w.view.name != "" {
		w.raw(`,"view":`)
		w.value(w.view.name)
	}
	return w.err()
}

// Node writes one node into the nodes array.
func (w *traceWriter) Node(n graph.Node) error {
	w.element("nodes")
	if w.view.fields["properties"] {
		w.value(nodeJSON{ID: string(n.ID), Kind: string(n.Kind), Key: n.Key, Properties: propertiesJSON(n.Properties)})
	} else {
		w.value(compactNodeJSON{ID: string(n.ID), Kind: string(n.Kind), Key: n.Key})
	}
	return w.err()
}

// Edge writes one edge into the edges array, which follows the nodes.
func (w *traceWriter) Edge(e graph.Edge) error {
	w.element("edges")
	if w.view.fields["properties"] {
		w.value(edgeJSON{From: string(e.From), To: string(e.To), Type: string(e.Type), Properties: propertiesJSON(e.Properties)})
	} else {
		w.value(compactEdgeJSON{From: string(e.From), To: string(e.To), Type: string(e.Type)})
	}
	return w.err()
}

// finish closes the arrays, writes the summary lists and the closing fields, and sends what
// the buffer holds.
func (w *traceWriter) finish(took time.Duration) error {
	for _, name := range []string{"nodes", "edges"} {
		if w.view.fields[name] && !w.done[name] {
			w.openArray(name) // no element came: an empty array
		}
	}
	w.closeArray()
	for _, l := range []struct {
		name string
		keys []string
	}{{"lots", w.reach.Lots}, {"batches", w.reach.Batches}, {"suppliers", w.reach.Suppliers}, {"customers", w.reach.Customers}} {
		if w.view.fields[l.name] {
			w.raw(`,"` + l.name + `":`)
			w.value(l.keys)
		}
	}
	w.raw(`,"truncated":`)
	w.value(w.reach.Truncated)
	if w.reach.CutBy != graph.CutNone {
		w.raw(`,"cut_by":`)
		w.value(string(w.reach.CutBy))
	}
	w.raw(`,"took_ms":`)
	w.value(millis(took))
	w.raw("}\n")
	if err := w.err(); err != nil {
		return err
	}
	return w.out.Flush()
}

// element starts the next element of the named array, opening it (and closing the one
// before) when needed.
func (w *traceWriter) element(array string) {
	if w.open != array {
		w.openArray(array)
	}
	if w.count > 0 {
		w.raw(",")
	}
	w.count++
}

func (w *traceWriter) openArray(array string) {
	w.closeArray()
	if !w.view.fields[array] {
		w.fail(fmt.Errorf("trace stream: %s handed over, not asked for", array))
	}
	w.raw(`,"` + array + `":[`)
	w.open, w.count, w.done[array] = array, 0, true
}

func (w *traceWriter) closeArray() {
	if w.open != "" {
		w.raw("]")
		w.open = ""
	}
}

// raw and value write through the buffer; fail and err keep the first failure.
func (w *traceWriter) raw(s string) {
	if _, err := w.out.WriteString(s); err != nil {
		w.fail(err)
	}
}

func (w *traceWriter) value(v any) {
	if err := w.enc.Encode(v); err != nil {
		w.fail(err)
	}
}

func (w *traceWriter) fail(err error) {
	if w.failed == nil {
		w.failed = err
	}
}

func (w *traceWriter) err() error { return w.failed }
