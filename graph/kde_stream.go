package graph

import (
	"context"
	"errors"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

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

// RecallScope walks a recall by key, like RecallKeys, for its spreadsheet: the receipts of
// every ingredient lot (the inputs of the source batches, and what is behind them), the lines
// of every batch on either side and of the source batches, the shipment lines of every lot
// affected; for a received lot, its own receipt and its forward trace.
func (s *Store) RecallScope(ctx context.Context, code LotCode, bounds Bounds) (*KDEScope, error) {
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("graph.RecallScope %s: %w", code, err)
	}
	result, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		sources, err := findRecallSources(ctx, tx, code)
		if err != nil {
			return nil, err
		}
		back, fwd := newReachAccumulator(), newReachAccumulator()
		if _, err := reachKeys(ctx, tx, keysStatement(Backward, false), sources.inputs, bounds, back); err != nil {
			return nil, err
		}
		if _, err := reachKeys(ctx, tx, keysStatement(Forward, false), sources.outputs, bounds, fwd); err != nil {
			return nil, err
		}
		ingredients, affected := back.reach(), fwd.reach()
		received := mergeSorted(ingredients.Lots, sources.inputs)
		sc := &KDEScope{
			Received:  received,
			Batches:   mergeSorted(mergeSorted(ingredients.Batches, affected.Batches), sources.batches),
			Shipped:   affected.Lots,
			Lots:      mergeSorted(mergeSorted(received, affected.Lots), sources.outputs),
			Truncated: ingredients.Truncated || affected.Truncated,
			CutBy:     ingredients.CutBy.worse(affected.CutBy),
			Size:      ingredients.Size() + affected.Size(),
		}
		return sc, nil
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.RecallScope %s", code), err)
	}
	return result.(*KDEScope), nil
}

// StreamKDERows reads the spreadsheet rows of the scope, oldest first (the order of KDERows),
// and hands each to yield as it arrives: Neo4j sorts them (kde_rows), the service holds one.
// An error from yield ends the stream and is returned as it is. It runs apart from the walk
// that chose the scope: events are only ever added, and a batch is stored with all of its
// lines at once, so the lines of what the walk reached are there, and the same. The driver
// retries a transient failure only until yield has been handed a row.
func (s *Store) StreamKDERows(ctx context.Context, sc KDEScope, yield func(KDERow) error) error {
	guard := &streamGuard{}
	_, err := s.streamRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if err := guard.retry(); err != nil {
			return nil, err
		}
		res, err := tx.Run(ctx, cypher.KDERows.Text, map[string]any{
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
func kdeRowOf(v []any, inTrace []string) (KDERow, error) {
	if len(v) != 7 {
		return KDERow{}, fmt.Errorf("%s: row of %d columns", cypher.KDERows.Name, len(v))
	}
	cte, role, event := CTE(str(v[0])), LineRole(str(v[1])), str(v[2])
	lotProps, _ := v[3].(map[string]any)
	edgeProps, _ := v[4].(map[string]any)
	partyProps, _ := v[5].(map[string]any)
	lot := Node{Kind: KindLot, Key: str(lotProps["code"]), Properties: properties(lotProps)}
	edge := Edge{Properties: properties(edgeProps)}
	party := Node{Key: str(partyProps["id"]), Properties: properties(partyProps)}
	switch cte {
	case CTEReceiving:
		return receivingRow(edge, lot, party), nil
	case CTEShipping:
		return shippingRow(edge, lot, party), nil
	case CTETransformation:
		party.Key = event
		r := transformationRow(role, edge, party, lot)
		r.OutsideTrace = !contains(inTrace, lot.Key)
		if role == RoleOutput {
			inputs, _ := v[6].([]any)
			r.Inputs = make([]LotQuantity, 0, len(inputs))
			for _, x := range inputs {
				in, _ := x.([]any)
				if len(in) == 3 {
					r.Inputs = append(r.Inputs, LotQuantity{Lot: LotCode(str(in[0])), Quantity: Quantity{Amount: toFloat(in[1]), Unit: str(in[2])}})
				}
			}
		}
		return r, nil
	}
	return KDERow{}, fmt.Errorf("%s: unknown event type %q", cypher.KDERows.Name, cte)
}

// nonNil gives Neo4j an empty list for a nil one, which the driver would send as null.
func nonNil(list []string) []string {
	if list == nil {
		return []string{}
	}
	return list
}
