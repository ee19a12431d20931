package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// Trace walks a lot's genealogy in one direction, or both, within the bounds.
func (s *Store) Trace(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.Trace, error) {
	if err := dir.Validate(); err != nil {
		return nil, fmt.Errorf("graph.Trace %s: %w", code, err)
	}
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.Trace %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx txn) (any, error) {
		b := newTraceBuilder()
		n, err := reach(ctx, tx, dir, []string{string(code)}, bounds, b)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
		}
		return b.build(code, dir), nil
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.Trace %s", code), err)
	}
	return result.(*graph.Trace), nil
}

// traceStatements are the walks by direction; both runs the two as one statement.
var traceStatements = map[graph.Direction]cypher.Statement{
	graph.Backward: cypher.TraceBackward, graph.Forward: cypher.TraceForward, graph.Both: cypher.TraceBoth,
}

// reach runs the trace statement of dir from the start lots and adds what it finds to b. It
// returns how many lots and batches it reached (0: no start lot exists).
func reach(ctx context.Context, tx txn, dir graph.Direction, codes []string, bounds graph.Bounds, b *traceBuilder) (int, error) {
	st := traceStatements[dir]
	// The hop bound is text in the statement: it comes from a validated int, never from input.
	st = st.WithHops(bounds.Hops())
	limit, _ := bounds.Limit()
	res, err := tx.run(ctx, st, map[string]any{"codes": codes, "limit": limit + 1})
	if err != nil {
		return 0, err
	}
	rows := map[graph.Direction]int{} // per walk: each has its own node cap
	for res.Next(ctx) {
		values := res.Record().Values
		walk := dir
		if dir == graph.Both {
			walk, values = graph.Direction(str(values[0])), values[1:]
		}
		rows[walk]++
		if rows[walk] > limit {
			b.over = true // the node cap cut the walk short
			continue
		}
		n, ok := values[0].(dbtype.Node)
		if !ok {
			return 0, fmt.Errorf("%s: row without a node", st.Name)
		}
		b.addNode(n.ElementId, nodeOf(n))
		for _, v := range values[1].([]any) {
			r := v.(dbtype.Relationship)
			b.pending = append(b.pending, pendingEdge{id: r.ElementId, typ: r.Type, startEID: r.StartElementId, endEID: r.EndElementId, props: properties(r.Props)})
		}
		// Suppliers (backward) and customers (forward) end the walk: add them with their edge.
		for _, v := range values[2].([]any) {
			pair := v.([]any)
			r, party := pair[0].(dbtype.Relationship), nodeOf(pair[1].(dbtype.Node))
			b.addNode("", party)
			b.addEdge(graph.Edge{ID: r.ElementId, From: graph.NewNodeID(graph.KindLot, lotKey(n)), To: party.ID, Type: r.Type, Properties: properties(r.Props)})
		}
	}
	if err := res.Err(); err != nil {
		return 0, err
	}
	b.endWalk(bounds)
	reached := 0
	for _, n := range rows {
		reached = max(reached, min(n, limit))
	}
	return reached, nil
}

// nodeOf converts a stored node; its kind comes from its label, its key from code or id.
func nodeOf(n dbtype.Node) graph.Node {
	var kind graph.NodeKind
	for _, l := range n.Labels {
		switch l {
		case "Lot":
			kind = graph.KindLot
		case "Batch":
			kind = graph.KindBatch
		case "Supplier":
			kind = graph.KindSupplier
		case "Customer":
			kind = graph.KindCustomer
		}
	}
	key := lotKey(n)
	if kind != graph.KindLot {
		key, _ = n.Props["id"].(string)
	}
	return graph.Node{ID: graph.NewNodeID(kind, key), Kind: kind, Key: key, Properties: properties(n.Props)}
}

// properties converts stored properties for the domain: Neo4j dates become "2006-01-02"
// strings (times stay time.Time), and the internal fingerprint is left out.
func properties(stored map[string]any) map[string]any {
	out := make(map[string]any, len(stored))
	for k, v := range stored {
		switch x := v.(type) {
		case dbtype.Date:
			out[k] = x.Time().Format(time.DateOnly)
		default:
			if k != "fingerprint" {
				out[k] = v
			}
		}
	}
	return out
}

func lotKey(n dbtype.Node) string {
	code, _ := n.Props["code"].(string)
	return code
}

// Recall finds the lot's source batches, everything behind them and everything their lots
// went into, in one read transaction.
func (s *Store) Recall(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.Recall, error) {
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.Recall %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx txn) (any, error) {
		sources, err := recallWalk(ctx, tx, code)
		if err != nil {
			return nil, err
		}
		rc := &graph.Recall{Lot: code, SourceBatches: sources.Batches}
		inputs, outputs := sources.Inputs, sources.Outputs
		back, fwd, src := newTraceBuilder(), newTraceBuilder(), newTraceBuilder()
		if len(inputs) > 0 {
			if _, err := reach(ctx, tx, graph.Backward, inputs, bounds, back); err != nil {
				return nil, err
			}
		}
		if _, err := reach(ctx, tx, graph.Forward, outputs, bounds, fwd); err != nil {
			return nil, err
		}
		if len(rc.SourceBatches) > 0 {
			// One level back from the outputs: the source batches, their inputs and outputs.
			if _, err := reach(ctx, tx, graph.Backward, outputs, graph.Bounds{Depth: 1, Nodes: bounds.Nodes, Cap: bounds.Cap}, src); err != nil {
				return nil, err
			}
		}
		rc.Ingredients, rc.Affected, rc.Sources = back.build(code, graph.Backward), fwd.build(code, graph.Forward), src.build(code, graph.Backward)
		rc.Shipments = rc.Affected.ShipmentLines()
		return rc, nil
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.Recall %s", code), err)
	}
	return result.(*graph.Recall), nil
}
