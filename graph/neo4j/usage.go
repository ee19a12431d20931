package neo4j

import (
	"context"
	"fmt"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// LotUsage returns each existing lot's quantity and its consumption and shipping totals over
// all of its relationships, in lot order. It runs apart from the trace that named the lots:
// events are only ever added, so a later read can show more use, never a contradiction.
func (s *Store) LotUsage(ctx context.Context, codes []graph.LotCode) ([]graph.LotUsage, error) {
	params := make([]string, len(codes))
	for i, c := range codes {
		params[i] = string(c)
	}
	result, err := s.read(ctx, func(tx driver.ManagedTransaction) (any, error) {
		res, err := tx.Run(ctx, cypher.LotUsage.Text, map[string]any{"codes": params})
		if err != nil {
			return nil, err
		}
		usage := []graph.LotUsage{}
		for res.Next(ctx) {
			rec := res.Record()
			get := func(k string) any { v, _ := rec.Get(k); return v }
			usage = append(usage, graph.LotUsage{
				Lot: graph.LotCode(str(get("code"))), Product: str(get("product")), Origin: graph.EventKind(str(get("origin"))),
				Quantity: graph.Quantity{Amount: toFloat(get("quantity")), Unit: str(get("unit"))},
				Consumed: quantities(get("consumed")), Shipped: quantities(get("shipped")),
			})
		}
		return usage, res.Err()
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.LotUsage (%d lots)", len(codes)), err)
	}
	return result.([]graph.LotUsage), nil
}

func quantities(v any) []graph.Quantity {
	list, _ := v.([]any)
	out := make([]graph.Quantity, 0, len(list))
	for _, x := range list {
		if m, ok := x.(map[string]any); ok {
			out = append(out, quantityOf(m))
		}
	}
	return out
}
