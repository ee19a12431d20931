package epcis

import (
	"bytes"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/gs1"
	"github.com/lot-trace/lot-trace/ingest"
)

// The capture side of the mapping: a document's events, validated against GS1's schema and
// mapped onto receipts, productions and shipments (README, "EPCIS"):
//
//	ObjectEvent receiving     -> one receipt per lot of quantityList; supplier from sourceList
//	                             (owning_party, else possessing_party; location), our location
//	                             bizLocation, reference the first bizTransaction
//	TransformationEvent       -> one production: inputQuantityList consumed, outputQuantityList
//	                             produced; the batch is transformationID, else the eventID
//	ObjectEvent shipping      -> one shipment (its id the eventID): quantityList lines to the
//	                             customer of destinationList
//
// Lot attributes come from the document's master data (the lot's EPCClass element: product,
// description, expiry, supplier lot, TLC source) or the event's ILMD; party and location names
// from master data. Anything else is stored and queried but not put in the genealogy, and
// says why (CapturedEvent.NotInGenealogy).

// DocumentPath is where a document's events are, for problem paths.
const DocumentPath = "epcisBody.eventList"

// ReadDocument validates a document against GS1's schema and reads its events. A document
// that is not JSON is EMALFORMED; one the schema refuses, or whose events break the
// genealogy's rules (a quantity out of range, ...), is EINVALID naming each path and rule.
// An EPCISQueryDocument's events are read too.
func (v *Validator) ReadDocument(body []byte) ([]graph.CapturedEvent, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, graph.Errorf(graph.EMALFORMED, "the body is not a JSON object: %v", err)
	}
	var docType string
	_ = json.Unmarshal(top["type"], &docType)
	path := DocumentPath
	var events []json.RawMessage
	shell := map[string]json.RawMessage{}
	for k, val := range top {
		shell[k] = val
	}
	switch docType {
	case "EPCISDocument":
		var b map[string]json.RawMessage
		if json.Unmarshal(top["epcisBody"], &b) == nil && b != nil {
			_ = json.Unmarshal(b["eventList"], &events)
			if b["eventList"] != nil {
				b["eventList"] = json.RawMessage("[]")
			}
			shell["epcisBody"], _ = json.Marshal(b)
		}
	case "EPCISQueryDocument":
		var q struct {
			QueryResults struct {
				ResultsBody struct {
					EventList []json.RawMessage `json:"eventList"`
				} `json:"resultsBody"`
			} `json:"queryResults"`
		}
		_ = json.Unmarshal(top["epcisBody"], &q)
		events = q.QueryResults.ResultsBody.EventList
		path = "epcisBody.queryResults.resultsBody.eventList"
		// The shell keeps the whole body: query documents are small.
	default:
		return nil, graph.Invalid("not an EPCIS document", graph.FieldError{Field: "type", Message: "must be EPCISDocument or EPCISQueryDocument"})
	}
	raw, _ := json.Marshal(shell)
	generic, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, graph.Errorf(graph.EMALFORMED, "the body is not JSON: %v", err)
	}
	problems := v.Document(generic, "")
	ns := NamespacesOf(generic.(map[string]any)["@context"])
	md := masterDataOf(top["epcisHeader"])
	// Events are read on every core (the schema is most of the work), and kept in order.
	out := make([]graph.CapturedEvent, len(events))
	errs := make([][]graph.FieldError, len(events))
	next := make(chan int)
	var wg sync.WaitGroup
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range next {
				out[i], errs[i] = v.readEvent(events[i], ns, md, fmt.Sprintf("%s[%d]", path, i), docType == "EPCISDocument")
			}
		})
	}
	for i := range events {
		next <- i
	}
	close(next)
	wg.Wait()
	for i := range events {
		problems = append(problems, errs[i]...)
		if len(problems) > maxProblems {
			problems = append(problems[:maxProblems], graph.FieldError{Field: fmt.Sprintf("%s[%d]", path, i), Message: "more problems follow; the first ones are listed"})
			break
		}
	}
	if len(problems) > 0 {
		return nil, graph.Invalid("the document does not follow the EPCIS 2.0 schema or the genealogy's rules", problems...)
	}
	return out, nil
}

// maxProblems bounds the problems one answer lists.
const maxProblems = 1000

// ReadEvent validates and reads one event sent alone (POST /epcis/events): it carries its
// own @context.
func (v *Validator) ReadEvent(body []byte) (graph.CapturedEvent, error) {
	generic, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return graph.CapturedEvent{}, graph.Errorf(graph.EMALFORMED, "the body is not JSON: %v", err)
	}
	m, ok := generic.(map[string]any)
	if !ok {
		return graph.CapturedEvent{}, graph.Errorf(graph.EMALFORMED, "the body must be a JSON object")
	}
	if t, _ := m["type"].(string); t == "EPCISDocument" || t == "EPCISQueryDocument" {
		return graph.CapturedEvent{}, graph.Invalid("not an event", graph.FieldError{Field: "type", Message: "must be an event type: send documents to /epcis/capture"})
	}
	problems := v.Document(generic, "")
	ev, errs := v.readEvent(body, NamespacesOf(m["@context"]), MasterData{}, "", false)
	if problems = append(problems, errs...); len(problems) > 0 {
		return graph.CapturedEvent{}, graph.Invalid("the event does not follow the EPCIS 2.0 schema or the genealogy's rules", problems...)
	}
	return ev, nil
}

// readEvent validates one event (against the schema of a document's events when inDocument)
// and maps it.
func (v *Validator) readEvent(raw json.RawMessage, ns Namespaces, md MasterData, at string, inDocument bool) (graph.CapturedEvent, []graph.FieldError) {
	generic, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return graph.CapturedEvent{}, []graph.FieldError{{Field: at, Message: "is not JSON"}}
	}
	if inDocument {
		if problems := v.Event(generic, at); len(problems) > 0 {
			return graph.CapturedEvent{}, problems
		}
	}
	m, _ := generic.(map[string]any)
	var ev Event
	if err := json.Unmarshal(raw, &ev); err != nil {
		return graph.CapturedEvent{}, []graph.FieldError{{Field: at, Message: "cannot be read: " + err.Error()}}
	}
	c := graph.CapturedEvent{ID: ev.EventID, Type: ev.Type, Hash: EventHash(m, ns), BizStep: BizStepOf(ev.BizStep)}
	if c.ID == "" {
		c.ID = c.Hash
		raw = withEventID(raw, c.ID)
	}
	c.JSON = compact(raw)
	c.Time, _ = time.Parse(time.RFC3339Nano, ev.EventTime)
	c.Time = c.Time.UTC()
	if ev.BizLocation != nil {
		c.BizLocation = ev.BizLocation.ID
	}
	c.Classes, c.InputClasses, c.OutputClasses = classes(ev.QuantityList), classes(ev.InputQuantityList), classes(ev.OutputQuantityList)
	m2 := mapper{ev: &ev, id: c.ID, md: md, ns: ns}
	ctes, keys, why, problems := m2.ctes()
	if len(problems) > 0 {
		for i := range problems {
			problems[i].Field = joinPath(at, problems[i].Field)
		}
		return c, problems
	}
	c.CTEs, c.Keys, c.NotInGenealogy = ctes, keys, why
	return c, nil
}

// classes lists the epcClass values of a quantity list as given and, for lots, canonical.
func classes(qs []QuantityElement) []string {
	out := []string{}
	for _, q := range qs {
		out = append(out, q.EPCClass)
		if code, kind := Lot(q.EPCClass); kind != NotALot && code != q.EPCClass {
			out = append(out, code)
		}
	}
	return out
}

// withEventID puts eventID first into an event's JSON object.
func withEventID(raw json.RawMessage, id string) json.RawMessage {
	trimmed := bytes.TrimSpace(raw)
	quoted, _ := json.Marshal(id)
	out := make([]byte, 0, len(trimmed)+len(quoted)+16)
	out = append(out, `{"eventID":`...)
	out = append(out, quoted...)
	rest := bytes.TrimSpace(trimmed[1:])
	if len(rest) > 0 && rest[0] != '}' {
		out = append(out, ',')
	}
	return append(out, rest...)
}

func compact(raw []byte) string {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return string(raw)
	}
	return b.String()
}

// mapper maps one event onto the genealogy.
type mapper struct {
	ev *Event
	id string
	md MasterData
	ns Namespaces
}

// ctes maps the event: its CTEs and their keys, or why it has none; problems when it is a
// CTE whose data breaks the genealogy's rules.
func (m mapper) ctes() ([]graph.Event, []string, string, []graph.FieldError) {
	ev := m.ev
	switch {
	case len(ev.ErrorDeclaration) > 0:
		return nil, nil, "an error declaration: stored, not put into the genealogy", nil
	case ev.Type == "TransformationEvent":
		return m.production()
	case ev.Type != "ObjectEvent":
		return nil, nil, ev.Type + ": not a receiving, transformation or shipping of lots", nil
	case ev.Action == "DELETE":
		return nil, nil, "an ObjectEvent with action DELETE", nil
	}
	switch BizStepOf(ev.BizStep) {
	case "receiving":
		return m.receipts()
	case "shipping":
		return m.shipment()
	}
	step := ev.BizStep
	if step == "" {
		step = "none"
	}
	return nil, nil, "an ObjectEvent with bizStep " + step + ": only receiving and shipping are critical tracking events", nil
}

// lots are the lot lines of a quantity list, with the path of each.
type lotLine struct {
	code  string
	class string
	q     QuantityElement
	path  string
}

func (m mapper) lots(list string, qs []QuantityElement) (lots []lotLine, why string) {
	for i, q := range qs {
		code, kind := Lot(q.EPCClass)
		if kind == NotALot {
			continue
		}
		if q.Quantity == nil {
			return nil, fmt.Sprintf("%s[%d] (%s) has no quantity", list, i, q.EPCClass)
		}
		lots = append(lots, lotLine{code: code, class: q.EPCClass, q: q, path: fmt.Sprintf("%s[%d]", list, i)})
	}
	return lots, ""
}

func (m mapper) unit(l lotLine) string {
	if u, ok := m.ev.Units[l.class]; ok && l.q.UOM == "" {
		return u
	}
	return UnitOf(l.q.UOM)
}

// attr is a lot's master data attribute, else an ILMD value whose key ends with one of names.
func (m mapper) attr(l lotLine, attr string, ilmdNames ...string) string {
	for _, id := range []string{l.class, l.code, URIOf(KindLot, l.code)} {
		if v := m.md[id][attr]; v != "" {
			return v
		}
	}
	for k, v := range m.ev.ILMD {
		iri, _ := m.ns.expand(k)
		for _, n := range ilmdNames {
			if s, ok := v.(string); ok && (strings.HasSuffix(iri, "#"+n) || strings.HasSuffix(iri, "/"+n) || strings.HasSuffix(iri, ":"+n)) {
				return s
			}
		}
	}
	return ""
}

func (m mapper) product(l lotLine) string {
	if p := m.attr(l, AttrProduct); p != "" {
		return p
	}
	if gtin := gs1.GTINOf(l.code); gtin != "" {
		return gtin
	}
	return l.code
}

func (m mapper) expiry(l lotLine) string {
	d := m.attr(l, AttrExpiry, "itemExpirationDate", "bestBeforeDate", "useByDate")
	if len(d) > 10 {
		d = d[:10]
	}
	return d
}

func (m mapper) name(id string) string { return m.md[id][AttrName] }

// party finds the owning_party (else possessing_party) and location of a source or
// destination list; the party stands for its location when no location is given, and the
// other way round.
func party(types, ids []string) (id, location string) {
	found := map[string]string{}
	for i, t := range types {
		t = bare(t, "sdt", "SDT-")
		if found[t] == "" {
			found[t] = ids[i]
		}
	}
	id = found["owning_party"]
	if id == "" {
		id = found["possessing_party"]
	}
	location = found["location"]
	switch {
	case id == "":
		id = location
	case location == "":
		location = id
	}
	return id, location
}

func (m mapper) where() string {
	switch {
	case m.ev.BizLocation != nil:
		return ValueOf(KindLocation, m.ev.BizLocation.ID)
	case m.ev.ReadPoint != nil && !strings.HasPrefix(m.ev.ReadPoint.ID, Own+KindLine+":"):
		return ValueOf(KindLocation, m.ev.ReadPoint.ID)
	}
	return ""
}

// reference is the event's first business transaction, else the event itself.
func (m mapper) reference() *ingest.ReferenceJSON {
	if len(m.ev.BizTransactionList) == 0 {
		return nil
	}
	bt := m.ev.BizTransactionList[0]
	return &ingest.ReferenceJSON{Type: RefTypeOf(bt.Type), Number: ValueOf(KindRef, bt.BizTransaction)}
}

func (m mapper) referenceOrEvent() *ingest.ReferenceJSON {
	if r := m.reference(); r != nil {
		return r
	}
	return &ingest.ReferenceJSON{Type: EventReference, Number: m.id}
}

// EventReference is the reference type of a receipt or shipment whose event names no
// business transaction: the EPCIS event itself is the record.
const EventReference = "EPCIS event"

func (m mapper) receipts() ([]graph.Event, []string, string, []graph.FieldError) {
	ev := m.ev
	lots, why := m.lots("quantityList", ev.QuantityList)
	if why != "" {
		return nil, nil, why, nil
	}
	if len(lots) == 0 {
		return nil, nil, "a receiving without lots in quantityList (serialised items or products without a lot)", nil
	}
	types, ids := make([]string, len(ev.SourceList)), make([]string, len(ev.SourceList))
	for i, s := range ev.SourceList {
		types[i], ids[i] = s.Type, s.Source
	}
	supplier, supplierLoc := party(types, ids)
	if supplier == "" {
		return nil, nil, "a receiving without a supplier: sourceList names no owning_party, possessing_party or location", nil
	}
	where := m.where()
	if where == "" {
		return nil, nil, "a receiving without bizLocation or readPoint: where it was received is unknown", nil
	}
	var out []graph.Event
	var keys []string
	var problems []graph.FieldError
	for _, l := range lots {
		q := *l.q.Quantity
		w := ingest.ReceiptJSON{
			Lot: &ingest.LotJSON{Code: l.code, Product: m.product(l), Description: m.attr(l, AttrDescription), Quantity: &q,
				Unit: m.unit(l), SupplierLot: m.attr(l, AttrSupplierLot), ExpiresAt: m.expiry(l)},
			Supplier:   &ingest.SupplierJSON{ID: ValueOf(KindParty, supplier), Name: m.name(supplier), Location: ValueOf(KindLocation, supplierLoc)},
			ReceivedAt: ev.EventTime,
			Location:   where,
			TLCSource:  m.attr(l, AttrTLCSource),
			Reference:  m.referenceOrEvent(),
		}
		r, err := w.Event()
		if err != nil {
			problems = append(problems, translate(err, l.path)...)
			continue
		}
		out = append(out, r)
		keys = append(keys, "receipt:"+l.code)
	}
	return out, keys, "", problems
}

func (m mapper) production() ([]graph.Event, []string, string, []graph.FieldError) {
	ev := m.ev
	inputs, why := m.lots("inputQuantityList", ev.InputQuantityList)
	if why != "" {
		return nil, nil, why, nil
	}
	outputs, why := m.lots("outputQuantityList", ev.OutputQuantityList)
	switch {
	case why != "":
		return nil, nil, why, nil
	case len(outputs) == 0:
		return nil, nil, "a transformation that produces no lot (outputs are serialised items or products without a lot)", nil
	case len(inputs) == 0:
		return nil, nil, "a transformation that consumes no lot (inputs are serialised items or products without a lot)", nil
	}
	where := m.where()
	if where == "" {
		return nil, nil, "a transformation without bizLocation or readPoint: where it ran is unknown", nil
	}
	batch := ValueOf(KindBatch, m.id)
	if ev.TransformationID != "" {
		batch = ValueOf(KindBatch, ev.TransformationID)
	}
	w := ingest.ProductionJSON{
		Batch:      &ingest.BatchJSON{ID: batch},
		ProducedAt: ev.EventTime,
		Location:   where,
		TLCSource:  m.attr(outputs[0], AttrTLCSource),
		Reference:  m.reference(),
	}
	if ev.ReadPoint != nil && strings.HasPrefix(ev.ReadPoint.ID, Own+KindLine+":") {
		w.Batch.Line = ValueOf(KindLine, ev.ReadPoint.ID)
	}
	for _, l := range inputs {
		q := *l.q.Quantity
		w.Inputs = append(w.Inputs, ingest.LineJSON{Lot: l.code, Quantity: &q, Unit: m.unit(l)})
	}
	for _, l := range outputs {
		q := *l.q.Quantity
		w.Outputs = append(w.Outputs, ingest.OutputLotJSON{Code: l.code, Product: m.product(l), Description: m.attr(l, AttrDescription),
			Quantity: &q, Unit: m.unit(l), ExpiresAt: m.expiry(l)})
	}
	p, err := w.Event()
	if err != nil {
		return nil, nil, "", translate(err, "")
	}
	return []graph.Event{p}, []string{"batch:" + batch}, "", nil
}

func (m mapper) shipment() ([]graph.Event, []string, string, []graph.FieldError) {
	ev := m.ev
	lots, why := m.lots("quantityList", ev.QuantityList)
	if why != "" {
		return nil, nil, why, nil
	}
	if len(lots) == 0 {
		return nil, nil, "a shipping without lots in quantityList (serialised items or products without a lot)", nil
	}
	types, ids := make([]string, len(ev.DestinationList)), make([]string, len(ev.DestinationList))
	for i, d := range ev.DestinationList {
		types[i], ids[i] = d.Type, d.Destination
	}
	customer, customerLoc := party(types, ids)
	if customer == "" {
		return nil, nil, "a shipping without a customer: destinationList names no owning_party, possessing_party or location", nil
	}
	from := m.where()
	if from == "" {
		return nil, nil, "a shipping without bizLocation or readPoint: where it left from is unknown", nil
	}
	id := ValueOf(KindShipment, m.id)
	w := ingest.ShipmentJSON{
		ID: id,
		Customer: &ingest.CustomerJSON{ID: ValueOf(KindParty, customer), Name: m.name(customer),
			Location: ValueOf(KindLocation, customerLoc), Contact: m.md[customer][AttrContact]},
		ShippedAt: ev.EventTime,
		From:      from,
		Reference: m.referenceOrEvent(),
	}
	for _, l := range lots {
		q := *l.q.Quantity
		w.Lines = append(w.Lines, ingest.LineJSON{Lot: l.code, Quantity: &q, Unit: m.unit(l)})
	}
	s, err := w.Event()
	if err != nil {
		return nil, nil, "", translate(err, "")
	}
	return []graph.Event{s}, []string{"shipment:" + id}, "", nil
}

// translate words the genealogy's field problems for an EPCIS event: the path is the
// event's (with the quantity element's when known), the message names the genealogy field.
func translate(err error, path string) []graph.FieldError {
	fields := graph.ErrorFields(err)
	if len(fields) == 0 {
		return []graph.FieldError{{Field: path, Message: graph.ErrorMessage(err)}}
	}
	out := make([]graph.FieldError, len(fields))
	for i, f := range fields {
		out[i] = graph.FieldError{Field: path, Message: "as lot-trace's " + f.Field + ": " + f.Message}
	}
	return out
}

// refTypes are the CBV business transaction types, as the service writes them (PO, BOL, ...).
var refTypes = []string{"bol", "cert", "desadv", "inv", "pedigree", "po", "poc", "prodorder", "recadv", "rma", "testprd", "testres", "upevt"}

// RefTypeOf is the service's reference type of a bizTransaction type: a CBV word in capitals
// (po: PO), an own URN's value, or the URI as given; "" (no type) is "business transaction".
func RefTypeOf(t string) string {
	w := bare(t, "btt", "BTT-")
	for _, c := range refTypes {
		if w == c {
			return strings.ToUpper(c)
		}
	}
	if t == "" {
		return "business transaction"
	}
	return ValueOf(KindRefType, t)
}

// BTTOf is the bizTransaction type of a service reference type (RefTypeOf's inverse).
func BTTOf(refType string) string {
	for _, c := range refTypes {
		if refType == strings.ToUpper(c) {
			return c
		}
	}
	return URIOf(KindRefType, refType)
}
