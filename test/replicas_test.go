package test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/graph/neo4j"
)

// TestReplicasSeeEachOthersWrites: events written through replica A, with the bookmark of
// A's answer sent to replica B, are read on B: the lot, its trace, the recall; a single event
// too. Each replica has its own driver over neo4j:// routing.
func TestReplicasSeeEachOthersWrites(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, 2, api.Config{})
	a, b := r[0], r[1]
	tg := tag(t)
	status, header, raw := a.as(api.RoleWriter).send("POST", "/api/v1/events", "application/x-ndjson", tagged(tg, ndjson(bakeryHistory()...)), nil)
	if status != http.StatusOK || decodeObject(t, raw)["accepted"] != float64(len(bakeryHistory())) {
		t.Fatalf("loading on A: %d %s", status, clip(raw))
	}
	chain := bookmarkOf(t, header)
	reader := b.as(api.RoleReader)
	lot := url.PathEscape(tg + "FG-1")
	for _, path := range []string{"/api/v1/lots/" + lot, "/api/v1/lots/" + lot + "/trace?view=summary", "/api/v1/lots/" + lot + "/recall"} {
		status, header, raw := reader.send("GET", path, "", "", chain)
		if status != http.StatusOK || !strings.Contains(string(raw), tg+"FG-1") {
			t.Errorf("B %s after A's load: %d %s", path, status, clip(raw))
		}
		if header.Get(api.BookmarkHeader) == "" {
			t.Errorf("B %s: no %s on a read's answer", path, api.BookmarkHeader)
		}
	}

	// One event on B, read on A with B's bookmark.
	receipt := tagged(tg, `{"lot": {"code": "{T}ONE-1", "product": "P", "quantity": 1, "unit": "kg"},
		"supplier": {"id": "{T}SUP-1", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1", "reference": {"type": "PO", "number": "1"}}`)
	status, header, raw = b.as(api.RoleWriter).send("POST", "/api/v1/receipts", "application/json", receipt, chain)
	if status != http.StatusCreated {
		t.Fatalf("a receipt on B: %d %s", status, clip(raw))
	}
	if status, _, raw := a.as(api.RoleReader).send("GET", "/api/v1/lots/"+url.PathEscape(tg+"ONE-1"), "", "", bookmarkOf(t, header)); status != http.StatusOK {
		t.Errorf("A reading B's receipt: %d %s", status, clip(raw))
	}
}

// TestBookmarkHeaderIsChecked: a header that is not bookmarks is a 400 naming it, and so is a
// well-formed bookmark this database never issued; an answer without a transaction has none.
func TestBookmarkHeaderIsChecked(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	lots := "/api/v1/lots?q=" + url.QueryEscape(tag(t))
	for _, bad := range []string{"has space", strings.Repeat("x", 1025), strings.Repeat("a,", 17), "FB:notabookmark"} {
		status, _, raw := c.send("GET", lots, "", "", http.Header{api.BookmarkHeader: {bad}})
		if status != http.StatusBadRequest || !strings.Contains(string(raw), "ookmark") {
			t.Errorf("%s: %.40q: %d %s, want 400 about the bookmark", api.BookmarkHeader, bad, status, clip(raw))
		}
	}
	if _, header, _ := c.send("GET", "/healthz", "", "", nil); header.Get(api.BookmarkHeader) != "" {
		t.Errorf("/healthz answered a bookmark %q", header.Get(api.BookmarkHeader))
	}
	_, header, _ := c.send("GET", lots, "", "", nil)
	if header.Get(api.BookmarkHeader) == "" {
		t.Fatal("a read gave no bookmark")
	}
	if status, _, raw := c.send("GET", lots, "", "", bookmarkOf(t, header)); status != http.StatusOK {
		t.Errorf("sending a read's bookmark back: %d %s", status, clip(raw))
	}
}

// TestReplicasShareTheAuditTrail: calls served by either replica are in the trail, and an
// admin reads all of them on either replica, in the order they ended.
func TestReplicasShareTheAuditTrail(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, 2, api.Config{})
	a, b := r[0], r[1]
	start := time.Now().Add(-time.Second)
	tg := tag(t)
	lot := url.PathEscape(tg + "NONE")
	a.as(api.RoleReader).do("GET", "/api/v1/lots/"+lot, "", "")
	b.as(api.RoleReader).do("GET", "/api/v1/lots/"+lot+"/trace", "", "")
	a.as(api.RoleAnalyst).do("POST", "/api/v1/cypher", "application/json", fmt.Sprintf(`{"query": "MATCH (l:Lot {code: $c}) RETURN l", "params": {"c": %q}}`, tg))
	for name, replica := range map[string]*securedAPI{"A": a, "B": b} {
		status, entries := replica.as(api.RoleAdmin).auditEntries("limit=1000&since=" + url.QueryEscape(start.UTC().Format(time.RFC3339Nano)))
		if status != http.StatusOK {
			t.Fatalf("reading the trail on %s: %d", name, status)
		}
		var mine []auditEntry
		for _, e := range entries {
			if strings.Contains(e.Lot, tg) || e.Params["c"] == tg {
				mine = append(mine, e)
			}
		}
		if len(mine) != 3 || mine[0].Route != "/api/v1/cypher" || mine[1].Route != "/api/v1/lots/:code/trace" || mine[2].Route != "/api/v1/lots/:code" {
			t.Errorf("on %s the trail holds %+v, want the three calls, newest first", name, mine)
		}
		for _, e := range mine {
			if e.Phase != "end" || e.Status != http.StatusNotFound && e.Status != http.StatusOK || e.Key == "" {
				t.Errorf("on %s: entry %+v, want each call's end entry with its status and key", name, e)
			}
		}
	}
}

// TestNeo4jAuditFailsClosed: with the trail in a Neo4j that cannot be reached, every audited
// call is refused with 503 and runs nothing, as with a file that cannot be written (issue 12).
func TestNeo4jAuditFailsClosed(t *testing.T) {
	t.Parallel()
	store := sharedStore(t)
	down, err := neo4j.Open(neo4j.Config{URI: "neo4j://127.0.0.1:1", RetryTime: 300 * time.Millisecond}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = down.Close(context.Background()) })
	keys, err := api.NewKeyring(testKeys(t)...)
	if err != nil {
		t.Fatal(err)
	}
	srv := newTestServer(t, api.NewServer(store, quietLogger(), api.Config{Keys: keys, Audit: audit.NewShared(down, 2*time.Second)}))
	s := &securedAPI{t: t, base: srv}
	tg := tag(t)
	receipt := tagged(tg, `{"lot": {"code": "{T}NEW-1", "product": "P", "quantity": 1, "unit": "kg"},
		"supplier": {"id": "{T}SUP-N", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1", "reference": {"type": "PO", "number": "1"}}`)
	for _, k := range []struct {
		role         api.Role
		method, path string
		ct, body     string
	}{
		{api.RoleReader, "GET", "/api/v1/lots?q=" + url.QueryEscape(tg), "", ""},
		{api.RoleAnalyst, "POST", "/api/v1/cypher", "application/json", `{"query": "RETURN 1 AS one"}`},
		{api.RoleWriter, "POST", "/api/v1/receipts", "application/json", receipt},
		{api.RoleAdmin, "GET", "/api/v1/audit", "", ""},
	} {
		status, raw := s.as(k.role).do(k.method, k.path, k.ct, k.body)
		if status != http.StatusServiceUnavailable || !strings.Contains(string(raw), "audit trail cannot be written") {
			t.Errorf("%s %s with the trail's database down: %d %s, want 503", k.method, k.path, status, clip(raw))
		}
	}
	if nodes, _ := countTagged(t, tg); nodes != 0 {
		t.Errorf("%d nodes stored while the audit failed, want none", nodes)
	}
}

// TestConsoleCannotReadTheAuditTrail: with entries of the trail in the database, the console
// refuses every query that could read them (by their label, by a scan of all nodes, by id,
// by a count of all nodes), and still runs queries from a label.
func TestConsoleCannotReadTheAuditTrail(t *testing.T) {
	t.Parallel()
	r := newReplicas(t, 1, api.Config{})
	analyst := r[0].as(api.RoleAnalyst)
	analyst.do("GET", "/api/v1/lots/x", "", "") // an audited call: its entries are in the database
	if rows := query(t, "MATCH (e:AuditEntry) RETURN count(e) AS n", nil); rows[0]["n"].(int64) == 0 {
		t.Fatal("no audit entry in the database")
	}
	refused := []string{
		"MATCH (e:AuditEntry) RETURN e",
		"MATCH (e:AuditEntry) RETURN count(e)",
		"MATCH (e:`AuditEntry`) RETURN e.line",
		"MATCH (e:Lot|AuditEntry) RETURN e LIMIT 5",
		"MATCH (e:Lot) WHERE e:AuditEntry RETURN e",
		"MATCH (e:AuditEntry {id: 'x', phase: 'end'}) RETURN e",
		"MATCH (n) RETURN n LIMIT 5",
		"MATCH (n) RETURN count(n)",
		"MATCH (n) WHERE n.line IS NOT NULL RETURN n.line",
		"MATCH (n:!Lot) RETURN n LIMIT 5",
		"MATCH (n:$($label)) RETURN n",
		"MATCH (n) WHERE elementId(n) = $id RETURN n",
		"MATCH (n) WHERE id(n) = 0 RETURN n",
		"MATCH (l:Lot) WITH l LIMIT 1 OPTIONAL MATCH (n) WHERE n.id = l.code RETURN n",
		"CALL { MATCH (n) RETURN n } RETURN n LIMIT 1",
		"MATCH (l:Lot {code: 'x'}) RETURN l UNION MATCH (l:AuditEntry) RETURN l",
	}
	for _, q := range refused {
		status, raw := analyst.do("POST", "/api/v1/cypher", "application/json",
			fmt.Sprintf(`{"query": %q, "params": {"label": "AuditEntry", "id": "x"}}`, q))
		if status != http.StatusForbidden || !strings.Contains(string(raw), "audit trail") || strings.Contains(string(raw), `"rows"`) {
			t.Errorf("%s: %d %s, want 403 naming the audit trail", q, status, clip(raw))
		}
	}
	for _, q := range []string{"MATCH (l:Lot) RETURN count(l) AS n", "MATCH (l:Lot) RETURN l LIMIT 1", "MATCH ()-[r]->() RETURN count(r) AS n"} {
		if status, raw := analyst.do("POST", "/api/v1/cypher", "application/json", fmt.Sprintf(`{"query": %q}`, q)); status != http.StatusOK {
			t.Errorf("%s: %d %s, want 200", q, status, clip(raw))
		}
	}
}

// newTestServer serves h for the test and returns its address.
func newTestServer(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestAuditToStdoutOnly: a trail written to stdout alone takes every call's entries, as JSON
// lines in the file's format, and cannot be read back (404, not 500).
func TestAuditToStdoutOnly(t *testing.T) {
	t.Parallel()
	out, err := os.Create(filepath.Join(t.TempDir(), "stdout"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = out.Close() })
	c := newAPI(t, api.Config{Audit: audit.NewTee(nil, audit.NewStream(out))})
	tg := tag(t)
	if status, raw := c.do("GET", "/api/v1/lots?q="+url.QueryEscape(tg), "", ""); status != http.StatusOK {
		t.Fatalf("a search: %d %s", status, clip(raw))
	}
	if status, raw := c.do("GET", "/api/v1/audit", "", ""); status != http.StatusNotFound || !strings.Contains(string(raw), "stdout") {
		t.Errorf("reading a stdout trail: %d %s, want 404", status, clip(raw))
	}
	// The end entry is written once the answer has gone: wait for it.
	var phases []string
	for deadline := time.Now().Add(5 * time.Second); len(phases) < 2 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		raw, err := os.ReadFile(out.Name())
		if err != nil {
			t.Fatal(err)
		}
		phases = nil
		for _, line := range strings.Split(strings.TrimSpace(string(raw)), "\n") {
			var e audit.Entry
			if err := json.Unmarshal([]byte(line), &e); err != nil {
				t.Fatalf("stdout line %q: %v", line, err)
			}
			if e.Route == "/api/v1/lots" && strings.Contains(e.URLQuery, url.QueryEscape(tg)) {
				phases = append(phases, e.Phase)
			}
		}
	}
	if strings.Join(phases, ",") != "begin,end" {
		t.Errorf("the search's entries on stdout: %v, want begin and end", phases)
	}
}
