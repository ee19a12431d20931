package graph

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// TraceParts says which parts of a trace StreamTrace reads. The summary lists come with every
// stream: the keys walk that finds them is also what says which nodes and edges belong.
type TraceParts struct {
	Nodes, Edges bool
	// Properties: nodes and edges with their stored properties. Without them a node is its id,
	// kind and key and an edge its ends and type, and nodes cost no read at all.
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

// received is whether the lot's receipt belongs to the trace.
func (t *TraceReach) received(lot string) bool { return t.Back != nil && contains(t.Back.Lots, lot) }

// shipped is whether the lot's shipment lines belong to the trace.
func (t *TraceReach) shipped(lot string) bool { return t.Fwd != nil && contains(t.Fwd.Lots, lot) }

// contains reports whether the sorted list holds s.
func contains(sorted []string, s string) bool {
	_, ok := slices.BinarySearch(sorted, s)
	return ok
}

// errStreamStarted stops the driver from running a streaming transaction again after a
// transient failure: what the first attempt handed over cannot be taken back. It is no driver
// error, so the driver does not retry it.
var errStreamStarted = &Error{Code: EUNAVAILABLE, Message: "database failed while the answer was being sent"}

// streamGuard tells a streaming transaction's first attempt from a retry after it has handed
// something over.
type streamGuard struct{ started bool }

// retry returns errStreamStarted when the work is being run again after it handed rows over.
func (g *streamGuard) retry() error {
	if g.started {
		return errStreamStarted
	}
	return nil
}

// StreamTrace walks a lot's genealogy like Trace and hands the trace to sink as it reads it, so
// that an answer of tens of thousands of nodes is never held whole: first the keys walk
// (trace_*_keys, which says what the walk reached and whether a bound cut it), then the nodes
// (trace_nodes) and the edges (trace_edges) read by those keys in id order, each passed on as
// its row arrives. An unknown lot is ENOTFOUND before the sink hears anything. The driver
// retries a transient failure only until the sink has been handed something.
func (s *Store) StreamTrace(ctx context.Context, code LotCode, dir Direction, bounds Bounds, parts TraceParts, sink TraceSink) error {
	if err := bounds.Validate(); err != nil {
		return fmt.Errorf("graph.StreamTrace %s: %w", code, err)
	}
	guard := &streamGuard{}
	_, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if err := guard.retry(); err != nil {
			return nil, err
		}
		tr, err := walkTraceKeys(ctx, tx, code, dir, bounds)
		if err != nil {
			return nil, err
		}
		guard.started = true
		if err := sink.Reached(tr.Reach); err != nil {
			return nil, sinkError{err}
		}
		if parts.Nodes {
			if err := streamNodes(ctx, tx, tr.Reach, parts.Properties, sink); err != nil {
				return nil, err
			}
		}
		if parts.Edges {
			if err := streamEdges(ctx, tx, tr, parts.Properties, sink); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	var se sinkError
	if errors.As(err, &se) {
		return se.err
	}
	if err != nil {
		return classify(fmt.Sprintf("graph.StreamTrace %s", code), err)
	}
	return nil
}

// sinkError carries an error of the sink (the client went away) through the transaction
// unchanged: it is the caller's, not the database's.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }

// TraceReach walks a lot's genealogy by key, like TraceKeys, keeping each direction apart:
// what a spreadsheet of the trace needs to know which event lines are its rows.
func (s *Store) TraceReach(ctx context.Context, code LotCode, dir Direction, bounds Bounds) (*TraceReach, error) {
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.TraceReach %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		return walkTraceKeys(ctx, tx, code, dir, bounds)
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.TraceReach %s", code), err)
	}
	return result.(*TraceReach), nil
}

// walkTraceKeys runs the keys walk of each direction of dir from the lot.
func walkTraceKeys(ctx context.Context, tx neo4j.ManagedTransaction, code LotCode, dir Direction, bounds Bounds) (*TraceReach, error) {
	tr := &TraceReach{}
	for _, d := range []Direction{Backward, Forward} {
		if dir != d && dir != Both {
			continue
		}
		acc := newReachAccumulator()
		n, err := reachKeys(ctx, tx, keysStatement(d, false), []string{string(code)}, bounds, acc)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, Errorf(ENOTFOUND, "lot %s not found", code)
		}
		if d == Backward {
			tr.Back = acc.reach()
		} else {
			tr.Fwd = acc.reach()
		}
	}
	tr.Reach = unionReach(tr.Back, tr.Fwd)
	return tr, nil
}

// unionReach is what either walk reached; nil walks are skipped.
func unionReach(walks ...*Reach) *Reach {
	u := &Reach{Lots: []string{}, Batches: []string{}, Suppliers: []string{}, Customers: []string{}, Shipments: []ShipmentLine{}}
	for _, w := range walks {
		if w == nil {
			continue
		}
		u.Lots, u.Batches = mergeSorted(u.Lots, w.Lots), mergeSorted(u.Batches, w.Batches)
		u.Suppliers, u.Customers = mergeSorted(u.Suppliers, w.Suppliers), mergeSorted(u.Customers, w.Customers)
		u.Shipments = append(u.Shipments, w.Shipments...)
		u.Truncated = u.Truncated || w.Truncated
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

// nodeKinds are the kinds in node id order ("batch:" < "customer:" < "lot:" < "supplier:").
var nodeKinds = []NodeKind{KindBatch, KindCustomer, KindLot, KindSupplier}

func keysOf(r *Reach, kind NodeKind) []string {
	switch kind {
	case KindBatch:
		return r.Batches
	case KindCustomer:
		return r.Customers
	case KindLot:
		return r.Lots
	default:
		return r.Suppliers
	}
}

// streamNodes hands over every node reached, in id order. Without properties the keys are
// all there is to say, and no statement runs.
func streamNodes(ctx context.Context, tx neo4j.ManagedTransaction, r *Reach, props bool, sink TraceSink) error {
	if !props {
		for _, kind := range nodeKinds {
			for _, key := range keysOf(r, kind) {
				if err := sink.Node(Node{ID: NewNodeID(kind, key), Kind: kind, Key: key}); err != nil {
					return sinkError{err}
				}
			}
		}
		return nil
	}
	res, err := tx.Run(ctx, cypher.TraceNodes.Text, map[string]any{
		"batches": r.Batches, "customers": r.Customers, "lots": r.Lots, "suppliers": r.Suppliers})
	if err != nil {
		return err
	}
	var last NodeID
	for res.Next(ctx) {
		v := res.Record().Values
		kind, key := NodeKind(str(v[0])), str(v[1])
		stored, _ := v[2].(map[string]any)
		n := Node{ID: NewNodeID(kind, key), Kind: kind, Key: key, Properties: properties(stored)}
		if n.ID <= last {
			return fmt.Errorf("%s: node %s after %s, out of order", cypher.TraceNodes.Name, n.ID, last)
		}
		last = n.ID
		if err := sink.Node(n); err != nil {
			return sinkError{err}
		}
	}
	return res.Err()
}

// streamEdges hands over every edge of the trace, grouped by the node it leaves, in id order:
// lot–batch edges whose ends were both reached (trace_edges checks), the receipts of lots
// reached backward and the shipment lines of lots reached forward. One node's edges are few,
// but for a hub lot (thousands of batches): they are sorted before they are handed over.
func streamEdges(ctx context.Context, tx neo4j.ManagedTransaction, tr *TraceReach, props bool, sink TraceSink) error {
	res, err := tx.Run(ctx, cypher.TraceEdges.Text, map[string]any{
		"batches": tr.Batches, "lots": tr.Lots, "properties": props})
	if err != nil {
		return err
	}
	var last NodeID
	var edges []Edge // one node's, reused
	for res.Next(ctx) {
		v := res.Record().Values
		kind, key := NodeKind(str(v[0])), str(v[1])
		from := NewNodeID(kind, key)
		if from <= last {
			return fmt.Errorf("%s: edges of %s after %s, out of order", cypher.TraceEdges.Name, from, last)
		}
		last = from
		edges = edges[:0]
		list, _ := v[2].([]any)
		for _, x := range list {
			e, _ := x.([]any)
			if len(e) != 5 {
				return fmt.Errorf("%s: malformed edge of %s", cypher.TraceEdges.Name, from)
			}
			typ := str(e[1])
			if typ == "RECEIVED_FROM" && !tr.received(key) || typ == "SHIPPED_TO" && !tr.shipped(key) {
				continue
			}
			stored, _ := e[4].(map[string]any)
			edges = append(edges, Edge{ID: str(e[0]), From: from, To: NewNodeID(NodeKind(str(e[2])), str(e[3])), Type: typ, Properties: properties(stored)})
		}
		sortEdges(edges)
		for _, e := range edges {
			if !props {
				e.Properties = nil
			}
			if err := sink.Edge(e); err != nil {
				return sinkError{err}
			}
		}
	}
	return res.Err()
}

// sortEdges orders edges as Trace.Edges are: by from, to and type; two shipments of one lot
// to one customer by shipment and line, which unlike element ids are the same in every
// database.
func sortEdges(edges []Edge) {
	sort.Slice(edges, func(i, j int) bool {
		a, c := edges[i], edges[j]
		if a.From != c.From {
			return a.From < c.From
		}
		if a.To != c.To {
			return a.To < c.To
		}
		if a.Type != c.Type {
			return a.Type < c.Type
		}
		if ka, kc := edgeOrder(a), edgeOrder(c); ka != kc {
			return ka < kc
		}
		return a.ID < c.ID
	})
}
