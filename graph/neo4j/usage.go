package neo4j

import (
	"context"
	"fmt"

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
	return readTx(ctx, s, fmt.Sprintf("graph.LotUsage (%d lots)", len(codes)), func(t txn) ([]graph.LotUsage, error) {
		return collect(ctx, t, cypher.LotUsage, map[string]any{"codes": params}, func(r *row) graph.LotUsage {
			return graph.LotUsage{
				Lot: graph.LotCode(r.Str("code")), Product: r.Str("product"), Origin: graph.EventKind(r.Str("origin")),
				Quantity: graph.Quantity{Amount: r.Float("quantity"), Unit: r.Str("unit")},
				Consumed: quantities(r.Maps("consumed")), Shipped: quantities(r.Maps("shipped")),
			}
		})
	})
}

func quantities(maps []map[string]any) []graph.Quantity {
	out := make([]graph.Quantity, len(maps))
	for i, m := range maps {
		out[i] = quantityOf(m)
	}
	return out
}
