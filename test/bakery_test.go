package test

import (
	"fmt"
	"strings"
	"testing"
)

// bakeryHistory is a hand-built history with every hard shape: a dough lot consumed in two
// batches, a batch with two output lots, rework (finished lot FG-2 consumed by batch B-2), a
// lot shipped to the same customer twice (FG-1), a lot both shipped and consumed (FG-2), and
// an unrelated history (…-Z) that must never leak into the others' traces.
func bakeryHistory() []string {
	receipt := func(lot, product, unit string, qty float64, supplier, supplierLoc, at string) string {
		return fmt.Sprintf(`{"type": "receipt", "lot": {"code": "{T}%s", "product": "%s", "description": "%s", "quantity": %g, "unit": "%s", "supplier_lot": "S-%s", "expires_at": "2027-06-30"},
			"supplier": {"id": "{T}%s", "name": "%s Co.", "location": "%s"}, "received_at": "%s", "location": "BAKERY-1",
			"reference": {"type": "PO", "number": "PO-%s"}}`, lot, product, strings.ToLower(product), qty, unit, lot, supplier, supplier, supplierLoc, at, lot)
	}
	line := func(lot string, qty float64, unit string) string {
		return fmt.Sprintf(`{"lot": "{T}%s", "quantity": %g, "unit": "%s"}`, lot, qty, unit)
	}
	out := func(lot, product string, qty float64, unit string) string {
		return fmt.Sprintf(`{"code": "{T}%s", "product": "%s", "quantity": %g, "unit": "%s"}`, lot, product, qty, unit)
	}
	production := func(batch, at string, inputs, outputs []string) string {
		return fmt.Sprintf(`{"type": "production", "batch": {"id": "{T}%s", "line": "L1"}, "produced_at": "%s", "location": "BAKERY-1",
			"inputs": [%s], "outputs": [%s]}`, batch, at, strings.Join(inputs, ", "), strings.Join(outputs, ", "))
	}
	shipment := func(id, customer, at string, lines ...string) string {
		return fmt.Sprintf(`{"type": "shipment", "id": "{T}%s", "customer": {"id": "{T}%s", "name": "%s Store", "location": "%s Street"},
			"shipped_at": "%s", "from": "BAKERY-1", "reference": {"type": "BOL", "number": "BOL-%s"}, "lines": [%s]}`,
			id, customer, customer, customer, at, id, strings.Join(lines, ", "))
	}
	l := func(xs ...string) []string { return xs }
	return []string{
		receipt("FLOUR-A", "FLOUR", "kg", 1000, "SUP-MILL", "Saskatoon, SK", "2026-10-01T07:00:00Z"),
		receipt("SALT-A", "SALT", "kg", 100, "SUP-SALT", "Goderich, ON", "2026-10-01T08:00:00Z"),
		receipt("CHIPS-A", "CHOC-CHIPS", "kg", 200, "SUP-CHOC", "Montreal, QC", "2026-10-02T07:00:00Z"),
		production("MIX-1", "2026-10-03T06:00:00Z", l(line("FLOUR-A", 100, "kg"), line("SALT-A", 2, "kg")), l(out("DOUGH-1", "DOUGH", 100, "kg"))),
		production("B-1", "2026-10-03T10:00:00Z", l(line("DOUGH-1", 50, "kg"), line("CHIPS-A", 10, "kg")), l(out("FG-1", "COOKIE-12", 100, "case"), out("FG-2", "COOKIE-24", 50, "case"))),
		production("B-2", "2026-10-04T10:00:00Z", l(line("DOUGH-1", 50, "kg"), line("FG-2", 5, "case")), l(out("FG-3", "COOKIE-CRUMB", 80, "case"))),
		shipment("SH-1", "CUST-A", "2026-10-05T16:00:00Z", line("FG-1", 40, "case")),
		shipment("SH-2", "CUST-A", "2026-10-06T16:00:00Z", line("FG-1", 30, "case")),
		shipment("SH-3", "CUST-B", "2026-10-06T17:00:00Z", line("FG-2", 20, "case")),
		shipment("SH-4", "CUST-C", "2026-10-07T16:00:00Z", line("FG-3", 80, "case")),
		receipt("FLOUR-Z", "FLOUR", "kg", 500, "SUP-OTHER", "Regina, SK", "2026-10-01T07:30:00Z"),
		production("MIX-Z", "2026-10-03T07:00:00Z", l(line("FLOUR-Z", 100, "kg")), l(out("DOUGH-Z", "DOUGH", 100, "kg"))),
		shipment("SH-Z", "CUST-Z", "2026-10-08T16:00:00Z", line("DOUGH-Z", 100, "kg")),
	}
}

// loadBakery stores the bakery history under a fresh tag and returns the tag.
func loadBakery(t *testing.T, c *apiClient) string {
	t.Helper()
	tg := tag(t)
	status, raw := c.do("POST", "/api/v1/events", "application/x-ndjson", tagged(tg, ndjson(bakeryHistory()...)))
	answer := decodeObject(t, raw)
	if status != 200 || answer["accepted"] != float64(len(bakeryHistory())) {
		t.Fatalf("loading the bakery: %d %s", status, raw)
	}
	return tg
}
