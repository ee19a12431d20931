package test

import (
	"context"
	"slices"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// write runs write Cypher on the shared database, for tests that set up what an earlier
// version could have stored.
func write(t *testing.T, cypher string, params map[string]any) {
	t.Helper()
	sharedStore(t)
	if _, err := driver.ExecuteQuery(context.Background(), shared.driver, cypher, params, driver.EagerResultTransformer); err != nil {
		t.Fatalf("write %q: %v", cypher, err)
	}
}

// TestSchemaMigratesShipmentLineCopies opens a database as an earlier version left it, without
// the shipment-line constraint and with a shipment line stored three times by racing
// requests: applying the schema keeps one copy and creates the constraint. Copies that differ
// stop it with an error naming them, until they are resolved.
//
// It is not parallel: it drops a constraint every other test relies on, and Go runs the
// parallel tests only after the others have finished.
func TestSchemaMigratesShipmentLineCopies(t *testing.T) {
	store := sharedStore(t)
	ctx := context.Background()
	tg := tag(t)
	t.Cleanup(func() {
		write(t, `MATCH (n) WHERE coalesce(n.code, n.id) STARTS WITH $tag DETACH DELETE n`, map[string]any{"tag": tg})
		if err := store.ApplySchema(ctx); err != nil {
			t.Errorf("restoring the schema: %v", err)
		}
	})
	write(t, `DROP CONSTRAINT shipped_to_line_unique IF EXISTS`, nil)
	write(t, `
		CREATE (l:Lot {code: $tag + 'FG-1', quantity: 10.0, unit: 'case'}), (c:Customer {id: $tag + 'CUST'})
		WITH l, c
		UNWIND range(1, 3) AS copy
		CREATE (l)-[:SHIPPED_TO {shipment_id: $tag + 'SH-SAME', line: 1, quantity: 2.0, unit: 'case', fingerprint: 'f1'}]->(c)
		WITH DISTINCT l, c
		UNWIND ['f2', 'f3'] AS version
		CREATE (l)-[:SHIPPED_TO {shipment_id: $tag + 'SH-DIFF', line: 1, quantity: 1.0, unit: 'case', fingerprint: version}]->(c)`,
		map[string]any{"tag": tg})

	err := store.ApplySchema(ctx)
	if err == nil || !strings.Contains(err.Error(), tg+"SH-DIFF line 1") || strings.Contains(err.Error(), "SH-SAME") {
		t.Fatalf("ApplySchema with differing copies: %v, want an error naming %sSH-DIFF line 1 only", err, tg)
	}
	if have, _ := store.SchemaConstraints(ctx); slices.Contains(have, "shipped_to_line_unique") {
		t.Fatal("the constraint was created over differing copies")
	}
	// Someone resolves the differing copies by hand.
	write(t, `MATCH ()-[s:SHIPPED_TO {shipment_id: $id, fingerprint: 'f3'}]->() DELETE s`, map[string]any{"id": tg + "SH-DIFF"})

	if err := store.ApplySchema(ctx); err != nil {
		t.Fatalf("ApplySchema: %v", err)
	}
	if err := store.Ready(ctx); err != nil {
		t.Fatalf("Ready: %v", err)
	}
	rows := query(t, `MATCH ()-[s:SHIPPED_TO]->() WHERE s.shipment_id STARTS WITH $tag
		RETURN s.shipment_id AS id, count(*) AS n ORDER BY id`, map[string]any{"tag": tg})
	if len(rows) != 2 || rows[0]["n"] != int64(1) || rows[1]["n"] != int64(1) {
		t.Fatalf("shipment lines after the migration: %v, want one of each", rows)
	}
	// The constraint now refuses a copy.
	_, err = driver.ExecuteQuery(ctx, shared.driver, `
		MATCH (l:Lot {code: $tag + 'FG-1'}), (c:Customer {id: $tag + 'CUST'})
		CREATE (l)-[:SHIPPED_TO {shipment_id: $tag + 'SH-SAME', line: 1, fingerprint: 'f1'}]->(c)`,
		map[string]any{"tag": tg}, driver.EagerResultTransformer)
	if err == nil || !strings.Contains(err.Error(), "ConstraintValidationFailed") {
		t.Fatalf("a second copy of a shipment line: %v, want a constraint violation", err)
	}
}
