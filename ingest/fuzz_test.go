package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The fuzz targets run as seed-corpus tests in every `go test`; to fuzz one, for example:
//   go test -run '^$' -fuzz '^FuzzDecodeReceipt$' -fuzztime 10s -fuzzminimizetime 100x ./ingest/
// (without the bound on minimizing, FuzzNDJSON spends its time shrinking its first finds).
// Each checks that decoding never panics, that an error is a problem naming what is wrong
// (a field, or for a stream its line), and that a valid event encodes back to JSON that
// decodes to the same event.

// oddInputs seed every target besides the contract's examples.
var oddInputs = []string{
	``, `{}`, `[]`, `null`, `"x"`, `{"lot":`, `{"lot": null}`, `{"type": "AAA"}`, `{"": 1}`,
	`{"lot": {"quantity": 1e-320}}`, `{"lot": {"quantity": 1e999}}`, `{"lot": {"quantity": "1"}}`,
	`{"received_at": "2026-13-01T00:00:00Z"}`, "{\"id\": \"SH\\u00001\"}", `{"lines": [{}]}`, `{"inputs": [null]}`,
	"\xff\xfe", `{"a": 1} {"b": 2}`, strings.Repeat("[", 1000), `{"lot": {"code": " X"}}`,
}

func seed(f *testing.F, examples ...string) {
	for _, s := range append(examples, oddInputs...) {
		f.Add([]byte(s))
	}
}

func FuzzDecodeReceipt(f *testing.F) {
	seed(f, receiptExample, strings.Replace(receiptExample, `"quantity": 1000`, `"quantity": 1e-320`, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := DecodeReceipt(data)
		checkDecoded(t, r, err, func(b []byte) (graph.Event, error) { return DecodeReceipt(b) })
	})
}

func FuzzDecodeProduction(f *testing.F) {
	seed(f, productionExample, strings.Replace(productionExample, `"code": "FG-CC-1A"`, `"code": "FLOUR-A"`, 1))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeProduction(data)
		checkDecoded(t, p, err, func(b []byte) (graph.Event, error) { return DecodeProduction(b) })
	})
}

func FuzzDecodeShipment(f *testing.F) {
	seed(f, shipmentExample, `{"type": "AAA", `+strings.TrimPrefix(shipmentExample, "{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := DecodeShipment(data)
		checkDecoded(t, s, err, func(b []byte) (graph.Event, error) { return DecodeShipment(b) })
	})
}

// FuzzNDJSON reads a body of lines: every line comes back once, in order, as an event that
// encodes back to itself or as a problem; the reader never fails on its own.
func FuzzNDJSON(f *testing.F) {
	typed := func(kind, body string) string {
		return `{"type": "` + kind + `", ` + strings.TrimPrefix(strings.ReplaceAll(body, "\n", " "), "{")
	}
	body := typed("receipt", receiptExample) + "\n" + typed("production", productionExample) + "\n\n" + typed("shipment", shipmentExample)
	f.Add([]byte(body))
	f.Add([]byte(body + "\n{}\n\r\n" + `{"type": "harvest"}`))
	f.Add([]byte(strings.Repeat("{}\n", 100)))
	seed(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		lines := bytes.Count(data, []byte("\n")) + 1
		src, last := NewNDJSON(bytes.NewReader(data)), 0
		for {
			line, ev, err := src.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if line <= last || line > lines {
				t.Fatalf("line %d after line %d, in a body of %d lines", line, last, lines)
			}
			last = line
			var problem *graph.Error
			if err != nil && !errors.As(err, &problem) {
				t.Fatalf("line %d: the reader failed: %v", line, err)
			}
			checkDecoded(t, ev, err, DecodeEvent)
		}
	})
}

// checkDecoded checks what a decoder returned: a problem that names its field (when it has
// fields), or an event that survives a round trip through its wire form.
func checkDecoded[E graph.Event](t *testing.T, ev E, err error, decode func([]byte) (graph.Event, error)) {
	t.Helper()
	if err != nil {
		checkProblem(t, err)
		return
	}
	data, err := json.Marshal(wireOf(ev))
	if err != nil {
		t.Fatalf("encoding a valid event: %v", err)
	}
	again, err := decode(data)
	if err != nil {
		t.Fatalf("a valid event, encoded as %s, does not decode: %v", data, err)
	}
	if !reflect.DeepEqual(graph.Event(ev), again) || ev.Fingerprint() != again.Fingerprint() {
		t.Fatalf("round trip changed the event:\n%+v\n%+v", ev, again)
	}
}

// checkProblem checks that a decoding error is a problem the API shows as a 400 or 422 and
// that says what is wrong: each field problem names the field and says what it must be.
func checkProblem(t *testing.T, err error) {
	t.Helper()
	code := graph.ErrorCode(err)
	if code != graph.EMALFORMED && code != graph.EINVALID {
		t.Fatalf("error %v has code %q, want malformed or invalid", err, code)
	}
	if graph.ErrorMessage(err) == "" {
		t.Fatalf("error %v has no message", err)
	}
	fields := graph.ErrorFields(err)
	if code == graph.EINVALID && len(fields) == 0 {
		t.Fatalf("invalid event without the field at fault: %v", err)
	}
	for _, fe := range fields {
		if fe.Message == "" || (fe.Field == "" && fe.Message != "is not a field of this event") {
			t.Fatalf("a field problem that does not say where or what: %+v", fe)
		}
	}
}

// wireOf is the wire form of a decoded event, with its type, as the NDJSON route takes it.
func wireOf(ev graph.Event) any {
	at := func(t time.Time) string { return t.Format(time.RFC3339Nano) }
	q := func(x float64) *float64 { return &x }
	ref := func(r graph.Reference) *ReferenceJSON { return &ReferenceJSON{Type: r.Type, Number: r.Number} }
	lineJSON := func(ls []graph.LotQuantity) []LineJSON {
		out := make([]LineJSON, len(ls))
		for i, l := range ls {
			out[i] = LineJSON{Lot: string(l.Lot), Quantity: q(l.Quantity.Amount), Unit: l.Quantity.Unit}
		}
		return out
	}
	switch e := ev.(type) {
	case *graph.Receipt:
		return ReceiptJSON{Type: "receipt", Lot: &LotJSON{Code: string(e.Lot.Code), Product: e.Lot.Product, Description: e.Lot.Description,
			Quantity: q(e.Lot.Quantity.Amount), Unit: e.Lot.Quantity.Unit, SupplierLot: e.Lot.SupplierLot, ExpiresAt: e.Lot.ExpiresAt},
			Supplier:   &SupplierJSON{ID: string(e.Supplier.ID), Name: e.Supplier.Name, Location: e.Supplier.Location},
			ReceivedAt: at(e.ReceivedAt), Location: e.Location, TLCSource: e.TLCSource, Reference: ref(e.Reference)}
	case *graph.Production:
		outs := make([]OutputLotJSON, len(e.Outputs))
		for i, o := range e.Outputs {
			outs[i] = OutputLotJSON{Code: string(o.Code), Product: o.Product, Description: o.Description,
				Quantity: q(o.Quantity.Amount), Unit: o.Quantity.Unit, ExpiresAt: o.ExpiresAt}
		}
		return ProductionJSON{Type: "production", Batch: &BatchJSON{ID: string(e.Batch.ID), Line: e.Batch.Line},
			ProducedAt: at(e.ProducedAt), Location: e.Location, TLCSource: e.TLCSource, Reference: ref(e.Reference),
			Inputs: lineJSON(e.Inputs), Outputs: outs}
	case *graph.Shipment:
		return ShipmentJSON{Type: "shipment", ID: string(e.ID),
			Customer:  &CustomerJSON{ID: string(e.Customer.ID), Name: e.Customer.Name, Location: e.Customer.Location, Contact: e.Customer.Contact},
			ShippedAt: at(e.ShippedAt), From: e.From, Reference: ref(e.Reference), Lines: lineJSON(e.Lines)}
	}
	return nil
}
