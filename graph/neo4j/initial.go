package neo4j

import (
	"context"
	"regexp"
	"sync"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// CreateSchemaOnAFullDatabase creates the constraints and indexes, as CreateSchema does, on a
// database an initial import has just filled. There each uniqueness constraint's statement
// lasts until its index is populated and checked (seconds on a large history), and one
// population keeps about one core busy: so the plain indexes are created first (their
// statements return at once and they fill in the background), then the constraints on
// `parallel` sessions at once. Await the indexes afterwards.
func (s *Store) CreateSchemaOnAFullDatabase(ctx context.Context, parallel int) error {
	var constraints []cypher.Statement
	for _, st := range cypher.Schema() {
		if createsConstraint.MatchString(st.Text) {
			constraints = append(constraints, st)
			continue
		}
		if err := s.schemaStatement(ctx, st); err != nil {
			return err
		}
	}
	next := make(chan cypher.Statement)
	errs := make(chan error, len(constraints))
	var wg sync.WaitGroup
	for range max(parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for st := range next {
				errs <- s.schemaStatement(ctx, st)
			}
		}()
	}
	for _, st := range constraints {
		next <- st
	}
	close(next)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// createsConstraint finds a schema statement that creates a constraint (not in a comment).
var createsConstraint = regexp.MustCompile(`(?m)^\s*CREATE CONSTRAINT\b`)

// schemaStatement runs one schema statement alone: it cannot share a transaction.
func (s *Store) schemaStatement(ctx context.Context, st cypher.Statement) error {
	_, err := writeTx(ctx, s, "graph.ApplySchema "+st.Name, func(t txn) (driver.ResultSummary, error) {
		return consume(ctx, t, st, nil)
	})
	return err
}

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
