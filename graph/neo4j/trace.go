package neo4j

import (
	"context"
	"fmt"

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
		b.addNode(n.ElementId, storedNodeOf(n))
		for _, v := range values[1].([]any) {
			r := v.(dbtype.Relationship)
			b.pending = append(b.pending, pendingEdge{id: r.ElementId, typ: graph.EdgeType(r.Type), startEID: r.StartElementId, endEID: r.EndElementId, props: r.Props})
		}
		// Suppliers (backward) and customers (forward) end the walk: add them with their edge.
		for _, v := range values[2].([]any) {
			pair := v.([]any)
			r, party := pair[0].(dbtype.Relationship), storedNodeOf(pair[1].(dbtype.Node))
			b.addNode("", party)
			b.addEdge(edgeOf(r.ElementId, graph.NewNodeID(graph.KindLot, lotKey(n)), party.ID, graph.EdgeType(r.Type), r.Props))
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
