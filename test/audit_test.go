package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
)

// auditEntry is one entry of GET /api/v1/audit.
type auditEntry struct {
	At         time.Time      `json:"at"`
	Key        string         `json:"key"`
	Role       string         `json:"role"`
	Method     string         `json:"method"`
	Route      string         `json:"route"`
	URLQuery   string         `json:"url_query"`
	Lot        string         `json:"lot"`
	Cypher     string         `json:"cypher"`
	Params     map[string]any `json:"params"`
	Status     int            `json:"status"`
	DurationMS float64        `json:"duration_ms"`
	Bytes      int            `json:"bytes"`
	Rows       *int           `json:"rows"`
	Nodes      *int           `json:"nodes"`
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

// TestAuditRecordsEveryAuditedCall makes one call of each audited kind and a few that are not
// audited, then reads the trail as admin: one entry per audited call, newest first, with the
// key's name and role, what was asked, the status and the size of the answer.
func TestAuditRecordsEveryAuditedCall(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	tg := loadBakery(t, s.as(api.RoleWriter)) // ingest: not audited
	reader, analyst := s.as(api.RoleReader), s.as(api.RoleAnalyst)
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
	}
	for _, k := range audited {
		k.client.do(k.method, k.path, "application/json", k.body)
	}
	// Not audited: a lot search, a lot, and a request without a known key.
	reader.do("GET", "/api/v1/lots?q="+url.QueryEscape(tg), "", "")
	reader.do("GET", "/api/v1/lots/"+lot, "", "")
	s.withKey("unknown-secret-0123456789").do("GET", "/api/v1/lots/"+lot+"/trace", "", "")

	status, entries := s.as(api.RoleAdmin).auditEntries("limit=100")
	if status != http.StatusOK {
		t.Fatalf("admin reading the audit: %d", status)
	}
	if len(entries) != len(audited) {
		for _, e := range entries {
			t.Logf("entry: %+v", e)
		}
		t.Fatalf("%d entries, want %d (one per audited call)", len(entries), len(audited))
	}
	for i, e := range entries {
		if i > 0 && e.At.After(entries[i-1].At) {
			t.Errorf("entry %d is newer than entry %d: want newest first", i, i-1)
		}
	}
	// Newest first: the calls in reverse.
	byCall := func(i int) auditEntry { return entries[len(entries)-1-i] }

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

	if _, recent := s.as(api.RoleAdmin).auditEntries("limit=2"); len(recent) != 2 || recent[0].Status != 403 {
		t.Errorf("limit=2 gave %+v, want the two newest", recent)
	}
	if _, none := s.as(api.RoleAdmin).auditEntries("since=" + url.QueryEscape(time.Now().Add(time.Hour).Format(time.RFC3339))); len(none) != 0 {
		t.Errorf("since an hour ahead gave %d entries, want none", len(none))
	}
	if status, _ := s.as(api.RoleAdmin).auditEntries("limit=0"); status != http.StatusBadRequest {
		t.Errorf("limit=0: %d, want 400", status)
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
