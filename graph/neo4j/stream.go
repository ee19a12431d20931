package neo4j

import (
	"context"
	"fmt"
	"strings"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// errStreamStarted stops the driver from running a streaming transaction again after a
// transient failure: what the first attempt handed over cannot be taken back. It is no driver
// error, so the driver does not retry it.
var errStreamStarted = &graph.Error{Code: graph.EUNAVAILABLE, Message: "database failed while the answer was being sent"}

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

// streamFetchSize is how many records a streamed statement pulls from Neo4j at a time: the
// most rows the service holds at once (the driver's default is 1,000, which for nodes with
// their properties is a megabyte or two).
const streamFetchSize = 250

// StreamTrace walks a lot's genealogy like Trace and hands the trace to sink as it reads it, so
// that an answer of tens of thousands of nodes is never held whole: first the keys walk
// (trace_*_keys, which says what the walk reached and whether a bound cut it), then the nodes
// (trace_nodes) and the edges (trace_edges) read by those keys in id order, each passed on as
// its row arrives. An unknown lot is ENOTFOUND before the sink hears anything. The driver
// retries a transient failure only until the sink has been handed something.
func (s *Store) StreamTrace(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds, parts graph.TraceParts, sink graph.TraceSink) error {
	op := fmt.Sprintf("graph.StreamTrace %s", code)
	if err := checkWalk(op, dir, bounds); err != nil {
		return err
	}
	return streamTx(ctx, s, op, func(t txn, guard *streamGuard) error {
		tr, err := walkTraceKeys(ctx, t, code, dir, bounds)
		if err != nil {
			return err
		}
		guard.started = true
		if err := sink.Reached(tr.Reach); err != nil {
			return sinkError{err}
		}
		if parts.Nodes {
			if err := streamNodes(ctx, t, tr.Reach, parts.Properties, sink); err != nil {
				return err
			}
		}
		if parts.Edges {
			return streamEdges(ctx, t, tr, parts.Properties, sink)
		}
		return nil
	})
}

// sinkError carries an error of the sink (the client went away) through the transaction
// unchanged: it is the caller's, not the database's.
type sinkError struct{ err error }

func (e sinkError) Error() string { return e.err.Error() }

// TraceReach walks a lot's genealogy by key, like TraceKeys, keeping each direction apart:
// what a spreadsheet of the trace needs to know which event lines are its rows.
func (s *Store) TraceReach(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.TraceReach, error) {
	return readWalk(ctx, s, fmt.Sprintf("graph.TraceReach %s", code), dir, bounds, func(t txn) (*graph.TraceReach, error) {
		return walkTraceKeys(ctx, t, code, dir, bounds)
	})
}

// walkTraceKeys runs the keys walk of each direction of dir from the lot.
func walkTraceKeys(ctx context.Context, t txn, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.TraceReach, error) {
	tr := &graph.TraceReach{}
	for _, d := range []graph.Direction{graph.Backward, graph.Forward} {
		if dir != d && dir != graph.Both {
			continue
		}
		acc := newReachAccumulator()
		n, err := reachKeys(ctx, t, keysStatement(d, false), []string{string(code)}, bounds, acc)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
		}
		if d == graph.Backward {
			tr.Back = acc.reach()
		} else {
			tr.Fwd = acc.reach()
		}
	}
	tr.Reach = graph.UnionReach(tr.Back, tr.Fwd)
	return tr, nil
}

// nodeKinds are the kinds in node id order ("batch:" < "customer:" < "lot:" < "supplier:").
var nodeKinds = []graph.NodeKind{graph.KindBatch, graph.KindCustomer, graph.KindLot, graph.KindSupplier}

func keysOf(r *graph.Reach, kind graph.NodeKind) []string {
	switch kind {
	case graph.KindBatch:
		return r.Batches
	case graph.KindCustomer:
		return r.Customers
	case graph.KindLot:
		return r.Lots
	default:
		return r.Suppliers
	}
}

// streamNodes hands over every node reached, in id order. Without properties the keys are
// all there is to say, and no statement runs.
func streamNodes(ctx context.Context, t txn, keys *graph.Reach, props bool, sink graph.TraceSink) error {
	if !props {
		for _, kind := range nodeKinds {
			for _, key := range keysOf(keys, kind) {
				if err := sink.Node(graph.Node{ID: graph.NewNodeID(kind, key), Kind: kind, Key: key}); err != nil {
					return sinkError{err}
				}
			}
		}
		return nil
	}
	params := map[string]any{"batches": keys.Batches, "customers": keys.Customers, "lots": keys.Lots, "suppliers": keys.Suppliers}
	var last graph.NodeID
	return each(ctx, t, cypher.TraceNodes, params, func(r *row) error {
		kind, key, stored := graph.NodeKind(r.Str("kind")), r.Str("key"), r.Map("properties")
		if r.err != nil {
			return r.err
		}
		n := nodeOf(kind, key, stored)
		if n.ID <= last {
			return fmt.Errorf("%s: node %s after %s, out of order", cypher.TraceNodes.Name, n.ID, last)
		}
		last = n.ID
		if err := sink.Node(n); err != nil {
			return sinkError{err}
		}
		return nil
	})
}

// streamEdges hands over every edge of the trace in the order of Trace.Edges, one row at a
// time: lot–batch edges whose ends one walk reached (trace_edges leaves out those whose far
// end no walk reached), the receipts of lots reached backward and the shipment lines of lots
// reached forward. Neo4j hands them over grouped by the node they leave, in node order; each
// node's edges are held and sorted here (by to, type, then shipment and line), which costs
// Neo4j no sort per node (a sort per row made the statement three times slower).
func streamEdges(ctx context.Context, t txn, tr *graph.TraceReach, props bool, sink graph.TraceSink) error {
	var run []graph.Edge // the edges leaving one node
	flush := func() error {
		graph.SortEdges(run)
		for _, e := range run {
			if !props {
				// Read without properties: what was read (a line and shipment id) only orders.
				e.Receiving, e.Use, e.Shipment = nil, nil, nil
			}
			if err := sink.Edge(e); err != nil {
				return sinkError{err}
			}
		}
		run = run[:0]
		return nil
	}
	params := map[string]any{"batches": tr.Batches, "lots": tr.Lots, "properties": props}
	err := each(ctx, t, cypher.TraceEdges, params, func(r *row) error {
		kind, key, id, typ, farKind, far := r.Str("kind"), r.Str("key"), r.Str("id"), graph.EdgeType(r.Str("type")), r.Str("far_kind"), r.Str("far")
		if r.err != nil {
			return r.err
		}
		var keep bool
		switch typ {
		case graph.ReceivedFrom:
			keep = tr.Receipted(key)
		case graph.ShippedTo:
			keep = tr.Shipped(key)
		case graph.ConsumedIn:
			keep = tr.Joins(key, far)
		case graph.Produced:
			keep = tr.Joins(far, key)
		}
		if !keep {
			return nil
		}
		stored := r.Map("properties")
		if r.err != nil {
			return r.err
		}
		e := edgeOf(id, graph.NewNodeID(graph.NodeKind(kind), key), graph.NewNodeID(graph.NodeKind(farKind), far), typ, stored)
		if len(run) > 0 {
			last := run[len(run)-1]
			if c := strings.Compare(string(last.From), string(e.From)); c > 0 {
				return fmt.Errorf("%s: edge from %s after one from %s, out of order", cypher.TraceEdges.Name, e.From, last.From)
			} else if c < 0 {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		run = append(run, e)
		return nil
	})
	if err != nil {
		return err
	}
	return flush()
}
