package graph

import (
	"testing"
	"time"
)

// goldenEvents are events whose fingerprints are pinned: a stored event's fingerprint decides
// whether a resend is "unchanged" or a 409, so it must never drift.
func goldenEvents() []struct {
	name string
	ev   Event
	want string
} {
	at := time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)
	return []struct {
		name string
		ev   Event
		want string
	}{
		{"receipt", &Receipt{
			Lot:        NewLot{Code: "FLOUR-A", Product: "FLOUR", Description: "flour", Quantity: Quantity{1000, "kg"}, SupplierLot: "S-FLOUR-A", ExpiresAt: "2027-06-30"},
			Supplier:   Supplier{ID: "SUP-MILL", Name: "SUP-MILL Co.", Location: "Saskatoon, SK"},
			ReceivedAt: at, Location: "BAKERY-1", Reference: Reference{"PO", "PO-FLOUR-A"},
		}, "9b8d5d855902cbf308f07f1f4317b4f6"},
		{"production", &Production{
			Batch: Batch{ID: "MIX-1", Line: "L1"}, ProducedAt: at.Add(47 * time.Hour), Location: "BAKERY-1",
			Reference: Reference{"batch log", "MIX-1"},
			Inputs:    []LotQuantity{{"FLOUR-A", Quantity{100, "kg"}}, {"SALT-A", Quantity{2, "kg"}}},
			Outputs:   []NewLot{{Code: "DOUGH-1", Product: "DOUGH", Quantity: Quantity{100, "kg"}}},
		}, "07577b11d03a55478a4b95a6de24468c"},
		{"shipment, awkward strings, ns and tiny floats", &Shipment{
			ID: "SH-1", Customer: Customer{ID: "CUST-1", Name: "Corner <Store> & Co", Location: "Main St\u2028"},
			ShippedAt: time.Date(2026, 10, 5, 9, 30, 0, 123456789, time.UTC), From: "BAKERY-1",
			Reference: Reference{"BOL", "BOL-1"},
			Lines:     []LotQuantity{{"FG-1", Quantity{0.1, "case"}}, {"FG-2", Quantity{1e-7, "case"}}},
		}, "beb272bad7131cae3b0145ec0ca41614"},
		{"empty receipt", &Receipt{}, "b8da9dcca582a69739127f91bc5bc11c"},
		{"empty production (nil slices)", &Production{}, "0e90717e61b485df6bdf6dbf999eb5b3"},
		{"production with empty slices", &Production{Inputs: []LotQuantity{}, Outputs: []NewLot{}}, "6665f9a4cf6d9046516184f32400b8b8"},
	}
}

func TestFingerprintGolden(t *testing.T) {
	for _, c := range goldenEvents() {
		if got := c.ev.Fingerprint(); got != c.want {
			t.Errorf("%s: fingerprint %s, want %s (a changed fingerprint turns every resend of stored data into a conflict)", c.name, got, c.want)
		}
	}
}
