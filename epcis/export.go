package epcis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The export side of the mapping: the FSMA 204 rows of a trace or recall (graph.KDERow, one
// per event line, in event order) become the events of an EPCISDocument, written as they
// come. An event the service recorded from an EPCIS capture is written as it was captured
// (so a capture exported again gives the same events, ids and fields); the others are
// written by the mapping's inverse: a receipt as an ObjectEvent receiving (eventID its CBV
// 2.0 event hash), a batch as a TransformationEvent (transformationID the batch, eventID the
// hash), a shipment as an ObjectEvent shipping (eventID the shipment id). Master data (lots'
// product, description, expiry, supplier lot and TLC source; party and location names) is
// gathered on the way and written last, in epcisHeader, after epcisBody: JSON members have
// no order, and this way only the master data, not the events, is held.

// Sources are where an export reads what the rows name: Captured finds, by CTE key
// ("receipt:LOT", "batch:ID", "shipment:ID"), the events recorded from an EPCIS capture (their
// id and JSON as captured); Events reads the others whole, as recorded (a shipment with every
// line, a batch with its line). Either may leave a key out.
type Sources struct {
	Captured func(keys []string) (map[string][2]string, error)
	Events   func(keys []string) (map[string]graph.Event, error)
}

// exportChunk is how many events are read at once.
const exportChunk = 200

// ExportContext is the @context of the documents the service writes: GS1's, and the
// prefix of the service's own extension (lt:units).
var ExportContext = []any{ContextURL, map[string]string{"lt": Own + "epcis#"}}

// Export writes an EPCISDocument of the events rows name (in their order), read through src.
func Export(out io.Writer, now time.Time, rows func(yield func(graph.KDERow) error) error, src Sources) error {
	w := bufio.NewWriterSize(out, 32<<10)
	x := &exporter{w: w, md: masterData{}, seen: map[string]bool{}, written: map[string]bool{}, src: src}
	ctx, _ := json.Marshal(ExportContext)
	head := `{"@context":` + string(ctx) + `,"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"` +
		now.UTC().Format("2006-01-02T15:04:05.000Z") + `","epcisBody":{"eventList":[`
	if _, err := w.WriteString(head); err != nil {
		return err
	}
	err := rows(func(r graph.KDERow) error {
		x.md.addLot(r)
		key := keyOf(r)
		if x.seen[key] {
			return nil
		}
		x.seen[key] = true
		x.pending = append(x.pending, key)
		if len(x.pending) == exportChunk {
			return x.flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := x.flush(); err != nil {
		return err
	}
	if _, err := w.WriteString(`]},"epcisHeader":`); err != nil {
		return err
	}
	if err := json.NewEncoder(w).Encode(x.md.header()); err != nil {
		return err
	}
	if _, err := w.WriteString(`}`); err != nil {
		return err
	}
	return w.Flush()
}

type exporter struct {
	w       *bufio.Writer
	md      masterData
	pending []string        // CTE keys not written yet, in order
	seen    map[string]bool // CTE keys met
	written map[string]bool // event ids written (a captured event can record several receipts)
	src     Sources
	n       int
}

// keyOf is the CTE key of a row's event.
func keyOf(r graph.KDERow) string {
	switch r.CTE {
	case graph.CTEReceiving:
		return "receipt:" + string(r.Lot)
	case graph.CTETransformation:
		return "batch:" + r.EventID
	}
	return "shipment:" + r.EventID
}

func (x *exporter) flush() error {
	if len(x.pending) == 0 {
		return nil
	}
	found := map[string][2]string{}
	if x.src.Captured != nil {
		var err error
		if found, err = x.src.Captured(x.pending); err != nil {
			return err
		}
	}
	var rest []string
	for _, k := range x.pending {
		if _, ok := found[k]; !ok {
			rest = append(rest, k)
		}
	}
	events := map[string]graph.Event{}
	if len(rest) > 0 && x.src.Events != nil {
		var err error
		if events, err = x.src.Events(rest); err != nil {
			return err
		}
	}
	for _, k := range x.pending {
		var id string
		var body []byte
		if c, ok := found[k]; ok {
			id, body = c[0], []byte(c[1])
		} else if ev, ok := events[k]; ok {
			e := EventOf(ev)
			x.md.addEvent(ev)
			id, body = e.EventID, mustJSON(e)
		} else {
			continue
		}
		if x.written[id] {
			continue
		}
		x.written[id] = true
		if x.n > 0 {
			if err := x.w.WriteByte(','); err != nil {
				return err
			}
		}
		x.n++
		if _, err := x.w.Write(body); err != nil {
			return err
		}
	}
	x.pending = x.pending[:0]
	return nil
}

func mustJSON(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("epcis: an event does not encode: " + err.Error())
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

// timeOf writes an event time as EPCIS documents usually do: UTC, milliseconds.
func timeOf(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// DefaultBatchReference is the reference of a production that names none: its batch log.
func DefaultBatchReference(id graph.BatchID) graph.Reference {
	return graph.Reference{Type: "batch log", Number: string(id)}
}

// EventOf writes one recorded event as an EPCIS event (the inverse of the capture mapping;
// lot, party and location descriptions go to master data, masterData.addEvent).
func EventOf(ge graph.Event) Event {
	ev := Event{EventTimeZoneOffset: "+00:00"}
	units := map[string]string{}
	quantity := func(lot graph.LotCode, q graph.Quantity) QuantityElement {
		class := URIOf(KindLot, string(lot))
		amount := q.Amount
		e := QuantityElement{EPCClass: class, Quantity: &amount}
		if uom, ok := UOMOf(q.Unit); ok {
			e.UOM = uom
		} else {
			units[class] = q.Unit
		}
		return e
	}
	refs := func(ref graph.Reference) []BizTransaction {
		return []BizTransaction{{Type: BTTOf(ref.Type), BizTransaction: URIOf(KindRef, ref.Number)}}
	}
	switch e := ge.(type) {
	case *graph.Receipt:
		ev.Type, ev.Action, ev.BizStep, ev.Disposition = "ObjectEvent", "OBSERVE", "receiving", "in_progress"
		ev.EventTime = timeOf(e.ReceivedAt)
		ev.BizLocation = &Place{ID: URIOf(KindLocation, e.Location)}
		ev.QuantityList = []QuantityElement{quantity(e.Lot.Code, e.Lot.Quantity)}
		ev.SourceList = []Source{{Type: "owning_party", Source: URIOf(KindParty, string(e.Supplier.ID))}}
		if e.Supplier.Location != "" {
			ev.SourceList = append(ev.SourceList, Source{Type: "location", Source: URIOf(KindLocation, e.Supplier.Location)})
		}
		if e.Reference.Type != EventReference {
			ev.BizTransactionList = refs(e.Reference)
		}
	case *graph.Production:
		ev.Type, ev.BizStep, ev.Disposition = "TransformationEvent", "commissioning", "active"
		ev.EventTime = timeOf(e.ProducedAt)
		ev.TransformationID = URIOf(KindBatch, string(e.Batch.ID))
		ev.BizLocation = &Place{ID: URIOf(KindLocation, e.Location)}
		if e.Batch.Line != "" {
			ev.ReadPoint = &Place{ID: Own + KindLine + ":" + url.PathEscape(e.Batch.Line)}
		}
		for _, in := range e.Inputs {
			ev.InputQuantityList = append(ev.InputQuantityList, quantity(in.Lot, in.Quantity))
		}
		for _, out := range e.Outputs {
			ev.OutputQuantityList = append(ev.OutputQuantityList, quantity(out.Code, out.Quantity))
		}
		if e.Reference != DefaultBatchReference(e.Batch.ID) {
			ev.BizTransactionList = refs(e.Reference)
		}
	case *graph.Shipment:
		ev.Type, ev.Action, ev.BizStep, ev.Disposition = "ObjectEvent", "OBSERVE", "shipping", "in_transit"
		ev.EventID = URIOf(KindShipment, string(e.ID))
		ev.EventTime = timeOf(e.ShippedAt)
		ev.BizLocation = &Place{ID: URIOf(KindLocation, e.From)}
		for _, l := range e.Lines {
			ev.QuantityList = append(ev.QuantityList, quantity(l.Lot, l.Quantity))
		}
		ev.DestinationList = []Destination{{Type: "owning_party", Destination: URIOf(KindParty, string(e.Customer.ID))}}
		if e.Customer.Location != "" {
			ev.DestinationList = append(ev.DestinationList, Destination{Type: "location", Destination: URIOf(KindLocation, e.Customer.Location)})
		}
		if e.Reference.Type != EventReference {
			ev.BizTransactionList = refs(e.Reference)
		}
	}
	if len(units) > 0 {
		ev.Units = units
	}
	if ev.EventID == "" {
		var generic map[string]any
		dec := json.NewDecoder(bytes.NewReader(mustJSON(ev)))
		dec.UseNumber()
		_ = dec.Decode(&generic)
		ev.EventID = EventHash(generic, NamespacesOf(ExportContext))
	}
	return ev
}

// masterData gathers the vocabulary elements an export describes, by type and id.
type masterData map[string]map[string]map[string]string

func (md masterData) set(vtype, id, attr, value string) {
	if value == "" {
		return
	}
	if md[vtype] == nil {
		md[vtype] = map[string]map[string]string{}
	}
	if md[vtype][id] == nil {
		md[vtype][id] = map[string]string{}
	}
	md[vtype][id][attr] = value
}

// addLot describes a row's lot: what every row says of it.
func (md masterData) addLot(r graph.KDERow) {
	lot := URIOf(KindLot, string(r.Lot))
	md.set(VocabClass, lot, AttrProduct, r.Product)
	md.set(VocabClass, lot, AttrDescription, r.Description)
	md.set(VocabClass, lot, AttrExpiry, r.ExpiresAt)
}

// addEvent describes what an event says of its lots, parties and places.
func (md masterData) addEvent(ge graph.Event) {
	lot := func(l graph.NewLot) {
		id := URIOf(KindLot, string(l.Code))
		md.set(VocabClass, id, AttrProduct, l.Product)
		md.set(VocabClass, id, AttrDescription, l.Description)
		md.set(VocabClass, id, AttrExpiry, l.ExpiresAt)
		md.set(VocabClass, id, AttrSupplierLot, l.SupplierLot)
	}
	switch e := ge.(type) {
	case *graph.Receipt:
		lot(e.Lot)
		md.set(VocabClass, URIOf(KindLot, string(e.Lot.Code)), AttrTLCSource, e.TLCSource)
		md.set(VocabParty, URIOf(KindParty, string(e.Supplier.ID)), AttrName, e.Supplier.Name)
		md.place(e.Location)
		md.place(e.Supplier.Location)
	case *graph.Production:
		for _, o := range e.Outputs {
			lot(o)
			md.set(VocabClass, URIOf(KindLot, string(o.Code)), AttrTLCSource, e.TLCSource)
		}
		md.place(e.Location)
	case *graph.Shipment:
		party := URIOf(KindParty, string(e.Customer.ID))
		md.set(VocabParty, party, AttrName, e.Customer.Name)
		md.set(VocabParty, party, AttrContact, e.Customer.Contact)
		md.place(e.From)
		md.place(e.Customer.Location)
	}
}

// place names a location whose id is an own URN: its text is its name.
func (md masterData) place(location string) {
	if id := URIOf(KindLocation, location); location != "" && id != location {
		md.set(VocabLocation, id, AttrName, location)
	}
}

type attributeJSON struct {
	ID        string `json:"id"`
	Attribute string `json:"attribute"`
}

type elementJSON struct {
	ID         string          `json:"id"`
	Attributes []attributeJSON `json:"attributes"`
}

type vocabularyJSON struct {
	Type     string        `json:"type"`
	Elements []elementJSON `json:"vocabularyElementList"`
}

// header is the epcisHeader of the master data gathered, sorted.
func (md masterData) header() map[string]any {
	vocabs := []vocabularyJSON{}
	for _, vtype := range sortedKeys(md) {
		v := vocabularyJSON{Type: vtype}
		for _, id := range sortedKeys(md[vtype]) {
			el := elementJSON{ID: id}
			for _, attr := range sortedKeys(md[vtype][id]) {
				el.Attributes = append(el.Attributes, attributeJSON{ID: attr, Attribute: md[vtype][id][attr]})
			}
			v.Elements = append(v.Elements, el)
		}
		vocabs = append(vocabs, v)
	}
	return map[string]any{"epcisMasterData": map[string]any{"vocabularyList": vocabs}}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
