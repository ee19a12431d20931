package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
)

// cypherAnswer is the answer of POST /api/v1/cypher.
type cypherAnswer struct {
	Columns   []string `json:"columns"`
	Rows      [][]any  `json:"rows"`
	Truncated bool     `json:"truncated"`
	CutBy     string   `json:"cut_by"`
	TookMS    float64  `json:"took_ms"`
}

// cypher sends a console query and returns the status, the raw body and, on 200, the answer.
func (c *apiClient) cypher(query string, params map[string]any) (int, []byte, cypherAnswer) {
	c.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "params": params})
	if err != nil {
		c.t.Fatal(err)
	}
	status, raw := c.do(http.MethodPost, "/api/v1/cypher", "application/json", string(body))
	var out cypherAnswer
	if status == http.StatusOK {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("cypher answer: %v: %s", err, raw)
		}
	}
	return status, raw, out
}

// graphSnapshot is everything stored under a tag: nodes with labels and properties, and their
// outgoing relationships with properties, in a stable order.
func graphSnapshot(t *testing.T, tg string) []any {
	t.Helper()
	row := query(t, `
		MATCH (n) WHERE coalesce(n.code, n.id) STARTS WITH $tag
		OPTIONAL MATCH (n)-[r]->(m)
		WITH n, r, m ORDER BY elementId(n), elementId(r)
		RETURN collect([elementId(n), labels(n), properties(n), type(r), properties(r), elementId(m)]) AS snapshot`,
		map[string]any{"tag": tg})[0]
	return row["snapshot"].([]any)
}

// schemaNames lists the indexes and constraints whose name starts with prefix.
func schemaNames(t *testing.T, prefix string) []any {
	t.Helper()
	idx := query(t, "SHOW INDEXES YIELD name WHERE name STARTS WITH $p RETURN collect(name) AS names", map[string]any{"p": prefix})[0]["names"].([]any)
	con := query(t, "SHOW CONSTRAINTS YIELD name WHERE name STARTS WITH $p RETURN collect(name) AS names", map[string]any{"p": prefix})[0]["names"].([]any)
	return append(idx, con...)
}

// TestCypherRefusesWritesAndChangesNothing sends every kind of write the console must refuse,
// each aimed at the test's own data, and checks that each answers 403 and that the data and
// the schema are exactly as before.
func TestCypherRefusesWritesAndChangesNothing(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	tg := loadBakery(t, s.as(api.RoleWriter))
	schemaPrefix := "lt_" + strings.ToLower(strings.Trim(tg, "-"))
	before := graphSnapshot(t, tg)
	if len(before) == 0 {
		t.Fatal("the snapshot of the bakery is empty")
	}
	params := map[string]any{"tag": tg}
	writes := []struct{ name, query string }{
		{"CREATE", "CREATE (:Lot {code: $tag + 'NEW'})"},
		{"MERGE", "MERGE (l:Lot {code: $tag + 'MERGED'}) RETURN l"},
		{"SET", "MATCH (l:Lot {code: $tag + 'FLOUR-A'}) SET l.product = 'CHANGED' RETURN l"},
		{"SET on a relationship", "MATCH (:Lot {code: $tag + 'FG-1'})-[r:SHIPPED_TO]->() SET r.quantity = 0"},
		{"DELETE", "MATCH (l:Lot {code: $tag + 'FG-3'}) DETACH DELETE l"},
		{"REMOVE a property", "MATCH (l:Lot {code: $tag + 'FLOUR-A'}) REMOVE l.product RETURN l"},
		{"REMOVE a label", "MATCH (l:Lot {code: $tag + 'FLOUR-A'}) REMOVE l:Lot RETURN l"},
		{"FOREACH", "FOREACH (i IN [1] | CREATE (:Lot {code: $tag + 'FE'}))"},
		{"a writing procedure", "CALL db.createLabel('Smuggled')"},
		{"a writing procedure in a subquery", "CALL { CALL db.createProperty('smuggled') } RETURN 1 AS x"},
		{"a READ procedure with effects", "CALL db.stats.collect('QUERIES')"},
		{"LOAD CSV", "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l"},
		{"LOAD CSV that writes", "LOAD CSV FROM 'file:///etc/passwd' AS l CREATE (:Lot {code: $tag + l[0]})"},
		{"LOAD CSV in the first branch of a UNION", "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l[0] AS a UNION RETURN 'x' AS a"},
		{"a write in a subquery", "MATCH (l:Lot {code: $tag + 'FG-1'}) CALL { WITH l CREATE (:Lot {code: $tag + 'SUB'}) } RETURN l"},
		{"a write in a scoped subquery", "MATCH (l:Lot {code: $tag + 'FG-1'}) CALL (l) { SET l.product = 'CHANGED' } RETURN l"},
		{"a write in a UNION", "MATCH (l:Lot {code: $tag + 'FG-1'}) RETURN l.code AS c UNION CREATE (n:Lot {code: $tag + 'UNION'}) RETURN n.code AS c"},
		{"a write in the first branch of a UNION", "CREATE (n:Lot {code: $tag + 'UNION1'}) RETURN n.code AS c UNION MATCH (l:Lot {code: $tag + 'FG-1'}) RETURN l.code AS c"},
		{"a write in transactions", "CALL { MATCH (l:Lot {code: $tag + 'FG-1'}) SET l.product = 'CHANGED' } IN TRANSACTIONS"},
		{"CREATE INDEX", "CREATE INDEX " + schemaPrefix + "_idx IF NOT EXISTS FOR (n:Lot) ON (n.description)"},
		{"CREATE CONSTRAINT", "CREATE CONSTRAINT " + schemaPrefix + "_con IF NOT EXISTS FOR (n:Lot) REQUIRE n.supplier_lot IS UNIQUE"},
		{"DROP CONSTRAINT", "DROP CONSTRAINT lot_code_unique"},
		{"dbms.listConfig", "CALL dbms.listConfig()"},
		{"dbms.listConfig spelled with backticks", "CALL `dbms`.`listConfig`() YIELD name RETURN name"},
		{"SHOW SETTINGS", "SHOW SETTINGS"},
		{"SHOW TRANSACTIONS", "SHOW TRANSACTIONS"},
		{"TERMINATE TRANSACTIONS", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'"},
		{"a plugin function", "RETURN apoc.cypher.runFirstColumnSingle('CALL dbms.listConfig()', {}) AS x"},
	}
	analyst := s.as(api.RoleAnalyst)
	for _, w := range writes {
		status, raw, _ := analyst.cypher(w.query, params)
		if status != http.StatusForbidden {
			t.Errorf("%s: %d %s, want 403", w.name, status, raw)
			continue
		}
		if p := decodeObject(t, raw); !strings.Contains(fmt.Sprint(p["detail"]), "read-only") {
			t.Errorf("%s: the problem does not say why: %s", w.name, raw)
		}
	}
	if after := graphSnapshot(t, tg); !reflect.DeepEqual(before, after) {
		t.Errorf("the refused writes changed the graph:\nbefore %v\nafter  %v", before, after)
	}
	if names := schemaNames(t, schemaPrefix); len(names) != 0 {
		t.Errorf("the refused schema commands created %v", names)
	}
	if got := query(t, "SHOW CONSTRAINTS YIELD name WHERE name = 'lot_code_unique' RETURN count(*) AS n", nil)[0]["n"]; got != int64(1) {
		t.Errorf("constraint lot_code_unique: %v after a refused DROP, want it still there", got)
	}
}

// TestCypherReads checks the typed answers: nodes, relationships, paths, temporal values,
// lists and maps, and parameters.
func TestCypherReads(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	tg := loadBakery(t, s.as(api.RoleWriter))
	analyst := s.as(api.RoleAnalyst)

	status, raw, ans := analyst.cypher("MATCH (l:Lot {code: $code}) RETURN l", map[string]any{"code": tg + "FLOUR-A"})
	if status != http.StatusOK || len(ans.Rows) != 1 || !reflect.DeepEqual(ans.Columns, []string{"l"}) {
		t.Fatalf("a node: %d %s", status, raw)
	}
	node := ans.Rows[0][0].(map[string]any)
	props := node["properties"].(map[string]any)
	if node["id"] == "" || fmt.Sprint(node["labels"]) != "[Lot]" || props["code"] != tg+"FLOUR-A" {
		t.Errorf("node %v: want id, labels [Lot] and its properties", node)
	}
	if at, ok := props["origin_at"].(string); !ok || at != "2026-10-01T07:00:00Z" {
		t.Errorf("the stored datetime origin_at = %#v, want an ISO string", props["origin_at"])
	}

	_, raw, ans = analyst.cypher("MATCH (l:Lot {code: $code})-[r:CONSUMED_IN]->(b:Batch) RETURN l, r, b", map[string]any{"code": tg + "FLOUR-A"})
	if len(ans.Rows) != 1 {
		t.Fatalf("a relationship: %s", raw)
	}
	lot, rel, batch := ans.Rows[0][0].(map[string]any), ans.Rows[0][1].(map[string]any), ans.Rows[0][2].(map[string]any)
	if rel["type"] != "CONSUMED_IN" || rel["start"] != lot["id"] || rel["end"] != batch["id"] || rel["properties"] == nil || rel["id"] == "" {
		t.Errorf("relationship %v: want type CONSUMED_IN from the lot %v to the batch %v", rel, lot["id"], batch["id"])
	}

	_, raw, ans = analyst.cypher("MATCH p = (:Lot {code: $code})-[:CONSUMED_IN]->(:Batch)-[:PRODUCED]->(:Lot) RETURN p", map[string]any{"code": tg + "FLOUR-A"})
	if len(ans.Rows) != 1 {
		t.Fatalf("a path: %s", raw)
	}
	path := ans.Rows[0][0].(map[string]any)
	if len(path["nodes"].([]any)) != 3 || len(path["relationships"].([]any)) != 2 {
		t.Errorf("path %v: want 3 nodes and 2 relationships", path)
	}

	_, raw, ans = analyst.cypher(`RETURN date('2026-10-01') AS d, datetime('2026-10-01T07:00:00Z') AS dt,
		localdatetime('2026-10-01T07:00:00') AS ldt, localtime('07:30') AS lt, time('07:30+02:00') AS t,
		duration('P1DT2H') AS du, [1, 'a', {k: [true, null, 1.5]}] AS nested`, nil)
	want := []any{"2026-10-01", "2026-10-01T07:00:00Z", "2026-10-01T07:00:00", "07:30:00", "07:30:00+02:00", "P0M1DT7200S",
		[]any{float64(1), "a", map[string]any{"k": []any{true, nil, 1.5}}}}
	if len(ans.Rows) != 1 || !reflect.DeepEqual(ans.Rows[0], want) {
		t.Errorf("temporal values and nesting: %s\nwant %v", raw, want)
	}

	// Integer parameters stay integers: LIMIT refuses a float.
	_, raw, ans = analyst.cypher("UNWIND $codes AS c MATCH (l:Lot {code: c}) RETURN l.code AS code ORDER BY code LIMIT $n",
		map[string]any{"codes": []string{tg + "FLOUR-A", tg + "SALT-A", tg + "CHIPS-A"}, "n": 2})
	if got := fmt.Sprint(ans.Rows); got != fmt.Sprintf("[[%sCHIPS-A] [%sFLOUR-A]]", tg, tg) {
		t.Errorf("parameters: %s", raw)
	}

	_, raw, ans = analyst.cypher("CALL db.labels() YIELD label RETURN label ORDER BY label", nil)
	if fmt.Sprint(ans.Columns) != "[label]" || len(ans.Rows) == 0 {
		t.Errorf("an allowed schema procedure: %s", raw)
	}
}

// TestCypherErrorsCarryNeo4jsMessage checks that a syntax error answers 400 with Neo4j's
// message, its position pointing into the analyst's text.
func TestCypherErrorsCarryNeo4jsMessage(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	status, raw, _ := c.cypher("MATCH (n:Lot)\nRETURN n ORDER BY n.code)", nil)
	detail := fmt.Sprint(decodeObject(t, raw)["detail"])
	if status != http.StatusBadRequest || !strings.Contains(detail, "Invalid input ')'") {
		t.Fatalf("a syntax error: %d %s, want 400 with Neo4j's message", status, raw)
	}
	if !strings.Contains(detail, "line 2, column 25 (offset: 38)") || strings.Contains(detail, "EXPLAIN") {
		t.Errorf("the position is not the analyst's (line 2, column 25, offset 38): %s", detail)
	}
	for _, body := range []string{`{"query": ""}`, `{"query": 1}`, `{"query": "RETURN 1", "extra": true}`, `not json`} {
		if status, raw := c.do(http.MethodPost, "/api/v1/cypher", "application/json", body); status != http.StatusBadRequest && status != http.StatusUnprocessableEntity {
			t.Errorf("body %s: %d %s, want 400 or 422", body, status, raw)
		}
	}
}

// TestCypherRowCapAndTimeout checks the limits: rows past the cap are dropped and flagged, and
// a slow query is stopped by the server at the timeout with a 422 saying so.
func TestCypherRowCapAndTimeout(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{CypherMaxRows: 5, CypherTimeout: time.Second})
	_, raw, ans := c.cypher("UNWIND range(1, 20) AS x RETURN x", nil)
	if len(ans.Rows) != 5 || !ans.Truncated || ans.CutBy != "max_rows" {
		t.Errorf("20 rows with a cap of 5: %s, want 5 rows, truncated by max_rows", raw)
	}
	_, raw, ans = c.cypher("UNWIND range(1, 5) AS x RETURN x", nil)
	if len(ans.Rows) != 5 || ans.Truncated {
		t.Errorf("5 rows with a cap of 5: %s, want 5 rows, not truncated", raw)
	}

	start := time.Now()
	status, raw, _ := c.cypher("UNWIND range(1, 100000000) AS x WITH x WHERE x < 0 RETURN count(*)", nil)
	took := time.Since(start)
	if status != http.StatusUnprocessableEntity || !strings.Contains(string(raw), "did not finish within the 1s limit") {
		t.Errorf("a slow query: %d %s, want 422 naming the limit", status, raw)
	}
	if took > 5*time.Second {
		t.Errorf("a slow query took %s to be stopped, want about the 1s timeout", took)
	}
}

// TestConsoleAndAuditMatchTheOpenAPIDocument checks the console's and the audit's answers,
// errors included, against the document the server serves.
func TestConsoleAndAuditMatchTheOpenAPIDocument(t *testing.T) {
	t.Parallel()
	c := newSpecClient(t)
	post := func(body string, valid bool, want int) {
		t.Helper()
		status, raw := c.send(call{method: http.MethodPost, path: "/api/v1/cypher", contentType: "application/json", body: body, requestValid: valid})
		if status != want {
			t.Errorf("POST /api/v1/cypher %s: %d, want %d: %s", body, status, want, clip(raw))
		}
	}
	post(`{"query": "MATCH p = (l:Lot)-[:CONSUMED_IN]->(:Batch) RETURN l, p, l.origin_at LIMIT 2", "params": {}}`, true, http.StatusOK)
	post(`{"query": "RETURN $n AS n", "params": {"n": 1}}`, true, http.StatusOK)
	post(`{"query": "MATCH (n RETURN n"}`, true, http.StatusBadRequest)
	post(`{"query": "CREATE (n:Lot) RETURN n"}`, true, http.StatusForbidden)
	post(`{"query": ""}`, false, http.StatusUnprocessableEntity)
	post(`{"query": "RETURN 1", "colour": "red"}`, false, http.StatusBadRequest)
	post(`{"query": " \n "}`, false, http.StatusUnprocessableEntity)
	post(`{"query": "RETURN 1 AS n", "params": null}`, true, http.StatusOK)
	post(`{"query": "RETURN $n AS n", "params": {"n": 1e999}}`, true, http.StatusBadRequest)
	post(`{"query": "RETURN `+strings.Repeat("(", 101)+"1"+strings.Repeat(")", 101)+` AS n"}`, true, http.StatusBadRequest)
	post(`{"query": "RETURN 1 AS n //`+strings.Repeat("x", 65536)+`"}`, false, http.StatusBadRequest)
	post(`{"query": "UNWIND range(1, 20000) AS x RETURN x"}`, true, http.StatusOK) // cut by max_rows

	// newSpecClient's server keeps no audit trail.
	status, raw := c.send(call{method: http.MethodGet, path: "/api/v1/audit", query: "limit=5", requestValid: true})
	if status != http.StatusNotFound {
		t.Errorf("GET /api/v1/audit without a trail: %d, want 404: %s", status, clip(raw))
	}
}
