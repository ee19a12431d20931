package neo4j

import (
	"context"
	"errors"
	"fmt"
	"strings"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

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

// streamRead runs work like read, in a session that pulls streamFetchSize records at a time.
func (s *Store) streamRead(ctx context.Context, work func(txn) (any, error)) (any, error) {
	sess := s.driver.NewSession(ctx, driver.SessionConfig{AccessMode: driver.AccessModeRead, DatabaseName: s.database, FetchSize: streamFetchSize})
	defer sess.Close(ctx)
	return sess.ExecuteRead(ctx, s.observed(work))
}

// StreamTrace walks a lot's genealogy like Trace and hands the trace to sink as it reads it, so
// that an answer of tens of thousands of nodes is never held whole: first the keys walk
// (trace_*_keys, which says what the walk reached and whether a bound cut it), then the nodes
// (trace_nodes) and the edges (trace_edges) read by those keys in id order, each passed on as
// its row arrives. An unknown lot is ENOTFOUND before the sink hears anything. The driver
// retries a transient failure only until the sink has been handed something.
func (s *Store) StreamTrace(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds, parts graph.TraceParts, sink graph.TraceSink) error {
	if err := dir.Validate(); err != nil {
		return fmt.Errorf("graph.StreamTrace %s: %w", code, err)
	}
	if err := bounds.Validate(); err != nil {
		return fmt.Errorf("graph.StreamTrace %s: %w", code, err)
	}
	guard := &streamGuard{}
	_, err := s.streamRead(ctx, func(tx txn) (any, error) {
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
func (s *Store) TraceReach(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.TraceReach, error) {
	if err := dir.Validate(); err != nil {
		return nil, fmt.Errorf("graph.TraceReach %s: %w", code, err)
	}
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.TraceReach %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx txn) (any, error) {
		return walkTraceKeys(ctx, tx, code, dir, bounds)
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.TraceReach %s", code), err)
	}
	return result.(*graph.TraceReach), nil
}

// walkTraceKeys runs the keys walk of each direction of dir from the lot.
func walkTraceKeys(ctx context.Context, tx txn, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.TraceReach, error) {
	tr := &graph.TraceReach{}
	for _, d := range []graph.Direction{graph.Backward, graph.Forward} {
		if dir != d && dir != graph.Both {
			continue
		}
		acc := newReachAccumulator()
		n, err := reachKeys(ctx, tx, keysStatement(d, false), []string{string(code)}, bounds, acc)
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
func streamNodes(ctx context.Context, tx txn, r *graph.Reach, props bool, sink graph.TraceSink) error {
	if !props {
		for _, kind := range nodeKinds {
			for _, key := range keysOf(r, kind) {
				if err := sink.Node(graph.Node{ID: graph.NewNodeID(kind, key), Kind: kind, Key: key}); err != nil {
					return sinkError{err}
				}
			}
		}
		return nil
	}
	res, err := tx.run(ctx, cypher.TraceNodes, map[string]any{
		"batches": r.Batches, "customers": r.Customers, "lots": r.Lots, "suppliers": r.Suppliers})
	if err != nil {
		return err
	}
	var last graph.NodeID
	for res.Next(ctx) {
		v := res.Record().Values
		kind, key := graph.NodeKind(str(v[0])), str(v[1])
		stored, _ := v[2].(map[string]any)
		n := nodeOf(kind, key, stored)
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

// streamEdges hands over every edge of the trace in the order of Trace.Edges, one row at a
// time: lot–batch edges whose ends one walk reached (trace_edges leaves out those whose far
// end no walk reached), the receipts of lots reached backward and the shipment lines of lots
// reached forward. Neo4j hands them over grouped by the node they leave, in node order; each
// node's edges are held and sorted here (by to, type, then shipment and line), which costs
// Neo4j no sort per node (a sort per row made the statement three times slower).
func streamEdges(ctx context.Context, tx txn, tr *graph.TraceReach, props bool, sink graph.TraceSink) error {
	res, err := tx.run(ctx, cypher.TraceEdges, map[string]any{
		"batches": tr.Batches, "lots": tr.Lots, "properties": props})
	if err != nil {
		return err
	}
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
	for res.Next(ctx) {
		v := res.Record().Values
		if len(v) != 7 {
			return fmt.Errorf("%s: row of %d columns", cypher.TraceEdges.Name, len(v))
		}
		key, typ, far := str(v[1]), graph.EdgeType(str(v[3])), str(v[5])
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
			continue
		}
		stored, _ := v[6].(map[string]any)
		e := edgeOf(str(v[2]), graph.NewNodeID(graph.NodeKind(str(v[0])), key), graph.NewNodeID(graph.NodeKind(str(v[4])), far), typ, stored)
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
	}
	if err := res.Err(); err != nil {
		return err
	}
	return flush()
}
