package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
)

// auditEntry is one entry of GET /api/v1/audit.
type auditEntry struct {
	ID         string                                       `json:"id"`
	Phase      string                                       `json:"phase"`
	Event      string                                       `json:"event"`
	IDs        []string                                     `json:"ids"`
	Events     *struct{ Accepted, Unchanged, Rejected int } `json:"events"`
	Cut        []string                                     `json:"cut"`
	At         time.Time                                    `json:"at"`
	Key        string                                       `json:"key"`
	Role       string                                       `json:"role"`
	Method     string                                       `json:"method"`
	Route      string                                       `json:"route"`
	URLQuery   string                                       `json:"url_query"`
	Lot        string                                       `json:"lot"`
	Cypher     string                                       `json:"cypher"`
	Params     map[string]any                               `json:"params"`
	Status     int                                          `json:"status"`
	DurationMS float64                                      `json:"duration_ms"`
	Bytes      int                                          `json:"bytes"`
	Rows       *int                                         `json:"rows"`
	Nodes      *int                                         `json:"nodes"`
}

func (c *apiClient) auditEntries(query string) (int, []auditEntry) {
	c.t.Helper()
	status, raw := c.do(http.MethodGet, "/api/v1/audit?"+query, "", "")
	var out struct {
		Entries []auditEntry `json:"entries"`
	}
	if status == http.StatusOK {
		if err := json.Unmarshal(raw, &out); err != nil {
			c.t.Fatalf("audit answer: %v: %s", err, raw)
		}
	}
	return status, out.Entries
}

// TestAuditRecordsEveryAuditedCall makes one call of each audited kind and one that is not
// audited, then reads the trail as admin: one entry per audited call, newest first, with the
// key's name and role, what was asked, the status and the size of the answer.
func TestAuditRecordsEveryAuditedCall(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	writer, reader, analyst := s.as(api.RoleWriter), s.as(api.RoleReader), s.as(api.RoleAnalyst)
	tg := loadBakery(t, writer) // the first audited call: a bulk load
	lot := url.PathEscape(tg + "FG-1")

	type call struct {
		client *apiClient
		method string
		path   string
		body   string
	}
	audited := []call{
		{reader, "GET", "/api/v1/lots/" + lot + "/trace?direction=both", ""},
		{reader, "GET", "/api/v1/lots/" + lot + "/recall", ""},
		{reader, "GET", "/api/v1/lots/" + lot + "/trace?format=csv", ""},
		{reader, "GET", "/api/v1/lots/" + lot + "/recall/report?format=html", ""},
		{analyst, "POST", "/api/v1/cypher", fmt.Sprintf(`{"query": "MATCH (l:Lot) WHERE l.code STARTS WITH $tag RETURN l.code", "params": {"tag": %q}}`, tg)},
		{analyst, "POST", "/api/v1/cypher", `{"query": "CREATE (n:Lot) RETURN n"}`},
		{reader, "POST", "/api/v1/cypher", `{"query": "RETURN 1"}`}, // a known key refused for its role
		{reader, "GET", "/api/v1/lots?q=" + url.QueryEscape(tg), ""},
		{reader, "GET", "/api/v1/lots/" + lot, ""},
		{writer, "POST", "/api/v1/shipments", fmt.Sprintf(`{"id": "%[1]sSH-AUDIT", "customer": {"id": "%[1]sCUST-Z", "location": "1 Road"},
			"shipped_at": "2026-10-09T16:00:00Z", "from": "BAKERY-1", "reference": {"type": "BOL", "number": "B-1"},
			"lines": [{"lot": "%[1]sFG-1", "quantity": 1, "unit": "case"}]}`, tg)},
	}
	for _, k := range audited {
		k.client.do(k.method, k.path, "application/json", k.body)
	}
	// Not audited: a request without a known key.
	s.withKey("unknown-secret-0123456789").do("GET", "/api/v1/lots/"+lot+"/trace", "", "")

	status, entries := s.as(api.RoleAdmin).auditEntries("limit=100")
	if status != http.StatusOK {
		t.Fatalf("admin reading the audit: %d", status)
	}
	if len(entries) != len(audited)+1 {
		for _, e := range entries {
			t.Logf("entry: %+v", e)
		}
		t.Fatalf("%d entries, want %d (one per audited call, the bulk load included)", len(entries), len(audited)+1)
	}
	for i, e := range entries {
		if i > 0 && e.At.After(entries[i-1].At) {
			t.Errorf("entry %d is newer than entry %d: want newest first", i, i-1)
		}
		if e.Phase != "end" || e.ID == "" {
			t.Errorf("entry %d: phase %q, id %q; want the end entry of each call, with its id", i, e.Phase, e.ID)
		}
	}
	// Newest first: the calls in reverse; call 0 is the bulk load.
	byCall := func(i int) auditEntry { return entries[len(entries)-2-i] }

	if bulk := entries[len(entries)-1]; bulk.Key != "writer-key" || bulk.Route != "/api/v1/events" || bulk.Event != "bulk" ||
		bulk.Events == nil || bulk.Events.Accepted != len(bakeryHistory()) {
		t.Errorf("bulk entry %+v, want the writer's load with its counts", bulk)
	}
	trace := byCall(0)
	if trace.Key != "reader-key" || trace.Role != "reader" || trace.Route != "/api/v1/lots/:code/trace" || trace.Lot != tg+"FG-1" ||
		trace.URLQuery != "direction=both" || trace.Status != 200 || trace.Bytes == 0 || trace.Nodes == nil || *trace.Nodes == 0 || trace.DurationMS <= 0 {
		t.Errorf("trace entry %+v", trace)
	}
	if recall := byCall(1); recall.Route != "/api/v1/lots/:code/recall" || recall.Status != 200 || recall.Nodes == nil || recall.Bytes == 0 {
		t.Errorf("recall entry %+v", recall)
	}
	if export := byCall(2); export.URLQuery != "format=csv" || export.Status != 200 || export.Bytes == 0 {
		t.Errorf("export entry %+v", export)
	}
	if report := byCall(3); report.Route != "/api/v1/lots/:code/recall/report" || report.URLQuery != "format=html" || report.Status != 200 {
		t.Errorf("report entry %+v", report)
	}
	query := byCall(4)
	if query.Key != "analyst-key" || query.Role != "analyst" || query.Cypher == "" || query.Params["tag"] != tg ||
		query.Status != 200 || query.Rows == nil || *query.Rows != 9 {
		t.Errorf("cypher entry %+v, want the analyst's query with its params and 9 rows", query)
	}
	if refused := byCall(5); refused.Cypher != "CREATE (n:Lot) RETURN n" || refused.Status != 403 {
		t.Errorf("refused cypher entry %+v, want the query with status 403", refused)
	}
	if denied := byCall(6); denied.Key != "reader-key" || denied.Status != 403 || denied.Route != "/api/v1/cypher" {
		t.Errorf("denied entry %+v, want the reader's refused call", denied)
	}
	if search := byCall(7); search.Route != "/api/v1/lots" || search.URLQuery != "q="+url.QueryEscape(tg) || search.Status != 200 {
		t.Errorf("lot search entry %+v", search)
	}
	if get := byCall(8); get.Route != "/api/v1/lots/:code" || get.Lot != tg+"FG-1" || get.Status != 200 {
		t.Errorf("lot entry %+v", get)
	}
	want := []string{"shipment:" + tg + "SH-AUDIT", "customer:" + tg + "CUST-Z", "lot:" + tg + "FG-1"}
	if ship := byCall(9); ship.Key != "writer-key" || ship.Event != "shipment" || !slices.Equal(ship.IDs, want) || ship.Status != 201 {
		t.Errorf("shipment entry %+v, want the writer's shipment with ids %v", ship, want)
	}

	// Reading the audit is audited too: the first read is now the newest entry.
	_, recent := s.as(api.RoleAdmin).auditEntries("limit=2")
	if len(recent) != 2 || recent[0].Route != "/api/v1/audit" || recent[0].Key != "admin-key" || recent[1].Event != "shipment" {
		t.Errorf("limit=2 gave %+v, want the first audit read and the shipment", recent)
	}
	if _, none := s.as(api.RoleAdmin).auditEntries("since=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339))); len(none) != 0 {
		t.Errorf("since an hour ahead gave %d entries, want none", len(none))
	}
	if status, _ := s.as(api.RoleAdmin).auditEntries("limit=0"); status != http.StatusBadRequest {
		t.Errorf("limit=0: %d, want 400", status)
	}
}

// TestAuditFailsClosed: when the entry cannot be written (a full disk), the call is refused with
// 503 and its answer is not sent: no trace, no Cypher rows, no stored event.
func TestAuditFailsClosed(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Fatal("this test needs /dev/full")
	}
	full, err := audit.Open("/dev/full")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = full.Close() })
	ok := newSecuredAPI(t, api.Config{})
	tg := loadBakery(t, ok.as(api.RoleWriter))
	s := newSecuredAPI(t, api.Config{Audit: full})
	lot := url.PathEscape(tg + "FG-1")
	for _, k := range []struct {
		client       *apiClient
		method, path string
		ct, body     string
	}{
		{s.as(api.RoleReader), "GET", "/api/v1/lots/" + lot + "/trace", "", ""},
		{s.as(api.RoleReader), "GET", "/api/v1/lots/" + lot, "", ""},
		{s.as(api.RoleReader), "GET", "/api/v1/lots?q=" + url.QueryEscape(tg), "", ""},
		{s.as(api.RoleAnalyst), "POST", "/api/v1/cypher", "application/json", fmt.Sprintf(`{"query": "MATCH (l:Lot {code: $c}) RETURN l.code", "params": {"c": %q}}`, tg+"FG-1")},
		{s.as(api.RoleWriter), "POST", "/api/v1/receipts", "application/json", tagged(tg, `{"lot": {"code": "{T}NEW-1", "product": "P", "quantity": 1, "unit": "kg"},
			"supplier": {"id": "{T}SUP-N", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1", "reference": {"type": "PO", "number": "1"}}`)},
		{s.as(api.RoleWriter), "POST", "/api/v1/events", "application/x-ndjson", tagged(tg, `{"type": "receipt", "lot": {"code": "{T}NEW-2", "product": "P", "quantity": 1, "unit": "kg"}, "supplier": {"id": "{T}SUP-N", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1", "reference": {"type": "PO", "number": "1"}}`)},
		{s.as(api.RoleAdmin), "GET", "/api/v1/audit", "", ""},
	} {
		status, raw := k.client.do(k.method, k.path, k.ct, k.body)
		if status != http.StatusServiceUnavailable || !strings.Contains(string(raw), "audit trail cannot be written") || strings.Contains(string(raw), tg+"FG-1") {
			t.Errorf("%s %s with the audit failing: %d %s, want a 503 problem and no answer", k.method, k.path, status, clip(raw))
		}
	}
	reader := ok.as(api.RoleReader)
	for _, code := range []string{"NEW-1", "NEW-2"} {
		if status, _ := reader.do("GET", "/api/v1/lots/"+url.PathEscape(tg+code), "", ""); status != http.StatusNotFound {
			t.Errorf("lot %s: %d, want 404: nothing stored while the audit failed", code, status)
		}
	}
}

// TestAuditRecordsUnencodableParams: the review's bypass, a parameter JSON cannot carry
// (1e999 is +Inf), no longer skips the entry: it is recorded as text.
func TestAuditRecordsUnencodableParams(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	status, raw := s.as(api.RoleAnalyst).do("POST", "/api/v1/cypher", "application/json",
		`{"query": "RETURN 1 AS one", "params": {"hide": 1e999, "text": "bad \udc00 half"}}`)
	_, entries := s.as(api.RoleAdmin).auditEntries("limit=1")
	if len(entries) != 1 || entries[0].Route != "/api/v1/cypher" || entries[0].Status != status {
		t.Fatalf("entries %+v, want the query's, with its status %d (%s)", entries, status, clip(raw))
	}
	// A console that refuses such a parameter up front (400) is fine too; one that runs the
	// query must have recorded the parameter.
	if e := entries[0]; status == http.StatusOK && e.Params["hide"] != "+Inf" {
		t.Errorf("entry params %v, want hide recorded as \"+Inf\"", e.Params)
	}
}

// TestAuditIsReadableByAdminOnly: every other role is refused.
func TestAuditIsReadableByAdminOnly(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	for _, role := range []api.Role{api.RoleReader, api.RoleWriter, api.RoleAnalyst} {
		if status, _ := s.as(role).auditEntries(""); status != http.StatusForbidden {
			t.Errorf("%s reading the audit: %d, want 403", role, status)
		}
	}
	if status, _ := s.withKey("").auditEntries(""); status != http.StatusUnauthorized {
		t.Errorf("no key reading the audit: %d, want 401", status)
	}
	if status, _ := s.as(api.RoleAdmin).auditEntries(""); status != http.StatusOK {
		t.Errorf("admin reading the audit: %d, want 200", status)
	}
}
