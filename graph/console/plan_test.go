package console

import (
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
)

func op(name, details string, children ...PlanOperator) PlanOperator {
	return PlanOperator{Operator: name + "@neo4j", Details: details, Children: children}
}

func TestCheckPlan(t *testing.T) {
	union := func(first, second PlanOperator) PlanOperator {
		return op("ProduceResults", "x", op("Distinct", "x", op("Union", "", first, second)))
	}
	loadCSV := op("Projection", "r[0] AS x", op("LoadCSV", "r", op("Projection", "1 AS a")))
	plain := op("Projection", "'y' AS x")
	tests := []struct {
		name string
		plan PlanOperator
		want string // "" when allowed, else part of the refusal
	}{
		{"a read", op("ProduceResults", "l", op("Filter", "l.code = $c", op("NodeByLabelScan", "l:Lot"))), ""},
		{"LOAD CSV in the first branch of a UNION", union(loadCSV, plain), "LoadCSV"},
		{"LOAD CSV in the second branch of a UNION", union(plain, loadCSV), "LoadCSV"},
		{"LOAD CSV in an EXISTS subquery", op("ProduceResults", "l", op("SemiApply", "", op("NodeByLabelScan", "l:Lot"), op("LoadCSV", "r"))), "LoadCSV"},
		{"a procedure in the first branch of an Apply", op("ProduceResults", "n", op("Apply", "",
			op("ProcedureCall", "dbms.components() :: (name :: STRING)"), op("Argument", ""))), "dbms.components"},
		{"an allowed procedure", op("ProduceResults", "label", op("ProcedureCall", "db.labels() :: (label :: STRING)")), ""},
		{"an operator the list does not know", union(plain, op("Frobnicate", "")), "Frobnicate"},
		{"a write deep in the first branch", op("ProduceResults", "", op("CartesianProduct", "",
			op("Apply", "", op("Create", "(n)"), op("Argument", "")), op("NodeByLabelScan", "m:Lot"))), "Create"},
	}
	for _, tt := range tests {
		err := CheckPlan(tt.plan, true)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want allowed", tt.name, err)
		case tt.want != "" && (graph.ErrorCode(err) != graph.EFORBIDDEN || !strings.Contains(graph.ErrorMessage(err), tt.want)):
			t.Errorf("%s: %v, want a refusal naming %s", tt.name, err, tt.want)
		}
	}
}

// TestCheckPlanKeepsOutTheAuditTrail: the plans Neo4j 5.26 makes for queries that could read
// the audit entries (their details as EXPLAIN gives them) are refused, and reads of other
// labels are not. Plans that name the label are refused always; plans that reach nodes of
// any label only while the database holds entries.
func TestCheckPlanKeepsOutTheAuditTrail(t *testing.T) {
	read := func(leaf PlanOperator) PlanOperator { return op("ProduceResults", "n", leaf) }
	namingTheLabel := map[string]PlanOperator{
		"MATCH (n:AuditEntry)":         read(op("NodeByLabelScan", "n:AuditEntry")),
		"MATCH (n:auditentry)":         read(op("NodeByLabelScan", "n:auditentry")),
		"MATCH (n:Lot|AuditEntry)":     read(op("UnionNodeByLabelsScan", "n:Lot|AuditEntry")),
		"MATCH (n) WHERE n:AuditEntry": read(op("Filter", "n:AuditEntry", op("NodeByLabelScan", "n:Lot"))),
		"an index seek":                read(op("NodeUniqueIndexSeek", "UNIQUE x:AuditEntry(id, phase) WHERE id = $a")),
	}
	anyLabel := map[string]PlanOperator{
		"MATCH (n)":          read(op("AllNodesScan", "n")),
		"MATCH (n:$($l))":    read(op("Filter", "n:$all($l)", op("AllNodesScan", "n"))),
		"MATCH (n:!Lot)":     read(op("Filter", "NOT n:Lot", op("AllNodesScan", "n"))),
		"elementId(n) = $id": read(op("NodeByElementIdSeek", "n WHERE elementId(n) = $id")),
		"id(n) = 3":          read(op("NodeByIdSeek", "n WHERE id(n) = $autoint_0")),
		"count of all nodes": read(op("NodeCountFromCountStore", "count( () ) AS `count(n)`")),
		"deep in a subquery": read(op("Apply", "", op("NodeByLabelScan", "l:Lot"), op("Optional", "", op("AllNodesScan", "m")))),
	}
	refused := func(name string, plan PlanOperator, trailStored bool) {
		t.Helper()
		err := CheckPlan(plan, trailStored)
		if graph.ErrorCode(err) != graph.EFORBIDDEN || !strings.Contains(graph.ErrorMessage(err), "audit trail") {
			t.Errorf("%s (trail stored: %v): %v, want a refusal naming the audit trail", name, trailStored, err)
		}
	}
	for name, plan := range namingTheLabel {
		refused(name, plan, true)
		refused(name, plan, false)
	}
	for name, plan := range anyLabel {
		refused(name, plan, true)
		if err := CheckPlan(plan, false); err != nil {
			t.Errorf("%s with no trail in the database: %v, want allowed", name, err)
		}
	}
	allowed := map[string]PlanOperator{
		"MATCH (n:Lot)":                  read(op("NodeByLabelScan", "n:Lot")),
		"count of one label":             read(op("NodeCountFromCountStore", "count( (:Lot) ) AS `count(n)`")),
		"count of relationships":         read(op("RelationshipCountFromCountStore", "count( ()-[]->() ) AS `count(r)`")),
		"a label that contains the word": read(op("NodeByLabelScan", "n:AuditEntryArchive")),
		"all relationships":              read(op("Filter", "a:Lot", op("UndirectedAllRelationshipsScan", "(a)-[r]-(b)"))),
	}
	for name, plan := range allowed {
		if err := CheckPlan(plan, true); err != nil {
			t.Errorf("%s: %v, want allowed", name, err)
		}
	}
}
