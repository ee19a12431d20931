package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
)

const (
	receiptJSON = `{"lot": {"code": "{T}FLOUR-A", "product": "FLOUR-AP-25KG", "description": "All-purpose flour",
	  "quantity": 1000, "unit": "kg", "supplier_lot": "MILL-7781", "expires_at": "2027-05-01"},
	 "supplier": {"id": "{T}SUP-MILL", "name": "Prairie Mill Co.", "location": "Saskatoon, SK"},
	 "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1",
	 "reference": {"type": "PO", "number": "PO-1234"}}`
	productionJSON = `{"batch": {"id": "{T}B-1", "line": "L1"},
	 "produced_at": "2026-10-04T12:00:00Z", "location": "BAKERY-1",
	 "inputs":  [{"lot": "{T}FLOUR-A", "quantity": 100, "unit": "kg"}],
	 "outputs": [{"code": "{T}FG-CC-1A", "product": "COOKIE-CC-12", "description": "Chocolate chip cookies 12-pack",
	              "quantity": 200, "unit": "case", "expires_at": "2027-01-04"},
	             {"code": "{T}FG-CC-1B", "product": "COOKIE-CC-24", "quantity": 50, "unit": "case"}]}`
	shipmentJSON = `{"id": "{T}SH-1", "customer": {"id": "{T}CUST-A", "name": "Corner Grocer", "location": "12 Main St"},
	 "shipped_at": "2026-10-08T16:00:00Z", "from": "BAKERY-1",
	 "reference": {"type": "BOL", "number": "BOL-77"},
	 "lines": [{"lot": "{T}FG-CC-1A", "quantity": 50, "unit": "case"}, {"lot": "{T}FG-CC-1B", "quantity": 10, "unit": "case"}]}`
)

// TestRecordEachEvent posts the three events, resends and conflicting resends, and checks
// that the stored graph holds every Key Data Element.
func TestRecordEachEvent(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	steps := []struct {
		name, path, body string
		wantStatus       int
		wantCreated      bool
	}{
		{"receipt", "/api/v1/receipts", receiptJSON, http.StatusCreated, true},
		{"receipt again", "/api/v1/receipts", receiptJSON, http.StatusOK, false},
		{"production", "/api/v1/productions", productionJSON, http.StatusCreated, true},
		{"production again", "/api/v1/productions", productionJSON, http.StatusOK, false},
		{"shipment", "/api/v1/shipments", shipmentJSON, http.StatusCreated, true},
		{"shipment again", "/api/v1/shipments", shipmentJSON, http.StatusOK, false},
	}
	for _, s := range steps {
		status, body := c.post(s.path, tagged(tg, s.body))
		if status != s.wantStatus || body["created"] != s.wantCreated {
			t.Fatalf("%s: %d %v, want %d created=%v", s.name, status, body, s.wantStatus, s.wantCreated)
		}
	}
	// 3 lots, the batch, the supplier and the customer; RECEIVED_FROM, CONSUMED_IN, 2 PRODUCED
	// and 2 SHIPPED_TO.
	if nodes, rels := countTagged(t, tg); nodes != 6 || rels != 6 {
		t.Fatalf("stored %d nodes and %d relationships, want 6 and 6", nodes, rels)
	}

	lot := query(t, `MATCH (l:Lot {code: $code})-[r:RECEIVED_FROM]->(s:Supplier) RETURN l, r, s`, map[string]any{"code": tg + "FLOUR-A"})
	if len(lot) != 1 {
		t.Fatalf("received lot: %d rows", len(lot))
	}
	wantProps(t, "received Lot", props(lot[0]["l"]), map[string]any{
		"product": "FLOUR-AP-25KG", "description": "All-purpose flour", "quantity": 1000.0, "unit": "kg",
		"supplier_lot": "MILL-7781", "origin": "receipt", "location": "BAKERY-1", "tlc_source": "Saskatoon, SK",
	})
	wantProps(t, "RECEIVED_FROM", props(lot[0]["r"]), map[string]any{
		"location": "BAKERY-1", "quantity": 1000.0, "unit": "kg", "supplier_location": "Saskatoon, SK",
		"supplier_name": "Prairie Mill Co.", "ref_type": "PO", "ref_number": "PO-1234",
	})
	wantProps(t, "Supplier", props(lot[0]["s"]), map[string]any{"name": "Prairie Mill Co.", "location": "Saskatoon, SK"})
	if at, ok := props(lot[0]["l"])["origin_at"].(time.Time); !ok || !at.Equal(time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)) {
		t.Errorf("origin_at = %v, want the receipt time as a DateTime", props(lot[0]["l"])["origin_at"])
	}

	made := query(t, `MATCH (in:Lot)-[c:CONSUMED_IN]->(b:Batch {id: $id})-[p:PRODUCED]->(out:Lot)
		RETURN in.code AS input, c, b, p, out ORDER BY out.code`, map[string]any{"id": tg + "B-1"})
	if len(made) != 2 {
		t.Fatalf("production: %d rows, want 2 (one input, two outputs)", len(made))
	}
	wantProps(t, "CONSUMED_IN", props(made[0]["c"]), map[string]any{"quantity": 100.0, "unit": "kg"})
	wantProps(t, "Batch", props(made[0]["b"]), map[string]any{"line": "L1", "location": "BAKERY-1", "ref_type": "batch log", "ref_number": tg + "B-1"})
	wantProps(t, "PRODUCED", props(made[0]["p"]), map[string]any{"quantity": 200.0, "unit": "case"})
	wantProps(t, "produced Lot", props(made[0]["out"]), map[string]any{
		"code": tg + "FG-CC-1A", "product": "COOKIE-CC-12", "origin": "production", "tlc_source": "BAKERY-1", "batch_id": tg + "B-1",
	})

	shipped := query(t, `MATCH (l:Lot)-[s:SHIPPED_TO]->(c:Customer {id: $id}) RETURN l.code AS lot, s, c ORDER BY lot`, map[string]any{"id": tg + "CUST-A"})
	if len(shipped) != 2 {
		t.Fatalf("shipment: %d lines stored, want 2", len(shipped))
	}
	wantProps(t, "SHIPPED_TO", props(shipped[0]["s"]), map[string]any{
		"shipment_id": tg + "SH-1", "line": int64(1), "quantity": 50.0, "unit": "case", "from": "BAKERY-1",
		"customer_location": "12 Main St", "ref_type": "BOL", "ref_number": "BOL-77",
	})
	wantProps(t, "Customer", props(shipped[0]["c"]), map[string]any{"name": "Corner Grocer", "location": "12 Main St"})
}

func TestRecordRefusals(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	if status, body := c.post("/api/v1/receipts", tagged(tg, receiptJSON)); status != http.StatusCreated {
		t.Fatalf("receipt: %d %v", status, body)
	}
	nodesBefore, relsBefore := countTagged(t, tg)
	tests := []struct {
		name, path, body string
		wantStatus       int
		wantField        string
	}{
		{"receipt with other content", "/api/v1/receipts", strings.Replace(receiptJSON, `"quantity": 1000`, `"quantity": 900`, 1), http.StatusConflict, "lot.code"},
		{"unknown input lot", "/api/v1/productions", strings.Replace(productionJSON, `"{T}FLOUR-A"`, `"{T}NOPE"`, 1), http.StatusUnprocessableEntity, "inputs[0].lot"},
		{"input unit differs", "/api/v1/productions", strings.Replace(productionJSON, `"quantity": 100, "unit": "kg"`, `"quantity": 100, "unit": "lb"`, 1), http.StatusUnprocessableEntity, "inputs[0].unit"},
		{"output lot that is also the input", "/api/v1/productions", strings.Replace(productionJSON, `"code": "{T}FG-CC-1B"`, `"code": "{T}FLOUR-A"`, 1), http.StatusUnprocessableEntity, "outputs[1].code"},
		{"shipment of unknown lot", "/api/v1/shipments", shipmentJSON, http.StatusUnprocessableEntity, "lines[0].lot"},
		{"bad quantity", "/api/v1/shipments", strings.Replace(shipmentJSON, `"quantity": 50`, `"quantity": -1`, 1), http.StatusUnprocessableEntity, "lines[0].quantity"},
		{"malformed JSON", "/api/v1/receipts", `{"lot": [`, http.StatusBadRequest, ""},
	}
	for _, tt := range tests {
		status, problem := c.post(tt.path, tagged(tg, tt.body))
		if status != tt.wantStatus {
			t.Errorf("%s: status %d %v, want %d", tt.name, status, problem, tt.wantStatus)
			continue
		}
		if problem["status"] != float64(tt.wantStatus) || problem["title"] == "" {
			t.Errorf("%s: not a problem document: %v", tt.name, problem)
		}
		if tt.wantField != "" && !slices.Contains(problemFields(problem), tt.wantField) {
			t.Errorf("%s: problem fields %v do not name %s", tt.name, problemFields(problem), tt.wantField)
		}
	}
	// An output lot that exists with another origin is a conflict.
	if status, _ := c.post("/api/v1/productions", tagged(tg, productionJSON)); status != http.StatusCreated {
		t.Fatalf("production: %d", status)
	}
	other := strings.Replace(productionJSON, `"id": "{T}B-1"`, `"id": "{T}B-2"`, 1)
	if status, problem := c.post("/api/v1/productions", tagged(tg, other)); status != http.StatusConflict || !slices.Contains(problemFields(problem), "outputs[0].code") {
		t.Errorf("second batch producing the same lots: %d %v, want 409 naming outputs[0].code", status, problem)
	}
	// Nothing the refusals touched was stored: only the production added 3 nodes and 3 rels.
	nodesAfter, relsAfter := countTagged(t, tg)
	if nodesAfter-nodesBefore != 3 || relsAfter-relsBefore != 3 {
		t.Errorf("refusals changed the graph: %d→%d nodes, %d→%d rels (only the production's 3 and 3 expected)", nodesBefore, nodesAfter, relsBefore, relsAfter)
	}
}

// TestBulkRejectsExactlyTheBadLines interleaves bad lines with good ones that depend on each other.
func TestBulkRejectsExactlyTheBadLines(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	body := tagged(tg, ndjson(
		typed("receipt", receiptJSON),   // 1
		`{"type": "receipt", "lot": 7}`, // 2: malformed
		"",                              // 3: blank, counted
		typed("production", strings.Replace(productionJSON, `"{T}FLOUR-A"`, `"{T}NOPE"`, 1)), // 4: unknown input
		typed("production", productionJSON),                                                  // 5
		`not json at all`,                                                                    // 6
		typed("shipment", shipmentJSON),                                                      // 7
		typed("receipt", receiptJSON),                                                        // 8: unchanged
		typed("receipt", strings.Replace(receiptJSON, `"unit": "kg"`, `"unit": "lb"`, 1)),    // 9: conflict
		`{"type": "harvest"}`,                                                                // 10
	))
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", body)
	if status != http.StatusOK {
		t.Fatalf("bulk: %d %s", status, raw)
	}
	var answer struct {
		Accepted, Unchanged int
		Rejected            []struct {
			Line, Status int
			Errors       []struct{ Field string }
		}
	}
	if err := json.Unmarshal(raw, &answer); err != nil {
		t.Fatal(err)
	}
	if answer.Accepted != 3 || answer.Unchanged != 1 {
		t.Errorf("accepted %d unchanged %d, want 3 and 1: %s", answer.Accepted, answer.Unchanged, raw)
	}
	got := map[int]int{}
	for _, r := range answer.Rejected {
		got[r.Line] = r.Status
	}
	want := map[int]int{2: 400, 4: 422, 6: 400, 9: 409, 10: 422}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rejected lines %v, want %v", got, want)
	}
	if nodes, rels := countTagged(t, tg); nodes != 6 || rels != 6 {
		t.Errorf("stored %d nodes, %d relationships; want 6 and 6", nodes, rels)
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{MaxBodyBytes: 200})
	tg := tag(t)
	status, problem := c.post("/api/v1/receipts", tagged(tg, receiptJSON))
	if status != http.StatusRequestEntityTooLarge || problem["status"] != 413.0 {
		t.Errorf("receipt over the limit: %d %v, want 413 problem", status, problem)
	}
	status, _ = c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", tagged(tg, ndjson(receiptJSON, receiptJSON)))
	if status != http.StatusRequestEntityTooLarge {
		t.Errorf("bulk over the limit: %d, want 413", status)
	}
	if nodes, _ := countTagged(t, tg); nodes != 0 {
		t.Errorf("a refused body stored %d nodes", nodes)
	}
}

func props(v any) map[string]any {
	switch e := v.(type) {
	case interface{ GetProperties() map[string]any }:
		return e.GetProperties()
	}
	return nil
}

func wantProps(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	for k, w := range want {
		if fmt.Sprint(got[k]) != fmt.Sprint(w) {
			t.Errorf("%s.%s = %v (%T), want %v", what, k, got[k], got[k], w)
		}
	}
}

// TestPartiesKeepTheirLatestDescription: a customer is stored as the last shipment describes
// it, a field a shipment leaves out keeps the stored value, and each shipment line keeps the
// customer's location as it was on that shipment (a KDE). Runs in one bulk body and across
// bodies both, since a run plans its parties once.
func TestPartiesKeepTheirLatestDescription(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	moved := strings.NewReplacer(`"{T}SH-1"`, `"{T}SH-2"`, `"name": "Corner Grocer", "location": "12 Main St"`, `"location": "14 Main St"`).Replace(shipmentJSON)
	back := strings.NewReplacer(`"{T}SH-1"`, `"{T}SH-3"`, `"12 Main St"`, `"16 Main St"`).Replace(shipmentJSON)
	for _, step := range []struct{ body, wantLocation string }{
		{ndjson(typed("receipt", receiptJSON), typed("production", productionJSON), typed("shipment", shipmentJSON), typed("shipment", moved)), "14 Main St"},
		{ndjson(typed("shipment", back)), "16 Main St"},
	} {
		for _, attempt := range []string{"bulk", "bulk resend"} {
			status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", tagged(tg, step.body))
			if status != http.StatusOK || strings.Contains(string(raw), `"rejected":[{`) {
				t.Fatalf("%s: %d %s", attempt, status, raw)
			}
			customer := query(t, `MATCH (c:Customer {id: $id}) RETURN c`, map[string]any{"id": tg + "CUST-A"})
			wantProps(t, "Customer after "+attempt, props(customer[0]["c"]), map[string]any{"name": "Corner Grocer", "location": step.wantLocation})
		}
	}
	rows := query(t, `MATCH (l:Lot)-[s:SHIPPED_TO {line: 1}]->(c:Customer {id: $id}) RETURN s.shipment_id AS id, s.customer_location AS at, c ORDER BY id`,
		map[string]any{"id": tg + "CUST-A"})
	if len(rows) != 3 {
		t.Fatalf("%d shipments stored, want 3", len(rows))
	}
	for i, want := range []string{"12 Main St", "14 Main St", "16 Main St"} {
		if rows[i]["at"] != want {
			t.Errorf("%s: customer_location %v, want %s", rows[i]["id"], rows[i]["at"], want)
		}
	}
}
