package neo4j

import (
	"context"
	"fmt"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// BatchLines returns every input and output line of the batches, each with its lot, in batch
// and line order: what KDERows needs to show each transformation of an export whole. An id
// that names no batch is skipped. It runs apart from the trace that named the batches: events
// are only ever added, and a batch is stored with all of its lines at once, so the lines of
// a batch the trace reached are there, and the same.
func (s *Store) BatchLines(ctx context.Context, ids []graph.BatchID) ([]graph.BatchLine, error) {
	if len(ids) == 0 {
		return []graph.BatchLine{}, nil
	}
	params := make([]string, len(ids))
	for i, id := range ids {
		params[i] = string(id)
	}
	op := fmt.Sprintf("graph.BatchLines (%d batches)", len(ids))
	return readTx(ctx, s, op, func(t txn) ([]graph.BatchLine, error) {
		lines := []graph.BatchLine{}
		err := each(ctx, t, cypher.BatchLines, map[string]any{"ids": params}, func(r *row) error {
			batch, rel, lot := r.Str("batch"), r.Rel("edge"), r.Node("lot")
			if r.err != nil {
				return r.err
			}
			if rel.ElementId == "" || lot.ElementId == "" {
				return fmt.Errorf("%s: row without an edge or a lot", cypher.BatchLines.Name)
			}
			l := graph.BatchLine{Lot: storedNodeOf(lot)}
			from, to := l.Lot.ID, graph.NewNodeID(graph.KindBatch, batch)
			if graph.EdgeType(rel.Type) == graph.Produced {
				from, to = to, from
			}
			l.Edge = edgeOf(rel.ElementId, from, to, graph.EdgeType(rel.Type), rel.Props)
			lines = append(lines, l)
			return nil
		})
		return lines, err
	})
}
