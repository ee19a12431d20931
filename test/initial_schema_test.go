package test

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// checkInitialSchema checks that an initial import left every constraint and index the
// schema files create, online (it creates the constraints on several sessions at once).
func checkInitialSchema(t *testing.T, drv driver.DriverWithContext) {
	t.Helper()
	ctx := context.Background()
	create := regexp.MustCompile(`(?m)^\s*CREATE (?:CONSTRAINT|INDEX) (\w+)`)
	want := map[string]string{}
	for _, st := range cypher.Schema() {
		for _, m := range create.FindAllStringSubmatch(st.Text, -1) {
			want[m[1]] = "ONLINE"
		}
	}
	res, err := driver.ExecuteQuery(ctx, drv, "SHOW INDEXES YIELD name, type, state WHERE type <> 'LOOKUP' RETURN name, state", nil,
		driver.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range res.Records {
		name, _ := r.Get("name")
		state, _ := r.Get("state")
		got[name.(string)], _ = state.(string)
	}
	if len(want) == 0 || !maps.Equal(got, want) {
		t.Errorf("after the initial import the indexes are %v; want %v (the schema files', online)", got, slices.Sorted(maps.Keys(want)))
	}
}
