package epcis

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
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

// CapturedLookup finds, for CTE keys ("receipt:LOT", "batch:ID", "shipment:ID"), the events
// recorded from an EPCIS capture: their id and JSON as captured.
type CapturedLookup func(keys []string) (map[string][2]string, error)

// exportChunk is how many events are looked up at once among the captured ones.
const exportChunk = 200

// ExportContext is the @context of the documents the service writes: GS1's, and the
// prefix of the service's own extension (lt:units).
var ExportContext = []any{ContextURL, map[string]string{"lt": Own + "epcis#"}}

// Export writes an EPCISDocument of the rows rows yields (in their order: an event's rows
// together), looking the captured ones up through captured.
func Export(out io.Writer, now time.Time, rows func(yield func(graph.KDERow) error) error, captured CapturedLookup) error {
	w := bufio.NewWriterSize(out, 32<<10)
	x := &exporter{w: w, md: masterData{}, written: map[string]bool{}, captured: captured}
	ctx, _ := json.Marshal(ExportContext)
	head := `{"@context":` + string(ctx) + `,"type":"EPCISDocument","schemaVersion":"2.0","creationDate":"` +
		now.UTC().Format("2006-01-02T15:04:05.000Z") + `","epcisBody":{"eventList":[`
	if _, err := w.WriteString(head); err != nil {
		return err
	}
	var group []graph.KDERow
	err := rows(func(r graph.KDERow) error {
		if len(group) > 0 && (group[0].CTE != r.CTE || group[0].EventID != r.EventID) {
			if err := x.add(group); err != nil {
				return err
			}
			group = nil
		}
		group = append(group, r)
		return nil
	})
	if err != nil {
		return err
	}
	if len(group) > 0 {
		if err := x.add(group); err != nil {
			return err
		}
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
	w        *bufio.Writer
	md       masterData
	pending  [][]graph.KDERow
	written  map[string]bool // event ids written (a captured event can record several receipts)
	captured CapturedLookup
	n        int
}

func (x *exporter) add(group []graph.KDERow) error {
	x.pending = append(x.pending, group)
	if len(x.pending) == exportChunk {
		return x.flush()
	}
	return nil
}

// keyOf is the CTE key of an event's rows.
func keyOf(g []graph.KDERow) string {
	switch g[0].CTE {
	case graph.CTEReceiving:
		return "receipt:" + string(g[0].Lot)
	case graph.CTETransformation:
		return "batch:" + g[0].EventID
	}
	return "shipment:" + g[0].EventID
}

func (x *exporter) flush() error {
	if len(x.pending) == 0 {
		return nil
	}
	keys := make([]string, len(x.pending))
	for i, g := range x.pending {
		keys[i] = keyOf(g)
	}
	found := map[string][2]string{}
	if x.captured != nil {
		var err error
		if found, err = x.captured(keys); err != nil {
			return err
		}
	}
	for i, g := range x.pending {
		x.md.addRows(g)
		var id string
		var body []byte
		if c, ok := found[keys[i]]; ok {
			id, body = c[0], []byte(c[1])
		} else {
			ev := EventOf(g)
			id, body = ev.EventID, mustJSON(ev)
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

// EventOf writes one CTE (its spreadsheet rows) as an EPCIS event.
func EventOf(g []graph.KDERow) Event {
	r := g[0]
	ev := Event{EventTime: timeOf(r.Date), EventTimeZoneOffset: "+00:00"}
	units := map[string]string{}
	quantity := func(row graph.KDERow) QuantityElement {
		class := URIOf(KindLot, string(row.Lot))
		q := QuantityElement{EPCClass: class, Quantity: &row.Quantity.Amount}
		if uom, ok := UOMOf(row.Quantity.Unit); ok {
			q.UOM = uom
		} else {
			units[class] = row.Quantity.Unit
		}
		return q
	}
	refs := func(ref graph.Reference) []BizTransaction {
		return []BizTransaction{{Type: BTTOf(ref.Type), BizTransaction: URIOf(KindRef, ref.Number)}}
	}
	switch r.CTE {
	case graph.CTEReceiving:
		ev.Type, ev.Action, ev.BizStep, ev.Disposition = "ObjectEvent", "OBSERVE", "receiving", "in_progress"
		ev.BizLocation = &Place{ID: URIOf(KindLocation, r.Location)}
		ev.QuantityList = []QuantityElement{quantity(r)}
		ev.SourceList = []Source{{Type: "owning_party", Source: URIOf(KindParty, r.Source.ID)}}
		if r.Source.Location != "" {
			ev.SourceList = append(ev.SourceList, Source{Type: "location", Source: URIOf(KindLocation, r.Source.Location)})
		}
		if r.Reference.Type != EventReference {
			ev.BizTransactionList = refs(r.Reference)
		}
	case graph.CTETransformation:
		ev.Type, ev.BizStep, ev.Disposition = "TransformationEvent", "commissioning", "active"
		ev.TransformationID = URIOf(KindBatch, r.EventID)
		ev.BizLocation = &Place{ID: URIOf(KindLocation, r.Location)}
		for _, row := range g {
			if row.Role == graph.RoleInput {
				ev.InputQuantityList = append(ev.InputQuantityList, quantity(row))
			} else {
				ev.OutputQuantityList = append(ev.OutputQuantityList, quantity(row))
			}
		}
		if r.Reference != (graph.Reference{Type: "batch log", Number: r.EventID}) {
			ev.BizTransactionList = refs(r.Reference)
		}
	default:
		ev.Type, ev.Action, ev.BizStep, ev.Disposition = "ObjectEvent", "OBSERVE", "shipping", "in_transit"
		ev.EventID = URIOf(KindShipment, r.EventID)
		ev.BizLocation = &Place{ID: URIOf(KindLocation, r.Location)}
		for _, row := range g {
			ev.QuantityList = append(ev.QuantityList, quantity(row))
		}
		ev.DestinationList = []Destination{{Type: "owning_party", Destination: URIOf(KindParty, r.Recipient.ID)}}
		if r.Recipient.Location != "" {
			ev.DestinationList = append(ev.DestinationList, Destination{Type: "location", Destination: URIOf(KindLocation, r.Recipient.Location)})
		}
		if r.Reference.Type != EventReference {
			ev.BizTransactionList = refs(r.Reference)
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

// addRows describes the lots, parties and locations of one CTE's rows.
func (md masterData) addRows(g []graph.KDERow) {
	for _, r := range g {
		lot := URIOf(KindLot, string(r.Lot))
		md.set(VocabClass, lot, AttrProduct, r.Product)
		md.set(VocabClass, lot, AttrDescription, r.Description)
		md.set(VocabClass, lot, AttrExpiry, r.ExpiresAt)
		md.set(VocabClass, lot, AttrSupplierLot, r.SupplierLot)
		defaultTLC := r.Location
		if r.CTE == graph.CTEReceiving {
			defaultTLC = r.Source.Location
		}
		if r.CTE != graph.CTEShipping && r.Role != graph.RoleInput && r.TLCSource != defaultTLC {
			md.set(VocabClass, lot, AttrTLCSource, r.TLCSource)
		}
		md.place(r.Location)
		for _, p := range []graph.Party{r.Source, r.Recipient} {
			if p.ID != "" {
				md.set(VocabParty, URIOf(KindParty, p.ID), AttrName, p.Name)
				md.place(p.Location)
			}
		}
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
