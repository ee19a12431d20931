package neo4j

import (
	"context"
	"fmt"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

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
	result, err := s.read(ctx, func(tx txn) (any, error) {
		res, err := tx.run(ctx, cypher.BatchLines, map[string]any{"ids": params})
		if err != nil {
			return nil, err
		}
		lines := []graph.BatchLine{}
		for res.Next(ctx) {
			rec := res.Record()
			batch, _ := rec.Get("batch")
			edge, _ := rec.Get("edge")
			lot, _ := rec.Get("lot")
			r, okEdge := edge.(dbtype.Relationship)
			n, okLot := lot.(dbtype.Node)
			if !okEdge || !okLot {
				return nil, fmt.Errorf("%s: row without an edge or a lot", cypher.BatchLines.Name)
			}
			l := graph.BatchLine{Lot: storedNodeOf(n)}
			from, to := l.Lot.ID, graph.NewNodeID(graph.KindBatch, str(batch))
			if graph.EdgeType(r.Type) == graph.Produced {
				from, to = to, from
			}
			l.Edge = edgeOf(r.ElementId, from, to, graph.EdgeType(r.Type), r.Props)
			lines = append(lines, l)
		}
		return lines, res.Err()
	})
	if err != nil {
		return nil, classify(fmt.Sprintf("graph.BatchLines (%d batches)", len(ids)), err)
	}
	return result.([]graph.BatchLine), nil
}
