package graph

import (
	"errors"
	"testing"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
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
		{"   ", EINVALID},
		{"LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l", EFORBIDDEN},
		{"load csv with headers from 'https://x' as l return l", EFORBIDDEN},
		{"LOAD/**/CSV FROM 'file:///etc/passwd' AS l RETURN l", EFORBIDDEN},
		{"RETURN 1 AS a UNION LOAD CSV FROM 'file:///x' AS l RETURN l[0] AS a", EFORBIDDEN},
		{"CALL dbms.listConfig()", EFORBIDDEN},
		{"CALL `dbms`.`listConfig`()", EFORBIDDEN},
		{"CALL `dbms.listConfig`()", EFORBIDDEN},
		{"CALL db.createLabel('X')", EFORBIDDEN},
		{"CALL db.stats.collect('QUERIES')", EFORBIDDEN},
		{"CALL { CALL dbms.components() YIELD name RETURN name } RETURN name", EFORBIDDEN},
		{"CALL/* hidden */dbms.listConfig()", EFORBIDDEN},
		{"CALL dbms . listConfig()", EFORBIDDEN},
		{"WITH 1.CALL dbms.listConfig() YIELD name RETURN name", EFORBIDDEN},
		{"SHOW SETTINGS", EFORBIDDEN},
		{"show transactions", EFORBIDDEN},
		{"TERMINATE TRANSACTIONS 'neo4j-transaction-1'", EFORBIDDEN},
		{"USE system MATCH (n) RETURN n", EFORBIDDEN},
		{"RETURN apoc.cypher.runFirstColumnSingle('CALL dbms.listConfig()', {})", EFORBIDDEN},
		{"RETURN `apoc.cypher.runFirstColumnSingle`('LOAD CSV FROM x AS l RETURN l', {})", EFORBIDDEN},
		{"CALL\u00a0dbms.listConfig()", EFORBIDDEN},
		{"LOAD\u001cCSV FROM 'file:///x' AS l RETURN l", EFORBIDDEN},
		{"RETURN 1 \u2062 AS x", EFORBIDDEN}, // an invisible operator outside a string
		{"RETURN 'open", EFORBIDDEN},
		{"RETURN 1 /* open", EFORBIDDEN},
	}
	for _, tt := range tests {
		err := AnalystQuery{Text: tt.query}.Validate()
		if got := ErrorCode(err); got != tt.want {
			t.Errorf("Validate(%q) = %v (code %q), want code %q", tt.query, err, got, tt.want)
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
	}
	for _, tt := range tests {
		err := checkOperator(tt.operator, tt.details)
		if (err == nil) != tt.allowed {
			t.Errorf("checkOperator(%s, %q) = %v, want allowed=%v", tt.operator, tt.details, err, tt.allowed)
		}
	}
}

func TestUnshiftPosition(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Invalid input ')' (line 2, column 14 (offset: 56))", "Invalid input ')' (line 1, column 14 (offset: 48))"},
		{"Invalid input (line 3, column 1 (offset: 70))", "Invalid input (line 2, column 1 (offset: 62))"},
		{"Expected exactly one statement per query but got: 2 (line 0, column 0 (offset: 8))", "Expected exactly one statement per query but got: 2 (line 0, column 0 (offset: 0))"},
	}
	for _, tt := range tests {
		err := unshiftPosition(&neo4j.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: tt.in})
		var ne *neo4j.Neo4jError
		if !errors.As(err, &ne) || ne.Msg != tt.want || ne.Code != "Neo.ClientError.Statement.SyntaxError" {
			t.Errorf("unshiftPosition(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}
