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
			op("Apply", "", op("Create", "(n)"), op("Argument", "")), op("AllNodesScan", "m"))), "Create"},
	}
	for _, tt := range tests {
		err := CheckPlan(tt.plan)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want allowed", tt.name, err)
		case tt.want != "" && (graph.ErrorCode(err) != graph.EFORBIDDEN || !strings.Contains(graph.ErrorMessage(err), tt.want)):
			t.Errorf("%s: %v, want a refusal naming %s", tt.name, err, tt.want)
		}
	}
}
