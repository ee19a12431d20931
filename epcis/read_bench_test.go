package epcis

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// BenchmarkReadDocument reads (validates, hashes, maps) a document of 1,000 shipments.
func BenchmarkReadDocument(b *testing.B) {
	at := time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)
	events := map[string]graph.Event{}
	var rows []graph.KDERow
	for i := range 1000 {
		id := fmt.Sprintf("SH-%d", i)
		events["shipment:"+id] = &graph.Shipment{ID: graph.ShipmentID(id), Customer: graph.Customer{ID: "C", Name: "Shop", Location: "High St"},
			ShippedAt: at, From: "Bakery", Reference: graph.Reference{Type: "BOL", Number: id},
			Lines: []graph.LotQuantity{{Lot: "FG-1", Quantity: graph.Quantity{Amount: 5, Unit: "case"}}, {Lot: "FG-2", Quantity: graph.Quantity{Amount: 2, Unit: "case"}}}}
		rows = append(rows, graph.KDERow{CTE: graph.CTEShipping, EventID: id})
	}
	var doc bytes.Buffer
	if err := Export(&doc, at, func(y func(graph.KDERow) error) error {
		for _, r := range rows {
			if err := y(r); err != nil {
				return err
			}
		}
		return nil
	}, Sources{Events: func([]string) (map[string]graph.Event, error) { return events, nil }}); err != nil {
		b.Fatal(err)
	}
	v := MustValidator()
	b.ResetTimer()
	for b.Loop() {
		if _, err := v.ReadDocument(doc.Bytes()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(rows)*b.N)/b.Elapsed().Seconds(), "events/s")
}
