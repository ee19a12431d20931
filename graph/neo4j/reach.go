package neo4j

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// TraceKeys walks a lot's genealogy like Trace but answers with keys only.
func (s *Store) TraceKeys(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.Reach, error) {
	op := fmt.Sprintf("graph.TraceKeys %s", code)
	if err := dir.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return readTx(ctx, s, op, func(t txn) (*graph.Reach, error) {
		acc := newReachAccumulator()
		for _, d := range []graph.Direction{graph.Backward, graph.Forward} {
			if dir != d && dir != graph.Both {
				continue
			}
			n, err := reachKeys(ctx, t, keysStatement(d, false), []string{string(code)}, bounds, acc)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				return nil, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
			}
		}
		return acc.reach(), nil
	})
}

// reachAccumulator gathers what the keys walks reach.
type reachAccumulator struct {
	lots, batches, suppliers, customers map[string]bool
	shipments                           map[string]graph.ShipmentLine // by shipment id and line
	cut                                 graph.Cut                     // the worst cut of the walks
	// lineCap is the most shipment lines recall_affected_keys returns (0: every one);
	// linesOver says the lots reached have more, which the caller then streams.
	lineCap   int
	linesOver bool
}

func newReachAccumulator() *reachAccumulator {
	return &reachAccumulator{lots: map[string]bool{}, batches: map[string]bool{}, suppliers: map[string]bool{},
		customers: map[string]bool{}, shipments: map[string]graph.ShipmentLine{}}
}

// keysStatement is the keys walk of a direction; a recall's affected side also needs each
// shipment line, not just the customers.
func keysStatement(dir graph.Direction, shipmentLines bool) cypher.Statement {
	switch {
	case dir == graph.Backward:
		return cypher.TraceBackwardKeys
	case shipmentLines:
		return cypher.RecallAffectedKeys
	default:
		return cypher.TraceForwardKeys
	}
}

// reachKeys runs one keys walk and adds what it finds to acc; it returns how many lots and
// batches it reached (0: no start lot exists). The walk answers in one row; when its node
// cap cut it, the statement's `over` says so, and `beyond` when any bound did. What ends the
// walk is in the column its statement names: suppliers (backward), customers (forward) or
// shipments (a recall's affected side).
func reachKeys(ctx context.Context, t txn, st cypher.Statement, codes []string, bounds graph.Bounds, acc *reachAccumulator) (int, error) {
	limit, _ := bounds.Limit()
	lines := acc.lineCap
	if lines <= 0 {
		lines = math.MaxInt32
	}
	params := map[string]any{"codes": codes, "limit": limit, "lines": lines}
	reached, _, err := single(ctx, t, st.WithHops(bounds.Hops()), params, func(r *row) int {
		lots, batches := r.Strs("lots"), r.Strs("batches")
		add(acc.lots, lots)
		add(acc.batches, batches)
		acc.cut = acc.cut.Worse(bounds.CutBy(r.Bool("over"), r.Bool("beyond")))
		switch st.Name {
		case cypher.TraceBackwardKeys.Name:
			add(acc.suppliers, r.Strs("suppliers"))
		case cypher.TraceForwardKeys.Name:
			add(acc.customers, r.Strs("customers"))
		default:
			add(acc.customers, r.Strs("customers"))
			shipments := r.List("shipments")
			if len(shipments) > lines {
				acc.linesOver = true
				break
			}
			for _, v := range shipments {
				l, ok := shipmentLineOf(v)
				if !ok {
					r.fail("shipments", v, "[lot, shipment_id, line, customer, quantity, unit, shipped_at]")
					break
				}
				acc.shipments[fmt.Sprintf("%s\x00%d", l.ID, l.Line)] = l
			}
		}
		return len(lots) + len(batches)
	})
	return reached, err
}

// shipmentLineOf reads one element of recall_affected_keys' shipments: [lot code,
// shipment_id, line, customer id, quantity, unit, shipped_at] (a list, not a map, so that a
// hub's thousands of lines do not each repeat the keys).
func shipmentLineOf(v any) (graph.ShipmentLine, bool) {
	line, ok := v.([]any)
	if !ok || len(line) != 7 {
		return graph.ShipmentLine{}, false
	}
	l := graph.ShipmentLine{Lot: graph.LotCode(str(line[0])), ID: graph.ShipmentID(str(line[1])), Line: int(toInt(line[2])),
		Customer: graph.Customer{ID: graph.CustomerID(str(line[3]))}, Quantity: graph.Quantity{Amount: toFloat(line[4]), Unit: str(line[5])}}
	l.ShippedAt, _ = line[6].(time.Time)
	return l, true
}

// add puts every key in the set.
func add(set map[string]bool, keys []string) {
	for _, k := range keys {
		set[k] = true
	}
}

func (acc *reachAccumulator) reach() *graph.Reach {
	r := &graph.Reach{Lots: sorted(acc.lots), Batches: sorted(acc.batches), Suppliers: sorted(acc.suppliers),
		Customers: sorted(acc.customers), Shipments: slices.Collect(maps.Values(acc.shipments)),
		Truncated: acc.cut != graph.CutNone, CutBy: acc.cut}
	if r.Shipments == nil {
		r.Shipments = []graph.ShipmentLine{}
	}
	graph.SortShipmentLines(r.Shipments)
	return r
}

// sorted is the set's keys in order, never nil.
func sorted(set map[string]bool) []string {
	keys := slices.AppendSeq(make([]string, 0, len(set)), maps.Keys(set))
	slices.Sort(keys)
	return keys
}

// RecallKeys finds the lot's source batches and walks back from their inputs and forward
// from their outputs, in one read transaction, and answers the whole recall, every shipment
// line in one row (recall_affected_keys). The JSON answer streams it instead (StreamRecall),
// which the tests hold to this.
func (s *Store) RecallKeys(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.RecallKeys, error) {
	op := fmt.Sprintf("graph.RecallKeys %s", code)
	if err := bounds.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", op, err)
	}
	return readTx(ctx, s, op, func(t txn) (*graph.RecallKeys, error) {
		keys, _, err := recallKeyWalks(ctx, t, code, bounds, 0)
		return keys, err
	})
}

// recallKeyWalks answers a recall by key: where its walks start (recallWalk), the walk back
// from the source batches' inputs and the walk forward from their outputs, with at most
// lineCap shipment lines (0: every one). linesOver says the affected lots have more than
// lineCap, in which case the answer holds none of them.
func recallKeyWalks(ctx context.Context, t txn, code graph.LotCode, bounds graph.Bounds, lineCap int) (*graph.RecallKeys, bool, error) {
	sources, err := recallWalk(ctx, t, code)
	if err != nil {
		return nil, false, err
	}
	back, fwd := newReachAccumulator(), newReachAccumulator()
	if len(sources.Inputs) > 0 {
		if _, err := reachKeys(ctx, t, keysStatement(graph.Backward, false), sources.Inputs, bounds, back); err != nil {
			return nil, false, err
		}
	}
	fwd.lineCap = lineCap
	if _, err := reachKeys(ctx, t, keysStatement(graph.Forward, true), sources.Outputs, bounds, fwd); err != nil {
		return nil, false, err
	}
	return &graph.RecallKeys{Lot: code, SourceBatches: sources.Batches, Ingredients: back.reach(), Affected: fwd.reach()}, fwd.linesOver, nil
}

// recallWalk reads where a recall's walks start (recall_sources): the lot's source batches,
// their inputs and their outputs, each sorted. A received lot has no source batch: its
// supplier is its source, and the ingredient and affected walks both start from the lot
// itself. An unknown lot is ENOTFOUND.
func recallWalk(ctx context.Context, t txn, code graph.LotCode) (graph.RecallSources, error) {
	src, found, err := single(ctx, t, cypher.RecallSources, map[string]any{"code": string(code)}, func(r *row) graph.RecallSources {
		return graph.RecallSources{Batches: r.Strs("batches"), Inputs: r.Strs("inputs"), Outputs: r.Strs("outputs")}
	})
	switch {
	case err != nil:
		return graph.RecallSources{}, err
	case !found:
		return graph.RecallSources{}, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
	case len(src.Batches) == 0:
		return graph.RecallSources{Batches: []string{}, Inputs: []string{string(code)}, Outputs: []string{string(code)}}, nil
	}
	slices.Sort(src.Batches)
	slices.Sort(src.Inputs)
	slices.Sort(src.Outputs)
	return src, nil
}
