package ingest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/gs1"
)

// DecodeReceipt reads one receipt document and returns it validated, or an *graph.Error:
// EMALFORMED when it is not the expected JSON, EINVALID naming every bad field.
func DecodeReceipt(data []byte) (*graph.Receipt, error) {
	var w ReceiptJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	return w.Event()
}

// DecodeProduction reads one production document; see DecodeReceipt.
func DecodeProduction(data []byte) (*graph.Production, error) {
	var w ProductionJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	return w.Event()
}

// DecodeShipment reads one shipment document; see DecodeReceipt.
func DecodeShipment(data []byte) (*graph.Shipment, error) {
	var w ShipmentJSON
	if err := decodeStrict(data, &w); err != nil {
		return nil, err
	}
	return w.Event()
}

// DecodeEvent reads one event that names its kind in "type": receipt, production or shipment.
func DecodeEvent(data []byte) (graph.Event, error) {
	typ, err := eventType(data)
	if err != nil {
		return nil, err
	}
	switch graph.EventKind(typ) {
	case graph.KindReceipt:
		return DecodeReceipt(data)
	case graph.KindProduction:
		return DecodeProduction(data)
	case graph.KindShipment:
		return DecodeShipment(data)
	case "":
		return nil, graph.Invalid("the event has no type", graph.FieldError{Field: "type", Message: "is required: receipt, production or shipment"})
	default:
		return nil, graph.Invalid("unknown event type", graph.FieldError{Field: "type", Message: fmt.Sprintf("%q is not receipt, production or shipment", typ)})
	}
}

// decodeStrict decodes exactly one JSON value, refusing unknown fields so that a misspelt
// field is reported instead of silently dropped.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return malformed(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return graph.Errorf(graph.EMALFORMED, "unexpected data after the JSON document")
	}
	// encoding/json takes null as "leave the field as it is", so an optional field sent as
	// null would pass as left out, where the OpenAPI document says it must be a string or an
	// object. Only a document that holds the bytes null at all is searched.
	if bytes.Contains(data, []byte("null")) {
		if field, found := nullField(data); found && field == "" {
			return graph.Errorf(graph.EMALFORMED, "the document must be a JSON object, not null")
		} else if found {
			return &graph.Error{Code: graph.EMALFORMED, Message: "null value",
				Fields: []graph.FieldError{{Field: field, Message: "must not be null: leave the field out instead"}}}
		}
	}
	return nil
}

// nullField returns the wire path ("lines[2].unit") of the first null in a JSON document
// that has already decoded.
func nullField(data []byte) (string, bool) {
	type level struct {
		object bool
		key    string // the current key of an object
		index  int    // the next index of an array
	}
	var stack []level
	path := func() string {
		var b strings.Builder
		for _, l := range stack {
			if l.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(l.key)
			} else {
				fmt.Fprintf(&b, "[%d]", l.index-1)
			}
		}
		return b.String()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	expectKey := false
	for {
		tok, err := dec.Token()
		if err != nil {
			return "", false
		}
		top := len(stack) - 1
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:top]
			expectKey = len(stack) > 0 && stack[len(stack)-1].object
			continue
		}
		if expectKey { // an object's key
			stack[top].key, expectKey = tok.(string), false
			continue
		}
		if top >= 0 && !stack[top].object {
			stack[top].index++
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, level{object: true})
			expectKey = true
			continue
		case json.Delim('['):
			stack = append(stack, level{})
			continue
		case nil:
			return path(), true
		}
		expectKey = top >= 0 && stack[top].object
	}
}

// malformed turns a JSON decoding error into an EMALFORMED error that names the field.
func malformed(err error) error {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		field := typeErr.Field
		if field == "" { // the document itself: an array, a string, a number
			return graph.Errorf(graph.EMALFORMED, "the document must be a JSON object, not %s", typeErr.Value)
		}
		return &graph.Error{Code: graph.EMALFORMED, Message: "wrong JSON type",
			Fields: []graph.FieldError{{Field: field, Message: fmt.Sprintf("must be %s, not %s", jsonKind(typeErr.Type.Kind().String()), typeErr.Value)}}}
	case errors.As(err, &syntaxErr):
		return graph.Errorf(graph.EMALFORMED, "malformed JSON at byte %d: %v", syntaxErr.Offset, err)
	case errors.Is(err, io.EOF):
		return graph.Errorf(graph.EMALFORMED, "empty body: a JSON document is required")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return graph.Errorf(graph.EMALFORMED, "malformed JSON: the document ends early")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &graph.Error{Code: graph.EMALFORMED, Message: "unknown field",
			Fields: []graph.FieldError{{Field: name, Message: "is not a field of this event"}}}
	default:
		return graph.Errorf(graph.EMALFORMED, "malformed JSON: %v", err)
	}
}

func jsonKind(goKind string) string {
	switch goKind {
	case "float64", "float32", "int", "int64":
		return "a number"
	case "string":
		return "a string"
	case "slice":
		return "an array"
	case "struct", "ptr", "map":
		return "an object"
	default:
		return goKind
	}
}

// invalidEvent wraps field problems into one EINVALID error.
func invalidEvent(problems []graph.FieldError) error {
	return graph.Invalid("the event has invalid fields", problems...)
}

// Event validates the receipt and converts it to the domain type.
func (w *ReceiptJSON) Event() (*graph.Receipt, error) {
	if problems := check(w); len(problems) > 0 {
		return nil, invalidEvent(problems)
	}
	return &graph.Receipt{
		Lot: graph.NewLot{
			Code: lotCode(w.Lot.Code), Product: w.Lot.Product, Description: w.Lot.Description,
			Quantity:    graph.Quantity{Amount: *w.Lot.Quantity, Unit: w.Lot.Unit},
			SupplierLot: w.Lot.SupplierLot, ExpiresAt: w.Lot.ExpiresAt,
		},
		Supplier:   graph.Supplier{ID: graph.SupplierID(w.Supplier.ID), Name: w.Supplier.Name, Location: w.Supplier.Location},
		ReceivedAt: mustTime(w.ReceivedAt),
		Location:   w.Location,
		TLCSource:  w.TLCSource,
		Reference:  graph.Reference{Type: w.Reference.Type, Number: w.Reference.Number},
	}, nil
}

// Event validates the production and converts it to the domain type.
func (w *ProductionJSON) Event() (*graph.Production, error) {
	problems := check(w)
	if len(problems) == 0 {
		problems = productionRules(w)
	}
	if len(problems) > 0 {
		return nil, invalidEvent(problems)
	}
	p := &graph.Production{
		Batch:      graph.Batch{ID: graph.BatchID(w.Batch.ID), Line: w.Batch.Line},
		ProducedAt: mustTime(w.ProducedAt),
		Location:   w.Location,
		TLCSource:  w.TLCSource,
		// The batch log is the reference document of a transformation when none is named.
		Reference: graph.Reference{Type: "batch log", Number: w.Batch.ID},
		Inputs:    lines(w.Inputs),
		Outputs:   make([]graph.NewLot, len(w.Outputs)),
	}
	if w.Reference != nil {
		p.Reference = graph.Reference{Type: w.Reference.Type, Number: w.Reference.Number}
	}
	for i, o := range w.Outputs {
		p.Outputs[i] = graph.NewLot{Code: lotCode(o.Code), Product: o.Product, Description: o.Description,
			Quantity: graph.Quantity{Amount: *o.Quantity, Unit: o.Unit}, ExpiresAt: o.ExpiresAt}
	}
	return p, nil
}

// productionRules are the checks that span fields: a lot listed twice, or both consumed and
// produced by the same batch, would make the genealogy ambiguous.
func productionRules(w *ProductionJSON) []graph.FieldError {
	var problems []graph.FieldError
	inputs := map[string]bool{}
	for i, in := range w.Inputs {
		if inputs[gs1.Canonical(in.Lot)] {
			problems = append(problems, graph.FieldError{Field: fmt.Sprintf("inputs[%d].lot", i), Message: fmt.Sprintf("lot %s is listed twice: give its total quantity on one line", in.Lot)})
		}
		inputs[gs1.Canonical(in.Lot)] = true
	}
	outputs := map[string]bool{}
	for i, out := range w.Outputs {
		field := fmt.Sprintf("outputs[%d].code", i)
		code := gs1.Canonical(out.Code)
		if outputs[code] {
			problems = append(problems, graph.FieldError{Field: field, Message: fmt.Sprintf("lot %s is listed twice", out.Code)})
		}
		if inputs[code] {
			problems = append(problems, graph.FieldError{Field: field, Message: fmt.Sprintf("lot %s cannot be both an input and an output of one batch", out.Code)})
		}
		outputs[code] = true
	}
	return problems
}

// Event validates the shipment and converts it to the domain type.
func (w *ShipmentJSON) Event() (*graph.Shipment, error) {
	if problems := check(w); len(problems) > 0 {
		return nil, invalidEvent(problems)
	}
	return &graph.Shipment{
		ID:        graph.ShipmentID(w.ID),
		Customer:  graph.Customer{ID: graph.CustomerID(w.Customer.ID), Name: w.Customer.Name, Location: w.Customer.Location, Contact: w.Customer.Contact},
		ShippedAt: mustTime(w.ShippedAt),
		From:      w.From,
		Reference: graph.Reference{Type: w.Reference.Type, Number: w.Reference.Number},
		Lines:     lines(w.Lines),
	}, nil
}

func lines(ws []LineJSON) []graph.LotQuantity {
	out := make([]graph.LotQuantity, len(ws))
	for i, l := range ws {
		out[i] = graph.LotQuantity{Lot: lotCode(l.Lot), Quantity: graph.Quantity{Amount: *l.Quantity, Unit: l.Unit}}
	}
	return out
}

// lotCode is the code a lot is stored under: a GS1 lot, written as an LGTIN URN or a Digital
// Link, under its canonical Digital Link, so that the JSON routes and EPCIS captures name it
// alike; any other code as given.
func lotCode(code string) graph.LotCode { return graph.LotCode(gs1.Canonical(code)) }

// mustTime parses a time the validator has already accepted, normalised to UTC so that the
// same instant written in two zones is the same event.
func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic("ingest: time passed validation but does not parse: " + s)
	}
	return t.UTC()
}
