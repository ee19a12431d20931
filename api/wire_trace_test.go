package api

import (
	"encoding/json"
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
