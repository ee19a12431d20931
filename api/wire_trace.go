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
	ID         string `json:"id"`
	Kind       string `json:"kind"`
	Key        string `json:"key"`
	Properties any    `json:"properties"` // the *PropsJSON of its kind
}

type edgeJSON struct {
	From       string `json:"from"`
	To         string `json:"to"`
	Type       string `json:"type"`
	Properties any    `json:"properties"` // the *PropsJSON of its type
}

// The properties of nodes and edges. The contract shows them as they are stored: fields in
// alphabetical order, and those stored only when given (null when empty) left out when
// empty; times in RFC 3339, UTC.

type lotPropsJSON struct {
	BatchID     string   `json:"batch_id,omitempty"`
	Code        string   `json:"code"`
	Description string   `json:"description,omitempty"`
	ExpiresAt   string   `json:"expires_at,omitempty"`
	HeldBy      []string `json:"held_by,omitempty"` // the recall cases holding the lot
	Location    string   `json:"location"`
	Origin      string   `json:"origin"`
	OriginAt    string   `json:"origin_at"`
	Product     string   `json:"product"`
	Quantity    float64  `json:"quantity"`
	SupplierLot string   `json:"supplier_lot,omitempty"`
	TLCSource   string   `json:"tlc_source"`
	Unit        string   `json:"unit"`
}

type batchPropsJSON struct {
	ID         string `json:"id"`
	Line       string `json:"line,omitempty"`
	Location   string `json:"location"`
	ProducedAt string `json:"produced_at"`
	RefNumber  string `json:"ref_number"`
	RefType    string `json:"ref_type"`
	TLCSource  string `json:"tlc_source"`
}

type supplierPropsJSON struct {
	ID       string `json:"id"`
	Location string `json:"location,omitempty"`
	Name     string `json:"name,omitempty"`
}

type customerPropsJSON struct {
	Contact  string `json:"contact,omitempty"`
	ID       string `json:"id"`
	Location string `json:"location,omitempty"`
	Name     string `json:"name,omitempty"`
}

type receivedPropsJSON struct {
	Location         string  `json:"location"`
	Quantity         float64 `json:"quantity"`
	ReceivedAt       string  `json:"received_at"`
	RefNumber        string  `json:"ref_number"`
	RefType          string  `json:"ref_type"`
	SupplierLocation string  `json:"supplier_location"`
	SupplierName     string  `json:"supplier_name,omitempty"`
	Unit             string  `json:"unit"`
}

// usePropsJSON is a CONSUMED_IN or PRODUCED line.
type usePropsJSON struct {
	Line     int     `json:"line"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
}

type shippedPropsJSON struct {
	CustomerLocation string  `json:"customer_location"`
	CustomerName     string  `json:"customer_name,omitempty"`
	From             string  `json:"from"`
	Line             int     `json:"line"`
	Quantity         float64 `json:"quantity"`
	RefNumber        string  `json:"ref_number"`
	RefType          string  `json:"ref_type"`
	ShipmentID       string  `json:"shipment_id"`
	ShippedAt        string  `json:"shipped_at"`
	Unit             string  `json:"unit"`
}

// noPropsJSON is the properties of a node or edge that carries no part: none.
type noPropsJSON struct{}

func traceNodeToJSON(n graph.Node) nodeJSON {
	out := nodeJSON{ID: string(n.ID), Kind: string(n.Kind), Key: n.Key, Properties: noPropsJSON{}}
	switch {
	case n.Lot != nil:
		l := n.Lot
		out.Properties = lotPropsJSON{BatchID: string(l.BatchID), Code: string(l.Code), Description: l.Description, ExpiresAt: l.ExpiresAt,
			Location: l.Location, Origin: string(l.Origin), OriginAt: timeJSON(l.OriginAt), Product: l.Product,
			Quantity: l.Quantity.Amount, SupplierLot: l.SupplierLot, TLCSource: l.TLCSource, Unit: l.Quantity.Unit, HeldBy: l.HeldBy}
	case n.Batch != nil:
		b := n.Batch
		out.Properties = batchPropsJSON{ID: string(b.ID), Line: b.Line, Location: b.Location, ProducedAt: timeJSON(b.ProducedAt),
			RefNumber: b.Reference.Number, RefType: b.Reference.Type, TLCSource: b.TLCSource}
	case n.Supplier != nil:
		out.Properties = supplierPropsJSON{ID: string(n.Supplier.ID), Location: n.Supplier.Location, Name: n.Supplier.Name}
	case n.Customer != nil:
		c := n.Customer
		out.Properties = customerPropsJSON{Contact: c.Contact, ID: string(c.ID), Location: c.Location, Name: c.Name}
	}
	return out
}

func traceEdgeToJSON(e graph.Edge) edgeJSON {
	out := edgeJSON{From: string(e.From), To: string(e.To), Type: string(e.Type), Properties: noPropsJSON{}}
	switch {
	case e.Receiving != nil:
		r := e.Receiving
		out.Properties = receivedPropsJSON{Location: r.Location, Quantity: r.Quantity.Amount, ReceivedAt: timeJSON(r.ReceivedAt),
			RefNumber: r.Reference.Number, RefType: r.Reference.Type, SupplierLocation: r.Supplier.Location, SupplierName: r.Supplier.Name,
			Unit: r.Quantity.Unit}
	case e.Use != nil:
		out.Properties = usePropsJSON{Line: e.Use.Line, Quantity: e.Use.Quantity.Amount, Unit: e.Use.Quantity.Unit}
	case e.Shipment != nil:
		l := e.Shipment
		out.Properties = shippedPropsJSON{CustomerLocation: l.Customer.Location, CustomerName: l.Customer.Name, From: l.From, Line: l.Line,
			Quantity: l.Quantity.Amount, RefNumber: l.Reference.Number, RefType: l.Reference.Type, ShipmentID: string(l.ID),
			ShippedAt: timeJSON(l.ShippedAt), Unit: l.Quantity.Unit}
	}
	return out
}

// timeJSON is a stored time on the wire.
func timeJSON(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

func traceToJSON(t *graph.Trace, took time.Duration) traceJSON {
	out := traceJSON{
		Root: string(t.Root), Direction: string(t.Direction),
		Nodes: make([]nodeJSON, len(t.Nodes)), Edges: make([]edgeJSON, len(t.Edges)),
		Lots: t.Keys(graph.KindLot), Batches: t.Keys(graph.KindBatch),
		Suppliers: t.Keys(graph.KindSupplier), Customers: t.Keys(graph.KindCustomer),
		Truncated: t.Truncated, CutBy: string(t.CutBy), TookMS: millis(took),
	}
	for i, n := range t.Nodes {
		out.Nodes[i] = traceNodeToJSON(n)
	}
	for i, e := range t.Edges {
		out.Edges[i] = traceEdgeToJSON(e)
	}
	return out
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// A recall's JSON answer is written by recallWriter, field by field, in this order (the
// order a struct of these fields marshals in, which the writer's test holds it to):
// lot, source_batches, ingredients (recallIngredientsJSON), affected {lots, batches,
// customers, shipments (shipmentLineJSON each)}, truncated, cut_by (only when cut), took_ms.

type recallIngredientsJSON struct {
	Lots      []string `json:"lots"`
	Batches   []string `json:"batches"`
	Suppliers []string `json:"suppliers"`
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

// recallWriter writes a recall's JSON answer as the store hands it over (it is the store's
// graph.RecallSink): everything but the shipment lines once the walks are done, each
// shipment line as its row arrives, then truncated, cut_by and took_ms. Each value is
// marshalled as encoding/json marshals it inside the whole answer, so the bytes are those of
// the answer built whole. Writes go through a small buffer, so that an error in the first
// few kilobytes can still be answered with a problem document.
type recallWriter struct {
	out    *bufio.Writer
	keys   *graph.RecallKeys
	count  int   // shipment lines written
	failed error // the first write or encoding failure
}

func newRecallWriter(w io.Writer) *recallWriter {
	return &recallWriter{out: bufio.NewWriterSize(w, answerBuffer)}
}

// Reached writes the answer up to the first shipment line.
func (w *recallWriter) Reached(r *graph.RecallKeys) error {
	w.keys = r
	w.raw(`{"lot":`)
	w.value(string(r.Lot))
	w.raw(`,"source_batches":`)
	w.value(r.SourceBatches)
	w.raw(`,"ingredients":`)
	w.value(recallIngredientsJSON{Lots: r.IngredientLots(), Batches: r.Ingredients.Batches, Suppliers: r.Ingredients.Suppliers})
	w.raw(`,"affected":{"lots":`)
	w.value(r.Affected.Lots)
	w.raw(`,"batches":`)
	w.value(r.Affected.Batches)
	w.raw(`,"customers":`)
	w.value(r.Affected.Customers)
	w.raw(`,"shipments":[`)
	return w.failed
}

// Shipment writes one shipment line into affected.shipments.
func (w *recallWriter) Shipment(l graph.ShipmentLine) error {
	if w.count > 0 {
		w.raw(",")
	}
	w.count++
	w.value(shipmentLineToJSON(l))
	return w.failed
}

// finish closes the shipment lines and affected, writes the closing fields, and sends what
// the buffer holds.
func (w *recallWriter) finish(took time.Duration) error {
	w.raw(`]},"truncated":`)
	w.value(w.keys.Truncated())
	if cut := w.keys.CutBy(); cut != graph.CutNone {
		w.raw(`,"cut_by":`)
		w.value(string(cut))
	}
	w.raw(`,"took_ms":`)
	w.value(millis(took))
	w.raw("}")
	if w.failed != nil {
		return w.failed
	}
	return w.out.Flush()
}

func (w *recallWriter) raw(s string) {
	if _, err := w.out.WriteString(s); err != nil && w.failed == nil {
		w.failed = err
	}
}

// value writes v as json.Marshal does (no newline after it, unlike a json.Encoder).
func (w *recallWriter) value(v any) {
	b, err := json.Marshal(v)
	if err == nil {
		_, err = w.out.Write(b)
	}
	if err != nil && w.failed == nil {
		w.failed = err
	}
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
		w.value(traceNodeToJSON(n))
	} else {
		w.value(compactNodeJSON{ID: string(n.ID), Kind: string(n.Kind), Key: n.Key})
	}
	return w.err()
}

// Edge writes one edge into the edges array, which follows the nodes.
func (w *traceWriter) Edge(e graph.Edge) error {
	w.element("edges")
	if w.view.fields["properties"] {
		w.value(traceEdgeToJSON(e))
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
