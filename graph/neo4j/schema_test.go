package neo4j

import (
	"regexp"
	"slices"
	"testing"

	"github.com/lot-trace/lot-trace/cypher"
)

// TestRequiredConstraintsAreTheSchemaFiles: readiness waits for every uniqueness constraint
// the schema files create, so a new constraint file that RequiredConstraints forgets is caught
// here rather than by a service that answers ready without it.
func TestRequiredConstraintsAreTheSchemaFiles(t *testing.T) {
	create := regexp.MustCompile(`CREATE CONSTRAINT (\w+)`)
	var inFiles []string
	for _, st := range cypher.Schema() {
		for _, m := range create.FindAllStringSubmatch(st.Text, -1) {
			inFiles = append(inFiles, m[1])
		}
	}
	if len(inFiles) == 0 {
		t.Fatal("no CREATE CONSTRAINT in the schema files")
	}
	for _, name := range inFiles {
		if !slices.Contains(RequiredConstraints, name) {
			t.Errorf("schema constraint %s is not in RequiredConstraints", name)
		}
	}
	for _, name := range RequiredConstraints {
		if !slices.Contains(inFiles, name) {
			t.Errorf("RequiredConstraints names %s, which no schema file creates", name)
		}
	}
}
