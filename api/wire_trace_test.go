package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The properties of trace nodes and edges are written in the order the contract has always
// shown them, the order of a sorted map: each wire struct declares its fields alphabetically.
func TestTracePropertiesAreInAlphabeticalOrder(t *testing.T) {
	for _, v := range []any{lotPropsJSON{}, batchPropsJSON{}, supplierPropsJSON{}, customerPropsJSON{},
		receivedPropsJSON{}, usePropsJSON{}, shippedPropsJSON{}} {
		typ := reflect.TypeOf(v)
		var names []string
		for i := range typ.NumField() {
			name, _, _ := strings.Cut(typ.Field(i).Tag.Get("json"), ",")
			names = append(names, name)
		}
		if !slices.IsSorted(names) {
			t.Errorf("%s: fields %v, want them in alphabetical order", typ.Name(), names)
		}
	}
}

// What is stored only when given is left out when empty; the rest is always there, even
// empty. Times are RFC 3339 in UTC.
func TestTracePropertiesAsStored(t *testing.T) {
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.FixedZone("EEST", 3*3600))
	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		{"received lot", traceNodeToJSON(graph.Node{ID: "lot:L", Kind: graph.KindLot, Key: "L", Lot: &graph.LotRecord{
			Code: "L", Product: "FLOUR", Quantity: graph.Quantity{Amount: 2.5, Unit: "kg"}, SupplierLot: "S-1", ExpiresAt: "2027-01-31",
			Origin: graph.KindReceipt, OriginAt: at, Location: "", TLCSource: "Mill"}}),
			`{"id":"lot:L","kind":"lot","key":"L","properties":{"code":"L","expires_at":"2027-01-31","location":"","origin":"receipt","origin_at":"2026-10-01T06:00:00Z","product":"FLOUR","quantity":2.5,"supplier_lot":"S-1","tlc_source":"Mill","unit":"kg"}}`},
		{"produced lot", traceNodeToJSON(graph.Node{ID: "lot:P", Kind: graph.KindLot, Key: "P", Lot: &graph.LotRecord{
			Code: "P", Product: "BREAD", Description: "rye", Quantity: graph.Quantity{Amount: 10, Unit: "case"},
			Origin: graph.KindProduction, OriginAt: at, Location: "BAKERY", TLCSource: "BAKERY", BatchID: "B"}}),
			`{"id":"lot:P","kind":"lot","key":"P","properties":{"batch_id":"B","code":"P","description":"rye","location":"BAKERY","origin":"production","origin_at":"2026-10-01T06:00:00Z","product":"BREAD","quantity":10,"tlc_source":"BAKERY","unit":"case"}}`},
		{"batch", traceNodeToJSON(graph.Node{ID: "batch:B", Kind: graph.KindBatch, Key: "B", Batch: &graph.BatchRecord{
			ID: "B", ProducedAt: at, Location: "BAKERY", TLCSource: "BAKERY", Reference: graph.Reference{Type: "log", Number: ""}}}),
			`{"id":"batch:B","kind":"batch","key":"B","properties":{"id":"B","location":"BAKERY","produced_at":"2026-10-01T06:00:00Z","ref_number":"","ref_type":"log","tlc_source":"BAKERY"}}`},
		{"supplier", traceNodeToJSON(graph.Node{ID: "supplier:S", Kind: graph.KindSupplier, Key: "S", Supplier: &graph.Supplier{ID: "S", Name: "Mill"}}),
			`{"id":"supplier:S","kind":"supplier","key":"S","properties":{"id":"S","name":"Mill"}}`},
		{"customer", traceNodeToJSON(graph.Node{ID: "customer:C", Kind: graph.KindCustomer, Key: "C", Customer: &graph.Customer{ID: "C", Location: "Main St", Contact: "x@y"}}),
			`{"id":"customer:C","kind":"customer","key":"C","properties":{"contact":"x@y","id":"C","location":"Main St"}}`},
		{"node without a part", traceNodeToJSON(graph.Node{ID: "lot:L", Kind: graph.KindLot, Key: "L"}),
			`{"id":"lot:L","kind":"lot","key":"L","properties":{}}`},
		{"receipt", traceEdgeToJSON(graph.Edge{From: "lot:L", To: "supplier:S", Type: graph.ReceivedFrom, Receiving: &graph.Receiving{
			Supplier: graph.Supplier{ID: "S"}, ReceivedAt: at, Location: "DOCK", Quantity: graph.Quantity{Amount: 2.5, Unit: "kg"}}}),
			`{"from":"lot:L","to":"supplier:S","type":"RECEIVED_FROM","properties":{"location":"DOCK","quantity":2.5,"received_at":"2026-10-01T06:00:00Z","ref_number":"","ref_type":"","supplier_location":"","unit":"kg"}}`},
		{"batch line", traceEdgeToJSON(graph.Edge{From: "lot:L", To: "batch:B", Type: graph.ConsumedIn, Use: &graph.BatchUse{Line: 2, Quantity: graph.Quantity{Amount: 1, Unit: "kg"}}}),
			`{"from":"lot:L","to":"batch:B","type":"CONSUMED_IN","properties":{"line":2,"quantity":1,"unit":"kg"}}`},
		{"shipment line", traceEdgeToJSON(graph.Edge{From: "lot:P", To: "customer:C", Type: graph.ShippedTo, Shipment: &graph.ShipmentLine{
			ID: "SH", Line: 1, Lot: "P", Customer: graph.Customer{ID: "C", Name: "Deli", Location: "Main St"}, Quantity: graph.Quantity{Amount: 3, Unit: "case"},
			ShippedAt: at, From: "BAKERY", Reference: graph.Reference{Type: "BOL", Number: "1"}}}),
			`{"from":"lot:P","to":"customer:C","type":"SHIPPED_TO","properties":{"customer_location":"Main St","customer_name":"Deli","from":"BAKERY","line":1,"quantity":3,"ref_number":"1","ref_type":"BOL","shipment_id":"SH","shipped_at":"2026-10-01T06:00:00Z","unit":"case"}}`},
	} {
		got, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// recallJSON is a recall's answer built whole, as the service built it before recallWriter:
// the writer is held to its bytes.
type recallJSON struct {
	Lot           string                `json:"lot"`
	SourceBatches []string              `json:"source_batches"`
	Ingredients   recallIngredientsJSON `json:"ingredients"`
	Affected      recallAffectedJSON    `json:"affected"`
	Truncated     bool                  `json:"truncated"`
	CutBy         string                `json:"cut_by,omitempty"`
	TookMS        float64               `json:"took_ms"`
}

type recallAffectedJSON struct {
	Lots      []string           `json:"lots"`
	Batches   []string           `json:"batches"`
	Customers []string           `json:"customers"`
	Shipments []shipmentLineJSON `json:"shipments"`
}

func recallToJSON(r *graph.RecallKeys, took time.Duration) recallJSON {
	out := recallJSON{
		Lot:           string(r.Lot),
		SourceBatches: r.SourceBatches,
		Ingredients: recallIngredientsJSON{
			Lots: r.IngredientLots(), Batches: r.Ingredients.Batches, Suppliers: r.Ingredients.Suppliers,
		},
		Affected: recallAffectedJSON{
			Lots: r.Affected.Lots, Batches: r.Affected.Batches, Customers: r.Affected.Customers,
			Shipments: make([]shipmentLineJSON, len(r.Affected.Shipments)),
		},
		Truncated: r.Truncated(),
		CutBy:     string(r.CutBy()),
		TookMS:    millis(took),
	}
	for i, l := range r.Affected.Shipments {
		out.Affected.Shipments[i] = shipmentLineToJSON(l)
	}
	return out
}

// The streamed recall answer has the bytes of the answer built whole (c.JSON of recallJSON):
// field order, empty lists, an absent or present cut_by, escaping, times in UTC, and a hub's
// thousands of shipment lines.
func TestRecallWriterWritesTheWholeAnswersBytes(t *testing.T) {
	east := time.FixedZone("EEST", 3*3600)
	lines := func(n int) []graph.ShipmentLine {
		out := make([]graph.ShipmentLine, n)
		for i := range out {
			out[i] = graph.ShipmentLine{ID: graph.ShipmentID(fmt.Sprintf("SH-%05d", i)), Line: i%3 + 1, Lot: graph.LotCode(fmt.Sprintf("FG-%05d-A", i)),
				Customer: graph.Customer{ID: graph.CustomerID(fmt.Sprintf("CUST-%02d", i%40))}, Quantity: graph.Quantity{Amount: 100.25 * float64(i%7), Unit: "each"},
				ShippedAt: time.Date(2026, 1, 2, 0, 0, i, i*1000, east)}
		}
		return out
	}
	reach := func(lots, batches, parties []string, shipments []graph.ShipmentLine, cut graph.Cut) *graph.Reach {
		return &graph.Reach{Lots: lots, Batches: batches, Suppliers: parties, Customers: parties, Shipments: shipments, Truncated: cut != graph.CutNone, CutBy: cut}
	}
	none := []string{}
	for _, tt := range []struct {
		name string
		r    *graph.RecallKeys
	}{
		{"made lot", &graph.RecallKeys{Lot: "FG-1", SourceBatches: []string{"B1"},
			Ingredients: reach([]string{"FLOUR-A", "SALT-1"}, []string{"B0"}, []string{"SUP-1"}, nil, graph.CutNone),
			Affected:    reach([]string{"FG-1", "FG-2"}, []string{"B2"}, []string{"CUST-A"}, lines(3), graph.CutNone)}},
		{"received lot, no shipments", &graph.RecallKeys{Lot: "FLOUR-A", SourceBatches: none,
			Ingredients: reach([]string{"FLOUR-A"}, none, []string{"SUP-1"}, nil, graph.CutNone),
			Affected:    reach([]string{"FLOUR-A"}, none, none, []graph.ShipmentLine{}, graph.CutNone)}},
		{"cut by max_nodes, escaping", &graph.RecallKeys{Lot: "FG-<&>\u2028é\"", SourceBatches: []string{"B<1>"},
			Ingredients: reach(none, none, none, nil, graph.CutDepth),
			Affected:    reach([]string{"FG-<&>\u2028é\""}, none, []string{"C&D"}, []graph.ShipmentLine{{ID: "SH<1>", Line: 2, Lot: "FG-<&>", Customer: graph.Customer{ID: "C&D"}, Quantity: graph.Quantity{Amount: 1e21, Unit: "k\"g"}}}, graph.CutNodes)}},
		{"a hub's lines", &graph.RecallKeys{Lot: "HUB", SourceBatches: none,
			Ingredients: reach([]string{"HUB"}, none, []string{"SUP"}, nil, graph.CutNone),
			Affected:    reach([]string{"FG-00001-A", "HUB"}, []string{"B-00001"}, []string{"CUST-00"}, lines(5000), graph.CutNone)}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			took := 1234567 * time.Microsecond
			want, err := json.Marshal(recallToJSON(tt.r, took))
			if err != nil {
				t.Fatal(err)
			}
			var got bytes.Buffer
			w := newRecallWriter(&got)
			if err := w.Reached(tt.r); err != nil {
				t.Fatal(err)
			}
			for _, l := range tt.r.Affected.Shipments {
				if err := w.Shipment(l); err != nil {
					t.Fatal(err)
				}
			}
			if err := w.finish(took); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				i := 0
				for i < min(got.Len(), len(want)) && got.Bytes()[i] == want[i] {
					i++
				}
				t.Errorf("streamed answer differs from the whole one at byte %d:\n got %.200s\nwant %.200s", i, got.Bytes()[i:], want[i:])
			}
		})
	}
}
