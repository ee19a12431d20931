package console

import (
	"math"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
)

func TestAnalystQueryValidate(t *testing.T) {
	tests := []struct {
		query string
		want  string // "" when allowed, else the error code
	}{
		{"MATCH (l:Lot {code: $code}) RETURN l", ""},
		{"MATCH p = (:Lot)-[:CONSUMED_IN]->(:Batch) RETURN p LIMIT 5", ""},
		{"CALL db.labels()", ""},
		{"CALL db.labels YIELD label RETURN label", ""},
		{"CALL db.schema.visualization()", ""},
		{"CALL { MATCH (n) RETURN n } RETURN n", ""},
		{"MATCH (n) CALL (n) { RETURN n.code AS c } RETURN c", ""},
		{"MATCH (call) RETURN call", ""},
		{"MATCH (call:Lot) WITH call AS c RETURN c.call, c.load", ""},
		{"MATCH (show:Lot) RETURN show ORDER BY show.code", ""},
		{"RETURN {load: 1, call: 2, show: 3} AS m", ""},
		{"RETURN 'LOAD CSV FROM x' AS s, \"CALL dbms.listConfig()\" AS t // LOAD CSV", ""},
		{"/* CALL dbms.listConfig() */ RETURN 1", ""},
		{"RETURN date.truncate('month', date()) AS d, point.distance(point({x: 0, y: 0}), point({x: 1, y: 1})) AS p", ""},
		{"RETURN `load` AS `csv`", ""},
		{"RETURN 'it\\'s' AS s", ""},
		{"   ", graph.EINVALID},
		{"LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", graph.EFORBIDDEN},
		{"load csv with headers from 'https://x' as l return l", graph.EFORBIDDEN},
		{"LOAD/**/CSV FROM 'file:///etc/passwd' AS l RETURN l", graph.EFORBIDDEN},
		{"RETURN 1 AS a UNION LOAD CSV FROM 'file:///x' AS l RETURN l[0] AS a", graph.EFORBIDDEN},
		{"CALL dbms.listConfig()", graph.EFORBIDDEN},
		{"CALL `dbms`.`listConfig`()", graph.EFORBIDDEN},
		{"CALL `dbms.listConfig`()", graph.EFORBIDDEN},
		{"CALL db.createLabel('X')", graph.EFORBIDDEN},
		{"CALL db.stats.collect('QUERIES')", graph.EFORBIDDEN},
		{"CALL { CALL dbms.components() YIELD name RETURN name } RETURN name", graph.EFORBIDDEN},
		{"CALL/* hidden */dbms.listConfig()", graph.EFORBIDDEN},
		{"CALL dbms . listConfig()", graph.EFORBIDDEN},
		{"WITH 1.CALL dbms.listConfig() YIELD name RETURN name", graph.EFORBIDDEN},
		{"SHOW SETTINGS", graph.EFORBIDDEN},
		{"show transactions", graph.EFORBIDDEN},
		{"TERMINATE TRANSACTIONS 'neo4j-transaction-1'", graph.EFORBIDDEN},
		{"USE system MATCH (n) RETURN n", graph.EFORBIDDEN},
		{"RETURN apoc.cypher.runFirstColumnSingle('CALL dbms.listConfig()', {})", graph.EFORBIDDEN},
		{"RETURN `apoc.cypher.runFirstColumnSingle`('LOAD CSV FROM x AS l RETURN l', {})", graph.EFORBIDDEN},
		{"CALL\u00a0dbms.listConfig()", graph.EFORBIDDEN},
		{"LOAD\u001cCSV FROM 'file:///x' AS l RETURN l", graph.EFORBIDDEN},
		{"RETURN 1 \u2062 AS x", graph.EFORBIDDEN}, // an invisible operator outside a string
		{"RETURN 'open", graph.EFORBIDDEN},
		{"RETURN 1 /* open", graph.EFORBIDDEN},
		// Neo4j 5.26 reads \uXXXX escapes outside string literals as the characters they stand for.
		{`WITH 1 AS a \u004COAD CSV FROM 'file:///etc/passwd' AS r RETURN r[0] AS x UNION RETURN 'y' AS x`, graph.EFORBIDDEN},
		{`\u004c\u004f\u0041\u0044 CSV FROM 'file:///proc/self/environ' AS r RETURN r`, graph.EFORBIDDEN},
		{`WITH 1 AS a \u0043ALL db.info\u0028) YIELD name RETURN name`, graph.EFORBIDDEN},
		{`\u0043ALL db.info\u0028)`, graph.EFORBIDDEN},
		{`RETURN \u0061poc.cypher.runFirstColumnSingle('RETURN 1', {}) AS x`, graph.EFORBIDDEN},
		{`RETURN 1 \u0043ALL`, ""}, // CALL as a variable name: Neo4j fails on it, and says so
		{`RETURN \u0031 AS x`, ""},
		{`RETURN 'caf\u00e9' AS s, "\u0041" AS t`, ""},    // in a string, an escape is just text
		{`RETURN \u0027abc\u0027 AS x`, graph.EFORBIDDEN}, // an escaped quote outside a string
		{"RETURN \\u0060x\\u0060 AS x", graph.EFORBIDDEN},
		{`RETURN 1 AS x /\u002A LOAD CSV */`, graph.EFORBIDDEN},
		{"RETURN 1 AS x // \\u000A UNION LOAD CSV FROM 'file:///x' AS l RETURN l AS x", graph.EFORBIDDEN},
		{`RETURN \uu0031 AS x`, graph.EFORBIDDEN},
		{`RETURN \x41 AS x`, graph.EFORBIDDEN},
		{`RETURN 1 AS x\`, graph.EFORBIDDEN},
	}
	for _, tt := range tests {
		err := Query{Text: tt.query}.Validate()
		if got := graph.ErrorCode(err); got != tt.want {
			t.Errorf("Validate(%q) = %v (code %q), want code %q", tt.query, err, got, tt.want)
		}
	}
}

func TestAnalystQueryBounds(t *testing.T) {
	deepList := any(int64(1))
	for range MaxParamsDepth + 1 {
		deepList = []any{deepList}
	}
	tests := []struct {
		name   string
		q      Query
		want   string
		detail string // part of the message
	}{
		{"65536 characters", Query{Text: "RETURN 1 AS x " + strings.Repeat(" ", MaxQueryChars-14)}, "", ""},
		{"65537 characters", Query{Text: "RETURN 1 AS x " + strings.Repeat(" ", MaxQueryChars-13)}, graph.EMALFORMED, "at most 65536"},
		{"100 brackets", Query{Text: "RETURN " + strings.Repeat("(", 100) + "1" + strings.Repeat(")", 100) + " AS x"}, "", ""},
		{"101 brackets", Query{Text: "RETURN " + strings.Repeat("(", 101) + "1" + strings.Repeat(")", 101) + " AS x"}, graph.EMALFORMED, "nests"},
		{"500 brackets", Query{Text: "RETURN " + strings.Repeat("(", 500) + "1" + strings.Repeat(")", 500) + " AS x"}, graph.EMALFORMED, "nests"},
		{"500 lists", Query{Text: "RETURN " + strings.Repeat("[", 500) + "1" + strings.Repeat("]", 500) + " AS x"}, graph.EMALFORMED, "nests"},
		{"800 ANDs", Query{Text: "RETURN true" + strings.Repeat(" AND true", 800) + " AS x"}, graph.EMALFORMED, "nests"},
		{"3000 NOTs", Query{Text: "RETURN " + strings.Repeat("NOT ", 3000) + "true AS x"}, graph.EMALFORMED, "nests"},
		{"1000 property reads", Query{Text: "WITH {} AS x RETURN x" + strings.Repeat(".a", 1000) + " AS y"}, graph.EMALFORMED, "nests"},
		{"600 nested CASEs", Query{Text: "RETURN " + strings.Repeat("NOT CASE WHEN true THEN ", 600) + "true" + strings.Repeat(" END", 600) + " AS x"}, graph.EMALFORMED, "nests"},
		{"10 nested CASEs", Query{Text: "RETURN " + strings.Repeat("CASE WHEN x.end THEN ", 10) + "1" + strings.Repeat(" ELSE 0 END", 10) + " AS x"}, "", ""},
		{"25 UNIONs", Query{Text: "RETURN 1 AS x" + strings.Repeat(" UNION RETURN 1 AS x", 25)}, "", ""},
		{"26 UNIONs", Query{Text: "RETURN 1 AS x" + strings.Repeat(" UNION ALL RETURN 1 AS x", 26)}, graph.EMALFORMED, "26 UNIONs"},
		{"101 clauses", Query{Text: "WITH 1 AS x" + strings.Repeat(" WITH x", 99) + " RETURN x"}, graph.EMALFORMED, "101 clauses"},
		{"100 clauses", Query{Text: "WITH 1 AS x" + strings.Repeat(" WITH x", 98) + " RETURN x.with, x.match"}, "", ""},
		{"a 1000-hop pattern", Query{Text: "MATCH (a)" + strings.Repeat("-->()", 1000) + " RETURN a"}, graph.EMALFORMED, "nests"},
		{"500 escaped brackets", Query{Text: "RETURN " + strings.Repeat(`\u0028`, 500) + "1" + strings.Repeat(`\u0029`, 500) + " AS x"}, graph.EMALFORMED, "nests"},
		{"a long flat query", Query{Text: "UNWIND [" + strings.Repeat("'a' + 'b', ", 2000) + "1] AS x MATCH (l:Lot) WHERE l.code = 'a' AND l.product = 'b' OR l.x IN [1, 2] RETURN x, l.code, l.product"}, "", ""},
		{"params 32 deep", Query{Text: "RETURN $p AS p", Params: map[string]any{"p": deepList.([]any)[0]}}, "", ""},
		{"params 33 deep", Query{Text: "RETURN $p AS p", Params: map[string]any{"p": deepList}}, graph.EMALFORMED, "deep"},
		{"params of 2 MiB", Query{Text: "RETURN $p AS p", Params: map[string]any{"p": strings.Repeat("x", 2<<20)}}, graph.EMALFORMED, "at most 1048576"},
		{"a NaN parameter", Query{Text: "RETURN $p AS p", Params: map[string]any{"p": []any{math.NaN()}}}, graph.EMALFORMED, "params.p[0] is not a finite number"},
		{"an infinite parameter", Query{Text: "RETURN $p AS p", Params: map[string]any{"p": math.Inf(1)}}, graph.EMALFORMED, "finite"},
		{"a Go value", Query{Text: "RETURN $p AS p", Params: map[string]any{"p": []string{"a"}}}, graph.EMALFORMED, "not a JSON value"},
	}
	for _, tt := range tests {
		err := tt.q.Validate()
		if got := graph.ErrorCode(err); got != tt.want || (err != nil && !strings.Contains(graph.ErrorMessage(err), tt.detail)) {
			t.Errorf("%s: Validate = %v (code %q), want code %q mentioning %q", tt.name, err, got, tt.want, tt.detail)
		}
	}
}

func TestCheckOperator(t *testing.T) {
	tests := []struct {
		operator, details string
		allowed           bool
	}{
		{"ProduceResults@neo4j", "n", true},
		{"NodeUniqueIndexSeek@neo4j", "UNIQUE l:Lot(code) WHERE code = $code", true},
		{"ProcedureCall@neo4j", "db.labels() :: (label :: STRING)", true},
		{"ProcedureCall@neo4j", "dbms.listConfig() :: (name :: STRING)", false},
		{"LoadCSV@neo4j", "l", false},
		{"ShowSettings@neo4j", "allSettings", false},
		{"TerminateTransactions@neo4j", "transactions(x)", false},
		{"Expand(All)@neo4j", "(l)-[anon_0:CONSUMED_IN]->(b)", true},
		{"Create@neo4j", "(n:Lot)", false},
		{"SetProperty@neo4j", "l.product = $autostring_0", false},
		{"TransactionApply@neo4j", "IN TRANSACTIONS OF 1000 ROWS", false},
		{"Frobnicate@neo4j", "", false}, // an operator the list does not know
		{"ProcedureCall@neo4j", "", false},
		{"ProduceResults", "n", true},
	}
	for _, tt := range tests {
		err := checkOperator(tt.operator, tt.details, true)
		if (err == nil) != tt.allowed {
			t.Errorf("checkOperator(%s, %q) = %v, want allowed=%v", tt.operator, tt.details, err, tt.allowed)
		}
	}
}
