package neo4j

import (
	"slices"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/cypher"
)

// CreateSchemaOnAFullDatabase runs the statements that create constraints on several
// sessions and every other one first: each schema file creates a constraint, an index or a
// token (db.createProperty), and those it takes for constraints create exactly
// RequiredConstraints.
func TestSchemaStatementsSplitIntoConstraintsAndTheRest(t *testing.T) {
	var constraints []string
	for _, st := range cypher.Schema() {
		if createsConstraint.MatchString(st.Text) {
			constraints = append(constraints, strings.Fields(st.Text[createsConstraint.FindStringIndex(st.Text)[1]:])[0])
			continue
		}
		if !strings.Contains(st.Text, " INDEX ") && !strings.Contains(st.Text, "CALL db.createProperty(") {
			t.Errorf("%s is taken for an index statement:\n%s", st.Name, st.Text)
		}
	}
	slices.Sort(constraints)
	want := slices.Sorted(slices.Values(RequiredConstraints))
	if !slices.Equal(constraints, want) {
		t.Errorf("the statements taken for constraints create %v; RequiredConstraints are %v", constraints, want)
	}
}
