package console

import (
	"slices"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
)

// consoleExploits are queries that once got past the console's checks, or were meant to.
var consoleExploits = []string{
	`WITH 1 AS a \u004COAD CSV FROM 'file:///etc/passwd' AS r RETURN r[0] AS x UNION RETURN 'y' AS x`,
	`LOAD CSV FROM 'file:///proc/self/environ' AS r RETURN r`,
	`LOAD CSV FROM 'http://127.0.0.1:8080/healthz' AS r RETURN r`,
	`\u0043ALL db.info\u0028)`,
	`WITH 1 AS a \u0043ALL db.info\u0028) YIELD name RETURN name`,
	`RETURN 1 \u0043ALL`,
	`LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l[0] AS a UNION RETURN 'x' AS a`,
	`CALL { LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r } RETURN r`,
	`MATCH (l:Lot) WHERE EXISTS { LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r } RETURN l`,
	`MATCH (l:Lot) RETURN COUNT { LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r } AS c`,
	`MATCH (l:Lot) RETURN COLLECT { LOAD CSV FROM 'file:///etc/passwd' AS r RETURN r[0] } AS c`,
	`RETURN \u0027abc\u0027 AS x`,
	"RETURN 1 AS x // \\u000A UNION LOAD CSV FROM 'file:///x' AS l RETURN l AS x",
	"LOAD/**/CSV FROM 'file:///etc/passwd' AS l RETURN l",
	"CALL `dbms`.`listConfig`() YIELD name RETURN name",
	"RETURN apoc.cypher.runFirstColumnSingle('CALL dbms.listConfig()', {}) AS x",
	"RETURN " + strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500) + " AS x",
	"RETURN true" + strings.Repeat(" AND true", 800) + " AS x",
	"MATCH (l:Lot {code: $code})-[:CONSUMED_IN]->(b:Batch) RETURN l, b LIMIT 5",
}

// FuzzAnalystQueryValidate checks the console's text rules on any input: they never panic,
// answer only with the console's codes, decode escapes to a text that has none left to decode,
// and never accept a query whose decoded tokens say LOAD CSV or nest past the bound.
func FuzzAnalystQueryValidate(f *testing.F) {
	for _, q := range consoleExploits {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, text string) {
		err := Query{Text: text}.Validate()
		if code := graph.ErrorCode(err); !slices.Contains([]string{"", graph.EINVALID, graph.EMALFORMED, graph.EFORBIDDEN}, code) {
			t.Fatalf("Validate(%q) = %v: code %q", text, err, code)
		}
		decoded, derr := decodeEscapes(text)
		if derr == nil {
			if again, err := decodeEscapes(decoded); err != nil || again != decoded {
				t.Fatalf("decodeEscapes(%q) = %q, which decodes again to %q, %v", text, decoded, again, err)
			}
		}
		if err != nil {
			return
		}
		toks, lerr := lexCypher(text)
		if lerr != nil {
			t.Fatalf("Validate accepted %q, which does not lex: %v", text, lerr)
		}
		if nestingDepth(toks) > MaxQueryNesting {
			t.Fatalf("Validate accepted %q, nested %d deep", text, nestingDepth(toks))
		}
		for i := 1; i < len(toks); i++ {
			// After '.', ':' or '$' the word is a property key, label or parameter name
			// (":LOAD CSV" is the label LOAD, then a syntax error), never the clause.
			named := i > 1 && tokenAt(toks, i-2).isPunct(".", ":", "$")
			if !named && toks[i-1].kind == tokWord && toks[i].kind == tokWord &&
				strings.EqualFold(toks[i-1].text, "LOAD") && strings.EqualFold(toks[i].text, "CSV") {
				t.Fatalf("Validate accepted %q, which says LOAD CSV", text)
			}
		}
	})
}

// planCandidates are the operators FuzzCheckPlan builds plans from: allowed ones, and ones
// the console must refuse wherever they are.
var planCandidates = []PlanOperator{
	{Operator: "ProduceResults@neo4j"}, {Operator: "Union@neo4j"}, {Operator: "Apply@neo4j"},
	{Operator: "SemiApply@neo4j"}, {Operator: "CartesianProduct@neo4j"}, {Operator: "Filter@neo4j"},
	{Operator: "NodeByLabelScan@neo4j"}, {Operator: "Projection@neo4j"}, {Operator: "Argument@neo4j"},
	{Operator: "ProcedureCall@neo4j", Details: "db.labels() :: (label :: STRING)"},
	{Operator: "LoadCSV@neo4j"}, {Operator: "Create@neo4j"}, {Operator: "Frobnicate@neo4j"},
	{Operator: "ProcedureCall@neo4j", Details: "db.info() :: (name :: STRING)"},
	{Operator: "ShowSettings@neo4j"},
}

// planFromBytes builds a plan tree from fuzz input: each byte picks an operator and how many
// children (0 to 2) it has, depth first.
func planFromBytes(data []byte, pos *int, depth int) PlanOperator {
	if *pos >= len(data) {
		return PlanOperator{Operator: "Argument@neo4j"}
	}
	b := data[*pos]
	*pos++
	p := planCandidates[int(b)%len(planCandidates)]
	if depth < 40 {
		for range int(b>>4) % 3 {
			p.Children = append(p.Children, planFromBytes(data, pos, depth+1))
		}
	}
	return p
}

// allAllowed is CheckPlan's specification, written as plainly as possible.
func allAllowed(p PlanOperator) bool {
	name, _, _ := strings.Cut(p.Operator, "@")
	if !ReadOperators[name] {
		return false
	}
	if name == "ProcedureCall" && !slices.Contains(ReadOnlyProcedures, strings.TrimSpace(strings.Split(p.Details, "(")[0])) {
		return false
	}
	for _, c := range p.Children {
		if !allAllowed(c) {
			return false
		}
	}
	return true
}

// FuzzCheckPlan checks that CheckPlan allows a plan exactly when every operator in it, in
// every branch, is allowed.
func FuzzCheckPlan(f *testing.F) {
	f.Add([]byte{0x10, 0x21, 0x0a, 0x07})       // a UNION whose first branch loads a CSV
	f.Add([]byte{0x12, 0x26, 0x0d, 0x08, 0x07}) // an Apply whose first branch calls db.info
	f.Add([]byte{0x10, 0x25, 0x06, 0x07})
	f.Fuzz(func(t *testing.T, data []byte) {
		pos := 0
		plan := planFromBytes(data, &pos, 0)
		err := CheckPlan(plan, true)
		if want := allAllowed(plan); (err == nil) != want {
			t.Fatalf("CheckPlan(%+v) = %v, want allowed=%v", plan, err, want)
		}
		if err != nil && graph.ErrorCode(err) != graph.EFORBIDDEN {
			t.Fatalf("CheckPlan refused with %v, want EFORBIDDEN", err)
		}
	})
}
