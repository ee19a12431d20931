package neo4j

import (
	"context"
	"fmt"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// StreamRecall answers a recall like RecallKeys and hands it to sink as it reads it, so that
// the shipment lines of a hub ingredient's recall (a hundred thousand and more) are never held
// at once: first the walks by key (recall_sources, trace_backward_keys from the source
// batches' inputs, recall_affected_keys from their outputs), handed over in one Reached, then
// the affected lots' shipment lines: those the affected walk returned, when they were no more
// than Config.RecallLinesInOneRow, else every line from recall_shipment_lines, each passed on as its
// row arrives. An unknown lot is ENOTFOUND before the sink hears anything. The driver retries a
// transient failure only until the sink has been handed something.
func (s *Store) StreamRecall(ctx context.Context, code graph.LotCode, bounds graph.Bounds, sink graph.RecallSink) error {
	op := fmt.Sprintf("graph.StreamRecall %s", code)
	if err := bounds.Validate(); err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	return streamTx(ctx, s, op, func(t txn, guard *streamGuard) error {
		keys, linesOver, err := recallKeyWalks(ctx, t, code, bounds, s.recallLines)
		if err != nil {
			return err
		}
		lines := keys.Affected.Shipments
		keys.Affected.Shipments = []graph.ShipmentLine{}
		guard.started = true
		if err := sink.Reached(keys); err != nil {
			return sinkError{err}
		}
		if linesOver {
			return streamShipmentLines(ctx, t, keys.Affected.Lots, sink)
		}
		for _, l := range lines {
			if err := sink.Shipment(l); err != nil {
				return sinkError{err}
			}
		}
		return nil
	})
}

// DefaultRecallLinesInOneRow is the most shipment lines a recall reads in the affected walk's
// own row (recall_affected_keys); one with more streams them (recall_shipment_lines). Most
// recalls have a few hundred lines at most, and one statement answers them as fast as before
// the streaming; a hub's tens of thousands are never held at once. A big recall reads (and
// drops) this many lines more than it needs: about 300 KB of row.
const DefaultRecallLinesInOneRow = 1000

// streamShipmentLines hands over every shipment line of the lots in SortShipmentLines' order.
// Neo4j orders them by shipped_at; the lines shipped at one instant are held and sorted here
// by shipment and line (a copy of one line stored twice, which shipped_to_line_unique now
// prevents, is handed over once, as RecallKeys' set of lines did).
func streamShipmentLines(ctx context.Context, t txn, lots []string, sink graph.RecallSink) error {
	st := cypher.RecallShipmentLines
	res, err := t.run(ctx, st, map[string]any{"lots": lots})
	if err != nil {
		return err
	}
	var tie []graph.ShipmentLine // the lines shipped at one instant
	flush := func() error {
		graph.SortShipmentLines(tie)
		for i, l := range tie {
			if i > 0 && l.ID == tie[i-1].ID && l.Line == tie[i-1].Line {
				continue
			}
			if err := sink.Shipment(l); err != nil {
				return sinkError{err}
			}
		}
		tie = tie[:0]
		return nil
	}
	for res.Next(ctx) {
		r := row{st: st, rec: res.Record()}
		l := graph.ShipmentLine{Lot: graph.LotCode(r.Str("lot")), ID: graph.ShipmentID(r.Str("shipment_id")), Line: int(r.Int("line")),
			Customer: graph.Customer{ID: graph.CustomerID(r.Str("customer"))},
			Quantity: graph.Quantity{Amount: r.Float("quantity"), Unit: r.Str("unit")}, ShippedAt: r.Time("shipped_at")}
		if r.err != nil {
			return r.err
		}
		if len(tie) > 0 {
			last := tie[len(tie)-1].ShippedAt
			if l.ShippedAt.Before(last) {
				return fmt.Errorf("%s: a line shipped at %s after one shipped at %s, out of order", st.Name, l.ShippedAt, last)
			}
			if l.ShippedAt.After(last) {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		tie = append(tie, l)
	}
	if err := res.Err(); err != nil {
		return err
	}
	return flush()
}
