package graph

import (
	"encoding/json"
	"runtime"
	"strings"
	"testing"
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
		case tt.want != "" && (ErrorCode(err) != EFORBIDDEN || !strings.Contains(ErrorMessage(err), tt.want)):
			t.Errorf("%s: %v, want a refusal naming %s", tt.name, err, tt.want)
		}
	}
}

// TestResultRowStopsAtTheByteCap converts a row holding a list of five million integers (what
// RETURN range(1, 5000000) gives) with an 8 MiB budget: the conversion must fail, and stop
// early rather than copy the whole list first.
func TestResultRowStopsAtTheByteCap(t *testing.T) {
	huge := make([]any, 5_000_000)
	for i := range huge {
		huge[i] = int64(i + 1000)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, ok := resultRow([]any{huge}, DefaultQueryMaxBytes)
	runtime.ReadMemStats(&after)
	if ok {
		t.Fatal("a row of 5,000,000 integers fits an 8 MiB budget")
	}
	// A whole copy is at least 5,000,000 16-byte interface values (76 MiB); stopping at the
	// budget keeps about 400,000 of them, allocated a few times over as the list grows.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 48<<20 {
		t.Errorf("converting allocated %d MiB before stopping, want it to stop near the 8 MiB budget", grew>>20)
	}

	// Rows that fit come back whole, with what is left of the budget.
	small := []any{"a<b", int64(42), []any{true, nil, 1.5}, map[string]any{"k": "v"}}
	row, left, ok := resultRow(small, 1000)
	raw, _ := json.Marshal(row)
	if !ok || len(row) != 4 || left <= 0 || 1000-left < len(raw) {
		t.Errorf("a small row: ok=%v left=%d, want it whole with at least its JSON size (%d bytes, %s) spent", ok, left, len(raw), raw)
	}
}

func TestJSONStringSizeCoversEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\`, "<script>&", "\x00\x01\n\t", "café ✓"} {
		raw, _ := json.Marshal(s)
		if got := jsonStringSize(s); got < len(raw) {
			t.Errorf("jsonStringSize(%q) = %d, below its JSON size %d", s, got, len(raw))
		}
	}
}
