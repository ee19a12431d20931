package graph

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// LotUsage returns each existing lot's quantity and its consumption and shipping totals over
// all of its relationships, in lot order. It runs apart from the trace that named the lots:
// events are only ever added, so a later read can show more use, never a contradiction.
func (s *Store) LotUsage(ctx context.Context, codes []LotCode) ([]LotUsage, error) {
	params := make([]string, len(codes))
	for i, c := range codes {
		params[i] = string(c)
	}
	result, err := s.read(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypher.LotUsage.Text, map[string]any{"codes": params})
		if err != nil {
			return nil, err
		}
		usage := []LotUsage{}
		for res.Next(ctx) {
			rec := res.Record()
			get := func(k string) any { v, _ := rec.Get(k); return v }
			usage = append(usage, LotUsage{
				Lot: LotCode(str(get("code"))), Product: str(get("product")), Origin: EventKind(str(get("origin"))),
				Quantity: Quantity{Amount: toFloat(get("quantity")), Unit: str(get("unit"))},
				Consumed: quantities(get("consumed")), Shipped: quantities(get("shipped")),
			})
		}
		return usage, res.Err()
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.LotUsage (%d lots)", len(codes)), err)
	}
	return result.([]LotUsage), nil
}

func quantities(v any) []Quantity {
	list, _ := v.([]any)
	out := make([]Quantity, 0, len(list))
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, quantityOf(m))
		}
	}
	return out
}
