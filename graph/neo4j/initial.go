package neo4j

import (
	"context"
	"time"

	"github.com/lot-trace/lot-trace/cypher"
)

// IsEmpty reports whether the database holds no node at all.
func (s *Store) IsEmpty(ctx context.Context) (bool, error) {
	return readTx(ctx, s, "graph.IsEmpty", func(t txn) (bool, error) {
		empty, _, err := single(ctx, t, cypher.DatabaseIsEmpty, nil, func(r *row) bool { return r.Bool("empty") })
		return empty, err
	})
}

// AwaitIndexes waits until every index is online, at most wait.
func (s *Store) AwaitIndexes(ctx context.Context, wait time.Duration) error {
	_, err := readTx(ctx, s, "graph.AwaitIndexes", func(t txn) (struct{}, error) {
		_, err := consume(ctx, t, cypher.AwaitIndexes, map[string]any{"seconds": int64(max(1, wait/time.Second))})
		return struct{}{}, err
	})
	return err
}

// Counts returns how many nodes and relationships the database holds.
func (s *Store) Counts(ctx context.Context) (nodes, relationships int64, err error) {
	type counts struct{ nodes, rels int64 }
	c, err := readTx(ctx, s, "graph.Counts", func(t txn) (counts, error) {
		c, _, err := single(ctx, t, cypher.GraphCounts, nil, func(r *row) counts {
			return counts{nodes: r.Int("nodes"), rels: r.Int("relationships")}
		})
		return c, err
	})
	return c.nodes, c.rels, err
}
