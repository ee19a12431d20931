package graph

import "slices"

// Reach is what a walk from some lots reaches, by key, without properties: the answer to
// "which lots, batches, suppliers and customers", cheap even for a hub ingredient whose
// forward trace holds tens of thousands of nodes.
type Reach struct {
	Lots, Batches, Suppliers, Customers []string // sorted
	Shipments                           []ShipmentLine
	// Truncated says a bound cut the walk short: a node reached has a neighbour that was not.
	// CutBy names the bound ("" when whole).
	Truncated bool
	CutBy     Cut
}

// Size is the number of lots, batches, suppliers and customers reached.
func (r *Reach) Size() int {
	return len(r.Lots) + len(r.Batches) + len(r.Suppliers) + len(r.Customers)
}

// TraceParts says which parts of a trace StreamTrace reads. The summary lists come with every
// stream: the keys walk that finds them is also what says which nodes and edges belong.
type TraceParts struct {
	Nodes, Edges bool
	// Properties: nodes and edges with their typed parts (graph/parts.go). Without them a node
	// is its id, kind and key and an edge its ends and type, and nodes cost no read at all.
	Properties bool
}

// TraceSink takes a trace as StreamTrace reads it: Reached once, before anything else, then
// every node in id order, then every edge in (from, to, type) order, the order of Trace.Nodes
// and Trace.Edges. An error from the sink ends the stream and is returned as it is.
type TraceSink interface {
	Reached(r *Reach) error
	Node(n Node) error
	Edge(e Edge) error
}

// TraceReach is what the keys walks of a trace reached: the union, which is the answer's
// summary, and each direction apart, because a receipt belongs to a trace when its lot was
// reached backward and a shipment line when its lot was reached forward.
type TraceReach struct {
	*Reach
	Back, Fwd *Reach // nil for a direction not walked
}

// Joins is whether a lot–batch edge belongs to the trace: both its ends were reached by one
// walk. (In a trace both ways, an edge from a lot only the backward walk reached to a batch
// only the forward walk reached is in neither trace, so not in their union.)
func (t *TraceReach) Joins(lot, batch string) bool {
	for _, w := range []*Reach{t.Back, t.Fwd} {
		if w != nil && contains(w.Lots, lot) && contains(w.Batches, batch) {
			return true
		}
	}
	return false
}

// Receipted is whether the lot's receipt belongs to the trace.
func (t *TraceReach) Receipted(lot string) bool { return t.Back != nil && contains(t.Back.Lots, lot) }

// Shipped is whether the lot's shipment lines belong to the trace.
func (t *TraceReach) Shipped(lot string) bool { return t.Fwd != nil && contains(t.Fwd.Lots, lot) }

// contains reports whether the sorted list holds s.
func contains(sorted []string, s string) bool {
	_, ok := slices.BinarySearch(sorted, s)
	return ok
}

// UnionReach is what either walk reached; nil walks are skipped.
func UnionReach(walks ...*Reach) *Reach {
	u := &Reach{Lots: []string{}, Batches: []string{}, Suppliers: []string{}, Customers: []string{}, Shipments: []ShipmentLine{}}
	for _, w := range walks {
		if w == nil {
			continue
		}
		u.Lots, u.Batches = mergeSorted(u.Lots, w.Lots), mergeSorted(u.Batches, w.Batches)
		u.Suppliers, u.Customers = mergeSorted(u.Suppliers, w.Suppliers), mergeSorted(u.Customers, w.Customers)
		u.Shipments = append(u.Shipments, w.Shipments...)
		u.Truncated = u.Truncated || w.Truncated
		u.CutBy = u.CutBy.Worse(w.CutBy)
	}
	return u
}

// mergeSorted merges two sorted lists of distinct keys into one, each key once.
func mergeSorted(a, b []string) []string {
	if len(a) == 0 {
		return b
	}
	if len(b) == 0 {
		return a
	}
	out := make([]string, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			out = append(out, a[i])
			i++
		case a[i] > b[j]:
			out = append(out, b[j])
			j++
		default:
			out = append(out, a[i])
			i, j = i+1, j+1
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// KDEScope says which event lines the FSMA 204 spreadsheet of a trace or recall holds: the
// rows KDERows would make of its traces, chosen by key so that the store can stream them.
type KDEScope struct {
	Received []string // lots reached backward: their receipts
	Batches  []string // batches reached: every input and output line
	Shipped  []string // lots reached forward: their shipment lines
	// Lots is every lot of the trace or recall, sorted: a batch line of any other lot is a row
	// marked OutsideTrace.
	Lots      []string
	Truncated bool // a bound cut a walk short
	CutBy     Cut  // which one
	Size      int  // the lots, batches, suppliers and customers the walks reached
}

// KDEScope is the spreadsheet scope of the trace.
func (t *TraceReach) KDEScope() KDEScope {
	sc := KDEScope{Lots: t.Lots, Batches: t.Batches, Truncated: t.Truncated, CutBy: t.CutBy, Size: t.Size()}
	if t.Back != nil {
		sc.Received = t.Back.Lots
	}
	if t.Fwd != nil {
		sc.Shipped = t.Fwd.Lots
	}
	return sc
}

// NewRecallScope is the spreadsheet scope of a recall whose walks started from src: the
// receipts of every ingredient lot (the inputs of the source batches, and what is behind
// them), the lines of every batch on either side and of the source batches, the shipment
// lines of every lot affected; for a received lot, its own receipt and its forward trace.
func NewRecallScope(src RecallSources, ingredients, affected *Reach) *KDEScope {
	received := mergeSorted(ingredients.Lots, src.Inputs)
	return &KDEScope{
		Received:  received,
		Batches:   mergeSorted(mergeSorted(ingredients.Batches, affected.Batches), src.Batches),
		Shipped:   affected.Lots,
		Lots:      mergeSorted(mergeSorted(received, affected.Lots), src.Outputs),
		Truncated: ingredients.Truncated || affected.Truncated,
		CutBy:     ingredients.CutBy.Worse(affected.CutBy),
		Size:      ingredients.Size() + affected.Size(),
	}
}
