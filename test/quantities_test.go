package test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

// reportRoutes are every route that computes with stored quantities, for one lot.
func reportRoutes(code string) []string {
	base := "/api/v1/lots/" + code
	return []string{
		base + "/exposure", base + "/mass-balance", base + "/mass-balance?direction=forward",
		base + "/recall/report", base + "/recall/report?format=csv", base + "/recall/report?format=xlsx",
		base + "/recall/report?format=html", base + "/recall", base + "/recall?format=csv",
		base + "/trace?format=xlsx", base + "/trace",
	}
}

// checkReports gets every report route of code and fails on anything but a 200 that parses.
func checkReports(t *testing.T, c *apiClient, code string) {
	t.Helper()
	for _, path := range reportRoutes(code) {
		status, raw := c.do(http.MethodGet, path, "", "")
		if status != http.StatusOK {
			t.Errorf("GET %s: %d %s", path, status, raw)
			continue
		}
		if !strings.Contains(path, "format=") && !json.Valid(raw) {
			t.Errorf("GET %s: not JSON: %.200s", path, raw)
		}
	}
}

// TestQuantityBounds refuses quantities outside 1e-6 to 1e12 on the JSON routes and the bulk
// route, naming the field and the range; 1e-320 used to pass and then made three report
// routes answer 500 (json: unsupported value: +Inf).
func TestQuantityBounds(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	for _, q := range []string{"1e-320", "0.0000009", "1000000000001", "1e300"} {
		body := strings.Replace(tagged(tg, receiptJSON), `"quantity": 1000`, `"quantity": `+q, 1)
		status, problem := c.post("/api/v1/receipts", body)
		if status != http.StatusUnprocessableEntity || !strings.Contains(mustJSON(t, problem), "1e-6 to 1e12") ||
			!slices.Contains(problemFields(problem), "lot.quantity") {
			t.Errorf("quantity %s: %d %v, want 422 naming lot.quantity and the range", q, status, problem)
		}
		status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", ndjson(typed("receipt", body)))
		if status != http.StatusOK || !strings.Contains(string(raw), `"lot.quantity"`) || !strings.Contains(string(raw), "1e-6 to 1e12") {
			t.Errorf("bulk quantity %s: %d %s, want the line rejected naming lot.quantity", q, status, raw)
		}
	}
	if nodes, _ := countTagged(t, tg); nodes != 0 {
		t.Fatalf("stored %d nodes from refused events", nodes)
	}
}

// TestReportsOnExtremeQuantities computes every report over the smallest and largest
// quantities allowed, and over quantities an earlier version stored unchecked (1e-320, 1e308):
// never a 500, never an infinity.
func TestReportsOnExtremeQuantities(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	// Allowed extremes: a millionth of a kg received, a trillion cases made from it and shipped.
	steps := []struct{ path, body string }{
		{"/api/v1/receipts", strings.Replace(receiptJSON, `"quantity": 1000`, `"quantity": 0.000001`, 1)},
		{"/api/v1/productions", strings.NewReplacer(`"quantity": 100`, `"quantity": 0.000001`, `"quantity": 200`, `"quantity": 1000000000000`).Replace(productionJSON)},
		{"/api/v1/shipments", strings.Replace(shipmentJSON, `"quantity": 50`, `"quantity": 1000000000000`, 1)},
	}
	for _, s := range steps {
		if status, body := c.post(s.path, tagged(tg, s.body)); status != http.StatusCreated {
			t.Fatalf("POST %s: %d %v", s.path, status, body)
		}
	}
	checkReports(t, c, tg+"FLOUR-A")
	checkReports(t, c, tg+"FG-CC-1A")

	// What an earlier version let through, written directly: a lot of 1e-320 kg of which
	// 50 kg were shipped twice, and a lot of 1e308 shipped twice 1e308.
	write(t, `
		CREATE (tiny:Lot {code: $tag + 'TINY', product: 'P', quantity: 1e-320, unit: 'kg', origin: 'receipt', fingerprint: 'x'}),
		       (huge:Lot {code: $tag + 'HUGE', product: 'P', quantity: 1e308, unit: 'kg', origin: 'receipt', fingerprint: 'y'}),
		       (b:Batch {id: $tag + 'B-OLD', fingerprint: 'z'}),
		       (out:Lot {code: $tag + 'OUT', product: 'P', quantity: 1e-320, unit: 'kg', origin: 'production', batch_id: $tag + 'B-OLD', fingerprint: 'z'}),
		       (c:Customer {id: $tag + 'C-OLD', location: 'x'})
		CREATE (tiny)-[:CONSUMED_IN {line: 1, quantity: 50.0, unit: 'kg'}]->(b)-[:PRODUCED {line: 1, quantity: 1e-320, unit: 'kg'}]->(out)
		CREATE (out)-[:SHIPPED_TO {shipment_id: $tag + 'SH-OLD', line: 1, quantity: 50.0, unit: 'kg', shipped_at: datetime(), fingerprint: 'w'}]->(c)
		CREATE (huge)-[:SHIPPED_TO {shipment_id: $tag + 'SH-HUGE', line: 1, quantity: 1e308, unit: 'kg', shipped_at: datetime(), fingerprint: 'v'}]->(c)
		CREATE (huge)-[:SHIPPED_TO {shipment_id: $tag + 'SH-HUGE', line: 2, quantity: 1e308, unit: 'kg', shipped_at: datetime(), fingerprint: 'v'}]->(c)`,
		map[string]any{"tag": tg})
	for _, code := range []string{"TINY", "OUT", "HUGE"} {
		checkReports(t, c, tg+code)
	}
	_, raw := c.do(http.MethodGet, "/api/v1/lots/"+tg+"TINY/mass-balance?direction=forward", "", "")
	var balance struct {
		Lots []struct {
			Lot, Status string
			Flagged     bool
		}
	}
	if err := json.Unmarshal(raw, &balance); err != nil {
		t.Fatal(err)
	}
	for _, l := range balance.Lots {
		if l.Lot == tg+"TINY" && (l.Status != "not_comparable" || !l.Flagged) {
			t.Errorf("TINY: %+v, want not_comparable and flagged", l)
		}
	}
	_, raw = c.do(http.MethodGet, "/api/v1/lots/"+tg+"TINY/exposure", "", "")
	if !strings.Contains(string(raw), "too far apart") {
		t.Errorf("exposure of TINY: %s, want not_allocatable saying why", raw)
	}
}
