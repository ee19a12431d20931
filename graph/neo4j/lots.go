package neo4j

import (
	"context"
	"fmt"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// Lot returns one lot with its origin, consumptions and shipments.
func (s *Store) Lot(ctx context.Context, code graph.LotCode) (*graph.LotDetail, error) {
	result, err := s.read(ctx, func(tx txn) (any, error) {
		res, err := tx.run(ctx, cypher.LotDetail, map[string]any{"code": string(code)})
		if err != nil {
			return nil, err
		}
		recs, err := res.Collect(ctx)
		if err != nil {
			return nil, err
		}
		if len(recs) == 0 {
			return nil, graph.Errorf(graph.ENOTFOUND, "lot %s not found", code)
		}
		return lotDetailOf(code, recs[0]), nil
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.Lot %s", code), err)
	}
	return result.(*graph.LotDetail), nil
}

func lotDetailOf(code graph.LotCode, rec *driver.Record) *graph.LotDetail {
	get := func(k string) any { v, _ := rec.Get(k); return v }
	d := &graph.LotDetail{Lot: lotOf(get("lot").(dbtype.Node).Props)}
	if sup, ok := get("supplier").(dbtype.Node); ok {
		r := receivingOf(graph.SupplierID(str(sup.Props["id"])), get("received").(dbtype.Relationship).Props)
		d.Received = &r
	}
	if b, ok := get("batch").(dbtype.Node); ok {
		rec := batchOf(b.Props)
		m := &graph.Making{Batch: graph.Batch{ID: rec.ID, Line: rec.Line}, ProducedAt: rec.ProducedAt, Location: rec.Location, Reference: rec.Reference}
		for _, v := range get("inputs").([]any) {
			in := v.(map[string]any)
			m.Inputs = append(m.Inputs, graph.LotQuantity{Lot: graph.LotCode(str(in["lot"])), Quantity: quantityOf(in)})
		}
		d.Made = m
	}
	for _, v := range get("consumed_in").([]any) {
		c := v.(map[string]any)
		d.ConsumedIn = append(d.ConsumedIn, graph.Consumption{Batch: graph.BatchID(str(c["batch"])), Quantity: quantityOf(c), ProducedAt: timeOf(c["produced_at"])})
	}
	for _, v := range get("shipments").([]any) {
		x := v.(map[string]any)
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
	result, err := s.read(ctx, func(tx txn) (any, error) {
		res, err := tx.run(ctx, st, params)
		if err != nil {
			return nil, err
		}
		lots := []graph.LotRecord{}
		for res.Next(ctx) {
			lots = append(lots, lotOf(res.Record().Values[0].(dbtype.Node).Props))
		}
		return lots, res.Err()
	})
	if err != nil {
		return nil, classify("graph.FindLots", err)
	}
	return result.([]graph.LotRecord), nil
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
