package test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/api"
)

// apiClient talks HTTP to a real lot-trace server on the shared database.
type apiClient struct {
	t    *testing.T
	base string
	key  string // sent as Authorization: Bearer when set
}

// newAPI starts a server on the shared store for one test.
func newAPI(t *testing.T, cfg api.Config) *apiClient {
	t.Helper()
	store := sharedStore(t)
	srv := httptest.NewServer(api.NewServer(store, quietLogger(), cfg))
	t.Cleanup(srv.Close)
	return &apiClient{t: t, base: srv.URL}
}

// do sends a request and returns the status and the raw body.
func (c *apiClient) do(method, path, contentType, body string) (int, []byte) {
	c.t.Helper()
	status, _, out := c.send(method, path, contentType, body, nil)
	return status, out
}

// post sends JSON and decodes the JSON answer into a generic map for assertions.
func (c *apiClient) post(path, body string) (int, map[string]any) {
	c.t.Helper()
	status, raw := c.do(http.MethodPost, path, "application/json", body)
	return status, decodeObject(c.t, raw)
}

// getJSON GETs path and decodes the JSON object it answers (a problem document for an
// error), failing the test unless the status is want.
func (c *apiClient) getJSON(path string, want int) map[string]any {
	c.t.Helper()
	status, raw := c.do(http.MethodGet, path, "", "")
	if status != want {
		c.t.Fatalf("GET %s: %d %s, want %d", path, status, raw, want)
	}
	return decodeObject(c.t, raw)
}

func decodeObject(t *testing.T, raw []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %v: %s", err, raw)
	}
	return m
}

// problemFields returns the "field" of every entry in a problem document's errors.
func problemFields(problem map[string]any) []string {
	var fields []string
	list, _ := problem["errors"].([]any)
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			fields = append(fields, m["field"].(string))
		}
	}
	return fields
}

// tag returns a prefix unique to this test, so tests sharing one database never see each
// other's lots, batches, suppliers or customers and can run in parallel.
func tag(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "T" + hex.EncodeToString(b) + "-"
}

// tagged replaces every {T} in s with the test's tag.
func tagged(tg, s string) string { return strings.ReplaceAll(s, "{T}", tg) }

// query runs read Cypher on the shared database and returns its rows as maps, for checking
// what the service stored.
func query(t *testing.T, cypher string, params map[string]any) []map[string]any {
	t.Helper()
	sharedStore(t)
	res, err := driver.ExecuteQuery(context.Background(), shared.driver, cypher, params, driver.EagerResultTransformer)
	if err != nil {
		t.Fatalf("query %q: %v", cypher, err)
	}
	rows := make([]map[string]any, len(res.Records))
	for i, r := range res.Records {
		rows[i] = r.AsMap()
	}
	return rows
}

// countTagged counts nodes and relationships whose key starts with the tag.
func countTagged(t *testing.T, tg string) (nodes, rels int64) {
	t.Helper()
	row := query(t, `
		MATCH (n) WHERE coalesce(n.code, n.id) STARTS WITH $tag
		OPTIONAL MATCH (n)-[r]->()
		RETURN count(DISTINCT n) AS nodes, count(r) AS rels`, map[string]any{"tag": tg})[0]
	return row["nodes"].(int64), row["rels"].(int64)
}

// typed turns the JSON body of a single-event route into a bulk line of that kind.
func typed(kind, body string) string {
	return `{"type": "` + kind + `", ` + strings.TrimPrefix(strings.TrimSpace(body), "{")
}

func ndjson(lines ...string) string {
	var b bytes.Buffer
	for _, l := range lines {
		b.WriteString(strings.ReplaceAll(l, "\n", " "))
		b.WriteByte('\n')
	}
	return b.String()
}
