package neo4j

import (
	"context"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// schemaApplyTimeout bounds one application of the schema, whoever asked for it. Creating a
// constraint on a big database builds its index, which can take minutes.
const schemaApplyTimeout = 10 * time.Minute

// applySchemaShared applies the schema for every caller at once (the start-up wait, each
// /readyz) and never under a caller's deadline. A constraint whose creation is cut by the
// client (a readiness check's 2 s ran out on a busy machine) leaves Neo4j with the
// constraint's index and no constraint, and two creations at once refuse each other: both
// kept a service from ever becoming ready. A caller whose context ends first is told the
// schema is still being applied (503); the application goes on without it.
func (s *Store) applySchemaShared(ctx context.Context) error {
	done := s.schemaApply.DoChan("schema", func() (any, error) {
		applyCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), schemaApplyTimeout)
		defer cancel()
		return nil, s.ApplySchema(applyCtx)
	})
	select {
	case r := <-done:
		return r.Err
	case <-ctx.Done():
		return graph.Errorf(graph.EUNAVAILABLE, "the database's schema is still being applied")
	}
}

// CreateSchema creates the constraints and indexes, without ApplySchema's migration: for a
// database no earlier version wrote (an initial import's). A constraint refused because an
// index of its name exists without it (an earlier creation was cut: see
// orphan_constraint_indexes) is created again once that index is dropped.
func (s *Store) CreateSchema(ctx context.Context) error {
	for _, st := range cypher.Schema() {
		err := s.runSchemaStatement(ctx, st)
		if isNeo4jCode(err, "Neo.ClientError.Schema.IndexWithNameAlreadyExists") {
			var dropped int
			if dropped, err = s.dropOrphanConstraintIndexes(ctx); err == nil && dropped > 0 {
				err = s.runSchemaStatement(ctx, st)
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// runSchemaStatement runs one schema statement: they cannot share a transaction with others.
func (s *Store) runSchemaStatement(ctx context.Context, st cypher.Statement) error {
	_, err := writeTx(ctx, s, "graph.ApplySchema "+st.Name, func(t txn) (driver.ResultSummary, error) {
		return consume(ctx, t, st, nil)
	})
	return err
}

// dropOrphanConstraintIndexes drops the indexes named like a required constraint that no
// constraint owns, and says how many it dropped.
func (s *Store) dropOrphanConstraintIndexes(ctx context.Context) (int, error) {
	orphans, err := readTx(ctx, s, "graph.ApplySchema "+cypher.OrphanConstraintIndexes.Name, func(t txn) ([]string, error) {
		return collect(ctx, t, cypher.OrphanConstraintIndexes, map[string]any{"names": RequiredConstraints},
			func(r *row) string { return r.Str("name") })
	})
	if err != nil {
		return 0, err
	}
	for _, name := range orphans {
		s.logger.Warn("dropping an index left by a constraint creation that was cut; creating the constraint again", "index", name)
		_, err := writeTx(ctx, s, "graph.ApplySchema "+cypher.DropIndex.Name, func(t txn) (driver.ResultSummary, error) {
			return consume(ctx, t, cypher.DropIndex, map[string]any{"name": name})
		})
		if err != nil {
			return 0, err
		}
	}
	return len(orphans), nil
}
