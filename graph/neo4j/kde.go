package neo4j

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// RecallScope walks a recall by key, like RecallKeys, for its spreadsheet (NewRecallScope
// says which rows it holds).
func (s *Store) RecallScope(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.KDEScope, error) {
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.RecallScope %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx txn) (any, error) {
		sources, err := recallWalk(ctx, tx, code)
		if err != nil {
			return nil, err
		}
		back, fwd := newReachAccumulator(), newReachAccumulator()
		if _, err := reachKeys(ctx, tx, keysStatement(graph.Backward, false), sources.Inputs, bounds, back); err != nil {
			return nil, err
		}
		if _, err := reachKeys(ctx, tx, keysStatement(graph.Forward, false), sources.Outputs, bounds, fwd); err != nil {
			return nil, err
		}
		return graph.NewRecallScope(sources, back.reach(), fwd.reach()), nil
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.RecallScope %s", code), err)
	}
	return result.(*graph.KDEScope), nil
}

// StreamKDERows reads the spreadsheet rows of the scope, oldest first (the order of KDERows),
// and hands each to yield as it arrives: Neo4j sorts them (kde_rows), the service holds one.
// An error from yield ends the stream and is returned as it is. It runs apart from the walk
// that chose the scope: events are only ever added, and a batch is stored with all of its
// lines at once, so the lines of what the walk reached are there, and the same. The driver
// retries a transient failure only until yield has been handed a row.
func (s *Store) StreamKDERows(ctx context.Context, sc graph.KDEScope, yield func(graph.KDERow) error) error {
	guard := &streamGuard{}
	_, err := s.streamRead(ctx, func(tx txn) (any, error) {
		if err := guard.retry(); err != nil {
			return nil, err
		}
		res, err := tx.run(ctx, cypher.KDERows, map[string]any{
			"received": nonNil(sc.Received), "batches": nonNil(sc.Batches), "shipped": nonNil(sc.Shipped)})
		if err != nil {
			return nil, err
		}
		for res.Next(ctx) {
			row, err := kdeRowOf(res.Record().Values, sc.Lots)
			if err != nil {
				return nil, err
			}
			guard.started = true
			if err := yield(row); err != nil {
				return nil, sinkError{err}
			}
		}
		return nil, res.Err()
	})
	var se sinkError
	if errors.As(err, &se) {
		return se.err
	}
	if err != nil {
		return classify("graph.StreamKDERows", err)
	}
	return nil
}

// kdeRowOf makes one row of kde_rows into a spreadsheet row with the constructors KDERows uses.
func kdeRowOf(v []any, inTrace []string) (graph.KDERow, error) {
	if len(v) != 7 {
		return graph.KDERow{}, fmt.Errorf("%s: row of %d columns", cypher.KDERows.Name, len(v))
	}
	cte, role, event := graph.CTE(str(v[0])), graph.LineRole(str(v[1])), str(v[2])
	lotProps, _ := v[3].(map[string]any)
	edgeProps, _ := v[4].(map[string]any)
	partyProps, _ := v[5].(map[string]any)
	lot := lotOf(lotProps)
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
		r := graph.TransformationRow(role, batch, useOf(edgeProps), lot)
		_, inside := slices.BinarySearch(inTrace, string(lot.Code))
		r.OutsideTrace = !inside
		if role == graph.RoleOutput {
			inputs, _ := v[6].([]any)
			r.Inputs = make([]graph.LotQuantity, 0, len(inputs))
			for _, x := range inputs {
				in, _ := x.([]any)
				if len(in) == 3 {
					r.Inputs = append(r.Inputs, graph.LotQuantity{Lot: graph.LotCode(str(in[0])), Quantity: graph.Quantity{Amount: toFloat(in[1]), Unit: str(in[2])}})
				}
			}
		}
		return r, nil
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
