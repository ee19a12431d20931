package neo4j

import (
	"context"
	"fmt"
	"slices"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// RecallScope walks a recall by key, like RecallKeys, for its spreadsheet (NewRecallScope
// says which rows it holds).
func (s *Store) RecallScope(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.KDEScope, error) {
	return readRecall(ctx, s, fmt.Sprintf("graph.RecallScope %s", code), code, bounds, func(t txn, sources graph.RecallSources) (*graph.KDEScope, error) {
		back, fwd := newReachAccumulator(), newReachAccumulator()
		if _, err := reachKeys(ctx, t, keysStatement(graph.Backward, false), sources.Inputs, bounds, back); err != nil {
			return nil, err
		}
		if _, err := reachKeys(ctx, t, keysStatement(graph.Forward, false), sources.Outputs, bounds, fwd); err != nil {
			return nil, err
		}
		return graph.NewRecallScope(sources, back.reach(), fwd.reach()), nil
	})
}

// StreamKDERows reads the spreadsheet rows of the scope, oldest first (the order of KDERows),
// and hands each to yield as it arrives: Neo4j sorts them (kde_rows), the service holds one.
// An error from yield ends the stream and is returned as it is. It runs apart from the walk
// that chose the scope: events are only ever added, and a batch is stored with all of its
// lines at once, so the lines of what the walk reached are there, and the same. The driver
// retries a transient failure only until yield has been handed a row.
func (s *Store) StreamKDERows(ctx context.Context, sc graph.KDEScope, yield func(graph.KDERow) error) error {
	return streamTx(ctx, s, "graph.StreamKDERows", func(t txn, guard *streamGuard) error {
		params := map[string]any{"received": nonNil(sc.Received), "batches": nonNil(sc.Batches), "shipped": nonNil(sc.Shipped)}
		return each(ctx, t, cypher.KDERows, params, func(r *row) error {
			kr, err := kdeRowOf(r, sc.Lots)
			if err != nil {
				return err
			}
			guard.started = true
			if err := yield(kr); err != nil {
				return sinkError{err}
			}
			return nil
		})
	})
}

// kdeRowOf makes one row of kde_rows into a spreadsheet row with the constructors KDERows uses.
func kdeRowOf(r *row, inTrace []string) (graph.KDERow, error) {
	cte, role, event := graph.CTE(r.Str("cte")), graph.LineRole(r.Str("role")), r.Str("event")
	lot, edgeProps, partyProps, inputs := lotOf(r.Map("lot")), r.Map("edge"), r.Map("party"), r.List("inputs")
	if r.err != nil {
		return graph.KDERow{}, r.err
	}
	switch cte {
	case graph.CTEReceiving:
		stored := supplierOf(partyProps)
		return graph.ReceivingRow(lot, receivingOf(stored.ID, edgeProps), stored), nil
	case graph.CTEShipping:
		stored := customerOf(partyProps)
		return graph.ShippingRow(lot, shipmentOf(lot.Code, stored.ID, edgeProps), stored), nil
	case graph.CTETransformation:
		batch := batchOf(partyProps)
		batch.ID = graph.BatchID(event)
		kr := graph.TransformationRow(role, batch, useOf(edgeProps), lot)
		_, inside := slices.BinarySearch(inTrace, string(lot.Code))
		kr.OutsideTrace = !inside
		if role == graph.RoleOutput {
			kr.Inputs = make([]graph.LotQuantity, 0, len(inputs))
			for _, x := range inputs {
				in, _ := x.([]any)
				if len(in) == 3 {
					kr.Inputs = append(kr.Inputs, graph.LotQuantity{Lot: graph.LotCode(str(in[0])), Quantity: graph.Quantity{Amount: toFloat(in[1]), Unit: str(in[2])}})
				}
			}
		}
		return kr, nil
	}
	return graph.KDERow{}, fmt.Errorf("%s: unknown event type %q", cypher.KDERows.Name, cte)
}

// nonNil gives Neo4j an empty list for a nil one, which the driver would send as null.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
