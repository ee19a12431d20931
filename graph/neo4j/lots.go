package neo4j

import (
	"context"
	"fmt"
	"time"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// Lot returns one lot with its origin, consumptions and shipments.
func (s *Store) Lot(ctx context.Context, code graph.LotCode) (*graph.LotDetail, error) {
	return readTx(ctx, s, fmt.Sprintf("graph.Lot %s", code), func(t txn) (*graph.LotDetail, error) {
		// One row, or none; of more (a lot stored with two origins) the first is read, as always.
		details, err := collect(ctx, t, cypher.LotDetail, map[string]any{"code": string(code)}, func(r *row) *graph.LotDetail {
			return lotDetailOf(code, r)
		})
		if err != nil {
			return nil, err
		}
		if len(details) == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
		}
		return details[0], nil
	})
}

// lotDetailOf reads a row of lot_detail; the maps in its lists are read as stored properties.
func lotDetailOf(code graph.LotCode, r *row) *graph.LotDetail {
	d := &graph.LotDetail{Lot: lotOf(r.Node("lot").Props)}
	if sup := r.Node("supplier"); sup.ElementId != "" {
		rec := receivingOf(graph.SupplierID(str(sup.Props["id"])), r.Rel("received").Props)
		d.Received = &rec
	}
	if b := r.Node("batch"); b.ElementId != "" {
		rec := batchOf(b.Props)
		m := &graph.Making{Batch: graph.Batch{ID: rec.ID, Line: rec.Line}, ProducedAt: rec.ProducedAt, Location: rec.Location, Reference: rec.Reference}
		for _, in := range r.Maps("inputs") {
			m.Inputs = append(m.Inputs, graph.LotQuantity{Lot: graph.LotCode(str(in["lot"])), Quantity: quantityOf(in)})
		}
		d.Made = m
	}
	for _, c := range r.Maps("consumed_in") {
		d.ConsumedIn = append(d.ConsumedIn, graph.Consumption{Batch: graph.BatchID(str(c["batch"])), Quantity: quantityOf(c), ProducedAt: timeOf(c["produced_at"])})
	}
	for _, x := range r.Maps("shipments") {
		l := shipmentOf(code, graph.CustomerID(str(x["customer_id"])), x)
		l.Customer.Contact = str(x["customer_contact"])
		d.Shipments = append(d.Shipments, l)
	}
	return d
}

// FindLots searches lots. The statement is chosen by the most selective filter given (a
// customer, a supplier, a code prefix, a product, else dates), so each runs from an index.
func (s *Store) FindLots(ctx context.Context, q graph.LotQuery) ([]graph.LotRecord, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("graph.FindLots: %w", err)
	}
	st, params := lotSearchStatement(q)
	return readTx(ctx, s, "graph.FindLots", func(t txn) ([]graph.LotRecord, error) {
		return collect(ctx, t, st, params, func(r *row) graph.LotRecord { return lotOf(r.Node("lot").Props) })
	})
}

// lotSearchStatement picks the statement and its parameters; filters not given are null.
func lotSearchStatement(q graph.LotQuery) (cypher.Statement, map[string]any) {
	params := map[string]any{
		"q": optional(q.CodePrefix), "product": optional(q.Product),
		"customer": optional(string(q.Customer)), "supplier": optional(string(q.Supplier)),
		"from": optionalTime(q.From), "to": optionalTime(q.To), "limit": q.Limit,
	}
	switch {
	case q.Customer != "":
		return cypher.LotsByCustomer, params
	case q.Supplier != "":
		return cypher.LotsBySupplier, params
	case q.CodePrefix != "":
		return cypher.LotsByCodePrefix, params
	case q.Product != "":
		return cypher.LotsByProduct, params
	default:
		// The date index serves a range only with both bounds: open ends become the widest.
		if q.From.IsZero() {
			params["from"] = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
		}
		if q.To.IsZero() {
			params["to"] = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
		}
		return cypher.LotsByDate, params
	}
}

func optionalTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}
