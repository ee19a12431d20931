package ingest

import (
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The contract's examples (../shared/API.md), the base of every case below.
const (
	receiptExample = `{"lot": {"code": "FLOUR-A", "product": "FLOUR-AP-25KG", "description": "All-purpose flour",
         "quantity": 1000, "unit": "kg", "supplier_lot": "MILL-7781", "expires_at": "2027-05-01"},
 "supplier": {"id": "SUP-MILL", "name": "Prairie Mill Co.", "location": "Saskatoon, SK"},
 "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1",
 "reference": {"type": "PO", "number": "PO-1234"}}`
	productionExample = `{"batch": {"id": "B-2026-10-04-01", "line": "L1"},
 "produced_at": "2026-10-04T12:00:00Z", "location": "BAKERY-1",
 "inputs":  [{"lot": "FLOUR-A", "quantity": 100, "unit": "kg"}],
 "outputs": [{"code": "FG-CC-1A", "product": "COOKIE-CC-12", "description": "Chocolate chip cookies 12-pack",
              "quantity": 200, "unit": "case", "expires_at": "2027-01-04"}]}`
	shipmentExample = `{"id": "SH-1", "customer": {"id": "CUST-A", "name": "Corner Grocer", "location": "12 Main St"},
 "shipped_at": "2026-10-08T16:00:00Z", "from": "BAKERY-1",
 "reference": {"type": "BOL", "number": "BOL-77"},
 "lines": [{"lot": "FG-CC-1A", "quantity": 50, "unit": "case"}]}`
)

func TestDecodeExamples(t *testing.T) {
	r, err := DecodeReceipt([]byte(receiptExample))
	if err != nil {
		t.Fatalf("receipt example: %v", err)
	}
	if r.Lot.Code != "FLOUR-A" || r.Lot.Quantity != (graph.Quantity{Amount: 1000, Unit: "kg"}) || r.Supplier.ID != "SUP-MILL" ||
		!r.ReceivedAt.Equal(time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)) || r.EffectiveTLCSource() != "Saskatoon, SK" {
		t.Errorf("receipt decoded wrong: %+v", r)
	}
	p, err := DecodeProduction([]byte(productionExample))
	if err != nil {
		t.Fatalf("production example: %v", err)
	}
	if p.Batch.ID != "B-2026-10-04-01" || len(p.Inputs) != 1 || p.Inputs[0].Lot != "FLOUR-A" || p.Outputs[0].Code != "FG-CC-1A" ||
		p.Reference != (graph.Reference{Type: "batch log", Number: "B-2026-10-04-01"}) || p.EffectiveTLCSource() != "BAKERY-1" {
		t.Errorf("production decoded wrong: %+v", p)
	}
	s, err := DecodeShipment([]byte(shipmentExample))
	if err != nil {
		t.Fatalf("shipment example: %v", err)
	}
	if s.ID != "SH-1" || s.Customer.ID != "CUST-A" || s.Lines[0].Quantity.Amount != 50 {
		t.Errorf("shipment decoded wrong: %+v", s)
	}
}

func TestTimesAreNormalisedSoResendsMatch(t *testing.T) {
	a, err := DecodeReceipt([]byte(receiptExample))
	if err != nil {
		t.Fatal(err)
	}
	b, err := DecodeReceipt([]byte(strings.Replace(receiptExample, "2026-10-01T07:00:00Z", "2026-10-01T09:00:00+02:00", 1)))
	if err != nil {
		t.Fatal(err)
	}
	if a.Fingerprint() != b.Fingerprint() {
		t.Error("the same instant written in two zones must be the same event")
	}
	c, _ := DecodeReceipt([]byte(strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": 999`, 1)))
	if a.Fingerprint() == c.Fingerprint() {
		t.Error("a different quantity must change the fingerprint")
	}
}

// TestDecodeProblems: each bad input is refused with the right code, naming the field.
func TestDecodeProblems(t *testing.T) {
	type decodeFunc func([]byte) error
	receipt := func(b []byte) error { _, err := DecodeReceipt(b); return err }
	production := func(b []byte) error { _, err := DecodeProduction(b); return err }
	shipment := func(b []byte) error { _, err := DecodeShipment(b); return err }
	event := func(b []byte) error { _, err := DecodeEvent(b); return err }
	tests := []struct {
		name      string
		decode    decodeFunc
		body      string
		wantCode  string
		wantField string
	}{
		{"not JSON", receipt, `{"lot":`, graph.EMALFORMED, ""},
		{"empty body", receipt, ``, graph.EMALFORMED, ""},
		{"two documents", receipt, receiptExample + receiptExample, graph.EMALFORMED, ""},
		{"quantity as string", receipt, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": "1000"`, 1), graph.EMALFORMED, "lot.quantity"},
		{"unknown field", receipt, strings.Replace(receiptExample, `"location": "BAKERY-1"`, `"locaton": "BAKERY-1"`, 1), graph.EMALFORMED, "locaton"},
		{"missing lot", receipt, `{"supplier": {"id": "S", "location": "x"}, "received_at": "2026-10-01T07:00:00Z", "location": "B", "reference": {"type": "PO", "number": "1"}}`, graph.EINVALID, "lot"},
		{"missing lot code", receipt, strings.Replace(receiptExample, `"code": "FLOUR-A", `, ``, 1), graph.EINVALID, "lot.code"},
		{"missing supplier location", receipt, strings.Replace(receiptExample, `, "location": "Saskatoon, SK"`, ``, 1), graph.EINVALID, "supplier.location"},
		{"missing received_at", receipt, strings.Replace(receiptExample, `"received_at": "2026-10-01T07:00:00Z", `, ``, 1), graph.EINVALID, "received_at"},
		{"missing reference", receipt, strings.Replace(receiptExample, `,
 "reference": {"type": "PO", "number": "PO-1234"}`, ``, 1), graph.EINVALID, "reference"},
		{"zero quantity", receipt, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": 0`, 1), graph.EINVALID, "lot.quantity"},
		{"denormal quantity", receipt, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": 1e-320`, 1), graph.EINVALID, "lot.quantity"},
		{"quantity below a millionth", receipt, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": 0.0000009`, 1), graph.EINVALID, "lot.quantity"},
		{"quantity above a trillion", receipt, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": 1e12001`, 1), graph.EMALFORMED, "lot.quantity"},
		{"quantity just above a trillion", receipt, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": 1000000000001`, 1), graph.EINVALID, "lot.quantity"},
		{"shipped quantity 1e300", shipment, strings.Replace(shipmentExample, `"quantity": 50`, `"quantity": 1e300`, 1), graph.EINVALID, "lines[0].quantity"},
		{"negative quantity", receipt, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": -5`, 1), graph.EINVALID, "lot.quantity"},
		{"missing quantity", receipt, strings.Replace(receiptExample, `"quantity": 1000, `, ``, 1), graph.EINVALID, "lot.quantity"},
		{"empty unit", receipt, strings.Replace(receiptExample, `"unit": "kg"`, `"unit": ""`, 1), graph.EINVALID, "lot.unit"},
		{"date not RFC 3339", receipt, strings.Replace(receiptExample, `2026-10-01T07:00:00Z`, `01/10/2026 07:00`, 1), graph.EINVALID, "received_at"},
		{"date without zone", receipt, strings.Replace(receiptExample, `2026-10-01T07:00:00Z`, `2026-10-01T07:00:00`, 1), graph.EINVALID, "received_at"},
		{"bad expiry date", receipt, strings.Replace(receiptExample, `2027-05-01`, `2027-13-01`, 1), graph.EINVALID, "lot.expires_at"},
		{"control character in lot code", receipt, strings.Replace(receiptExample, `FLOUR-A`, `FLOUR\u0007A`, 1), graph.EINVALID, "lot.code"},
		{"newline in supplier id", receipt, strings.Replace(receiptExample, `SUP-MILL`, `SUP\nMILL`, 1), graph.EINVALID, "supplier.id"},
		{"lot code too long", receipt, strings.Replace(receiptExample, `FLOUR-A`, strings.Repeat("A", 201), 1), graph.EINVALID, "lot.code"},
		{"lot code with surrounding space", receipt, strings.Replace(receiptExample, `"FLOUR-A"`, `" FLOUR-A"`, 1), graph.EINVALID, "lot.code"},
		{"no inputs", production, strings.Replace(productionExample, `[{"lot": "FLOUR-A", "quantity": 100, "unit": "kg"}]`, `[]`, 1), graph.EINVALID, "inputs"},
		{"no outputs field", production, `{"batch": {"id": "B"}, "produced_at": "2026-10-04T12:00:00Z", "location": "X", "inputs": [{"lot": "A", "quantity": 1, "unit": "kg"}]}`, graph.EINVALID, "outputs"},
		{"input quantity zero", production, strings.Replace(productionExample, `"quantity": 100`, `"quantity": 0`, 1), graph.EINVALID, "inputs[0].quantity"},
		{"input listed twice", production, strings.Replace(productionExample, `[{"lot": "FLOUR-A", "quantity": 100, "unit": "kg"}]`, `[{"lot": "FLOUR-A", "quantity": 100, "unit": "kg"}, {"lot": "FLOUR-A", "quantity": 1, "unit": "kg"}]`, 1), graph.EINVALID, "inputs[1].lot"},
		{"output is also an input", production, strings.Replace(productionExample, `"code": "FG-CC-1A"`, `"code": "FLOUR-A"`, 1), graph.EINVALID, "outputs[0].code"},
		{"shipment without lines", shipment, strings.Replace(shipmentExample, `[{"lot": "FG-CC-1A", "quantity": 50, "unit": "case"}]`, `[]`, 1), graph.EINVALID, "lines"},
		{"shipment line unit missing", shipment, strings.Replace(shipmentExample, `, "unit": "case"`, ``, 1), graph.EINVALID, "lines[0].unit"},
		{"shipment id control char", shipment, strings.Replace(shipmentExample, `"SH-1"`, `"SH\t1"`, 1), graph.EINVALID, "id"},
		{"event without type", event, receiptExample, graph.EINVALID, "type"},
		{"event of unknown type", event, `{"type": "harvest"}`, graph.EINVALID, "type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode([]byte(tt.body))
			if got := graph.ErrorCode(err); got != tt.wantCode {
				t.Fatalf("code = %q (%v), want %q", got, err, tt.wantCode)
			}
			if tt.wantField == "" {
				return
			}
			for _, f := range graph.ErrorFields(err) {
				if f.Field == tt.wantField {
					return
				}
			}
			t.Errorf("problems %+v do not name %q", graph.ErrorFields(err), tt.wantField)
		})
	}
}

func TestIdentifiersAcceptGS1(t *testing.T) {
	for _, id := range []string{"urn:epc:class:lgtin:4012345.012345.998877", "(01)09506000134352(10)AB-123", "LOT 42/ä", "Crème brûlée 🍪", "x"} {
		if !IsIdentifier(id) {
			t.Errorf("IsIdentifier(%q) = false, want true", id)
		}
	}
	for _, id := range []string{"", "a\x00b", "tab\there", strings.Repeat("x", 201), "trailing ",
		"zero\u200bwidth", "LOT\u202eA-1", "\ufeffBOM", "nb\u00a0space", "\u3000wide", "line\u2028sep", "c1\u0085"} {
		if IsIdentifier(id) {
			t.Errorf("IsIdentifier(%q) = true, want false", id)
		}
	}
}

// TestTypeMustMatchTheRoute: "type" is allowed on the single-event routes, as the OpenAPI
// document says, but only as that route's kind ("type": "AAA" on /shipments was accepted).
func TestTypeMustMatchTheRoute(t *testing.T) {
	for _, tt := range []struct {
		name   string
		decode func([]byte) error
		body   string
	}{
		{"receipt", func(b []byte) error { _, err := DecodeReceipt(b); return err }, receiptExample},
		{"production", func(b []byte) error { _, err := DecodeProduction(b); return err }, productionExample},
		{"shipment", func(b []byte) error { _, err := DecodeShipment(b); return err }, shipmentExample},
	} {
		withType := func(typ string) []byte { return []byte(`{"type": "` + typ + `", ` + strings.TrimPrefix(tt.body, "{")) }
		if err := tt.decode(withType(tt.name)); err != nil {
			t.Errorf("%s with its own type: %v", tt.name, err)
		}
		for _, other := range []string{"AAA", "receipt", "shipment"} {
			if other == tt.name {
				continue
			}
			err := tt.decode(withType(other))
			if graph.ErrorCode(err) != graph.EINVALID || len(graph.ErrorFields(err)) != 1 || graph.ErrorFields(err)[0].Field != "type" {
				t.Errorf("%s with type %q: %v, want invalid naming type", tt.name, other, err)
			}
		}
	}
}

// TestNullIsNotLeftOut: a field sent as null is refused, naming it, where encoding/json
// would take it as left out ("type": null on /shipments was accepted).
func TestNullIsNotLeftOut(t *testing.T) {
	for _, tt := range []struct{ body, field string }{
		{`{"type": null, ` + strings.TrimPrefix(shipmentExample, "{"), "type"},
		{strings.Replace(shipmentExample, `"name": "Corner Grocer"`, `"name": null`, 1), "customer.name"},
		{strings.Replace(shipmentExample, `"unit": "case"}]`, `"unit": null}]`, 1), "lines[0].unit"},
		{strings.Replace(shipmentExample, `"lines": [{"lot": "FG-CC-1A", "quantity": 50, "unit": "case"}]`,
			`"lines": [{"lot": "FG-CC-1A", "quantity": 50, "unit": "case"}, {"lot": "A", "quantity": null, "unit": "kg"}]`, 1), "lines[1].quantity"},
		{strings.Replace(shipmentExample, `"reference": {"type": "BOL", "number": "BOL-77"}`, `"reference": null`, 1), "reference"},
	} {
		_, err := DecodeShipment([]byte(tt.body))
		if graph.ErrorCode(err) != graph.EMALFORMED || len(graph.ErrorFields(err)) != 1 || graph.ErrorFields(err)[0].Field != tt.field {
			t.Errorf("%s: %v, want malformed naming %s", tt.field, err, tt.field)
		}
	}
	// The word null inside a string is text like any other.
	if _, err := DecodeShipment([]byte(strings.Replace(shipmentExample, "Corner Grocer", "null and void", 1))); err != nil {
		t.Errorf("a name holding the word null: %v", err)
	}
}

// TestGS1LotsAreStoredUnderOneCode: a lot written as an LGTIN URN or as a Digital Link on any
// domain decodes to its canonical Digital Link in receipts, batches and shipments, and the
// two forms of one lot in one batch are the same lot listed twice.
func TestGS1LotsAreStoredUnderOneCode(t *testing.T) {
	const urn, link, canon = "urn:epc:class:lgtin:4012345.012345.998877", "https://example.com/01/04012345123456/10/998877",
		"https://id.gs1.org/01/04012345123456/10/998877"
	r, err := DecodeReceipt([]byte(`{"lot": {"code": "` + urn + `", "product": "P", "quantity": 1, "unit": "kg"},
		"supplier": {"id": "S", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "L", "reference": {"type": "PO", "number": "1"}}`))
	if err != nil || r.Lot.Code != canon {
		t.Fatalf("receipt: %v, %v; want the lot as %s", r, err, canon)
	}
	s, err := DecodeShipment([]byte(`{"id": "SH", "customer": {"id": "C", "location": "X"}, "shipped_at": "2026-10-02T07:00:00Z", "from": "L",
		"reference": {"type": "BOL", "number": "1"}, "lines": [{"lot": "` + link + `", "quantity": 1, "unit": "kg"}, {"lot": "FG-1", "quantity": 1, "unit": "kg"}]}`))
	if err != nil || s.Lines[0].Lot != canon || s.Lines[1].Lot != "FG-1" {
		t.Fatalf("shipment: %v, %v; want lines %s and FG-1", s, err, canon)
	}
	_, err = DecodeProduction([]byte(`{"batch": {"id": "B"}, "produced_at": "2026-10-02T07:00:00Z", "location": "L",
		"inputs": [{"lot": "` + urn + `", "quantity": 1, "unit": "kg"}, {"lot": "` + link + `", "quantity": 1, "unit": "kg"}],
		"outputs": [{"code": "OUT", "product": "P", "quantity": 1, "unit": "kg"}]}`))
	if fields := graph.ErrorFields(err); len(fields) != 1 || fields[0].Field != "inputs[1].lot" || !strings.Contains(fields[0].Message, "twice") {
		t.Errorf("a batch listing one lot in two forms: %v, want inputs[1].lot named as listed twice", err)
	}
}
