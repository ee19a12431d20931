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
	return readWalk(ctx, s, fmt.Sprintf("graph.Trace %s", code), dir, bounds, func(t txn) (*graph.Trace, error) {
		b := newTraceBuilder()
		n, err := reach(ctx, t, dir, []string{string(code)}, bounds, b)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
		}
		return b.build(code, dir), nil
	})
}

// readWalk runs work, a walk of a lot's genealogy, in one read transaction (readTx) once its
// direction and bounds are valid (checkWalk): op names the walk in its errors.
func readWalk[T any](ctx context.Context, s *Store, op string, dir graph.Direction, bounds graph.Bounds, work func(txn) (T, error)) (T, error) {
	if err := checkWalk(op, dir, bounds); err != nil {
		var zero T
		return zero, err
	}
	return readTx(ctx, s, op, work)
}

// checkWalk validates a walk's direction, then its bounds; op names the walk in the error.
func checkWalk(op string, dir graph.Direction, bounds graph.Bounds) error {
	if err := dir.Validate(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if err := bounds.Validate(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return nil
}

// traceStatements are the walks by direction; both runs the two as one statement.
var traceStatements = map[graph.Direction]cypher.Statement{
	graph.Backward: cypher.TraceBackward, graph.Forward: cypher.TraceForward, graph.Both: cypher.TraceBoth,
}

// partiesColumns name the column of each trace statement that holds the parties ending the
// walk: suppliers (backward), customers (forward), either (both).
var partiesColumns = map[graph.Direction]string{graph.Backward: "suppliers", graph.Forward: "customers", graph.Both: "parties"}

// reach runs the trace statement of dir from the start lots and adds what it finds to b. It
// returns how many lots and batches it reached (0: no start lot exists).
func reach(ctx context.Context, t txn, dir graph.Direction, codes []string, bounds graph.Bounds, b *traceBuilder) (int, error) {
	st := traceStatements[dir]
	// The hop bound is text in the statement: it comes from a validated int, never from input.
	st = st.WithHops(bounds.Hops())
	limit, _ := bounds.Limit()
	rows := map[graph.Direction]int{} // per walk: each has its own node cap
	err := each(ctx, t, st, map[string]any{"codes": codes, "limit": limit + 1}, func(r *row) error {
		walk := dir
		if dir == graph.Both {
			walk = graph.Direction(r.Str("dir"))
		}
		rows[walk]++
		if rows[walk] > limit {
			b.over = true // the node cap cut the walk short
			return nil
		}
		n, edges, parties := r.Node("n"), r.List("edges"), r.List(partiesColumns[dir])
		if r.err != nil {
			return r.err
		}
		if n.ElementId == "" {
			return fmt.Errorf("%s: row without a node", st.Name)
		}
		b.addNode(n.ElementId, storedNodeOf(n))
		for _, v := range edges {
			rel, ok := v.(dbtype.Relationship)
			if !ok {
				r.fail("edges", v, "relationships in its list")
				return r.err
			}
			b.pending = append(b.pending, pendingEdge{id: rel.ElementId, typ: graph.EdgeType(rel.Type), startEID: rel.StartElementId, endEID: rel.EndElementId, props: rel.Props})
		}
		// Suppliers (backward) and customers (forward) end the walk: add them with their edge.
		for _, v := range parties {
			pair, _ := v.([]any)
			var rel dbtype.Relationship
			var node dbtype.Node
			ok := len(pair) == 2
			if ok {
				rel, ok = pair[0].(dbtype.Relationship)
			}
			if ok {
				node, ok = pair[1].(dbtype.Node)
			}
			if !ok {
				r.fail(partiesColumns[dir], v, "[relationship, node] pairs in its list")
				return r.err
			}
			party := storedNodeOf(node)
			b.addNode("", party)
			b.addEdge(edgeOf(rel.ElementId, graph.NewNodeID(graph.KindLot, lotKey(n)), party.ID, graph.EdgeType(rel.Type), rel.Props))
		}
		return nil
	})
	if err != nil {
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
	return readRecall(ctx, s, fmt.Sprintf("graph.Recall %s", code), code, bounds, func(t txn, sources graph.RecallSources) (*graph.Recall, error) {
		rc := &graph.Recall{Lot: code, SourceBatches: sources.Batches}
		inputs, outputs := sources.Inputs, sources.Outputs
		back, fwd, src := newTraceBuilder(), newTraceBuilder(), newTraceBuilder()
		if len(inputs) > 0 {
			if _, err := reach(ctx, t, graph.Backward, inputs, bounds, back); err != nil {
				return nil, err
			}
		}
		if _, err := reach(ctx, t, graph.Forward, outputs, bounds, fwd); err != nil {
			return nil, err
		}
		if len(rc.SourceBatches) > 0 {
			// One level back from the outputs: the source batches, their inputs and outputs.
			if _, err := reach(ctx, t, graph.Backward, outputs, graph.Bounds{Depth: 1, Nodes: bounds.Nodes, Cap: bounds.Cap}, src); err != nil {
				return nil, err
			}
		}
		rc.Ingredients, rc.Affected, rc.Sources = back.build(code, graph.Backward), fwd.build(code, graph.Forward), src.build(code, graph.Backward)
		rc.Shipments = rc.Affected.ShipmentLines()
		return rc, nil
	})
}

// readRecall runs work, the walks of a recall from where they start (recallWalk), in one
// read transaction (readTx) once the bounds are valid: op names the recall in its errors.
func readRecall[T any](ctx context.Context, s *Store, op string, code graph.LotCode, bounds graph.Bounds, work func(txn, graph.RecallSources) (T, error)) (T, error) {
	if err := bounds.Validate(); err != nil {
		var zero T
		return zero, fmt.Errorf("%s: %w", op, err)
	}
	return readTx(ctx, s, op, func(t txn) (T, error) {
		sources, err := recallWalk(ctx, t, code)
		if err != nil {
			var zero T
			return zero, err
		}
		return work(t, sources)
	})
}
