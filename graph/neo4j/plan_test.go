package neo4j

import (
	"slices"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

func receipt(code graph.LotCode, unit string) *graph.Receipt {
	return &graph.Receipt{
		Lot:        graph.NewLot{Code: code, Product: "FLOUR", Quantity: graph.Quantity{Amount: 100, Unit: unit}},
		Supplier:   graph.Supplier{ID: "SUP", Location: "Mill"},
		ReceivedAt: time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC), Location: "BAKERY-1",
		Reference: graph.Reference{Type: "PO", Number: "1"},
	}
}

func production(id graph.BatchID, in []graph.LotQuantity, out ...graph.LotCode) *graph.Production {
	p := &graph.Production{Batch: graph.Batch{ID: id}, ProducedAt: time.Date(2026, 10, 4, 12, 0, 0, 0, time.UTC), Location: "BAKERY-1", Inputs: in}
	for _, code := range out {
		p.Outputs = append(p.Outputs, graph.NewLot{Code: code, Product: "COOKIE", Quantity: graph.Quantity{Amount: 10, Unit: "case"}})
	}
	return p
}

func use(code graph.LotCode, amount float64, unit string) []graph.LotQuantity {
	return []graph.LotQuantity{{Lot: code, Quantity: graph.Quantity{Amount: amount, Unit: unit}}}
}

func shipment(id graph.ShipmentID, lines []graph.LotQuantity) *graph.Shipment {
	return &graph.Shipment{ID: id, Customer: graph.Customer{ID: "CUST", Location: "Main St"}, ShippedAt: time.Date(2026, 10, 8, 16, 0, 0, 0, time.UTC),
		From: "BAKERY-1", Reference: graph.Reference{Type: "BOL", Number: "1"}, Lines: lines}
}

func emptyStore() stored {
	return newStored()
}

// want is one event's expected outcome: "created", "unchanged", or an error code.
func outcomeOf(o graph.Outcome) string {
	switch {
	case o.Err != nil:
		return graph.ErrorCode(o.Err)
	case o.Created:
		return "created"
	default:
		return "unchanged"
	}
}

func TestPlan(t *testing.T) {
	flour := receipt("FLOUR-A", "kg")
	bake := production("B1", use("FLOUR-A", 10, "kg"), "FG-1", "FG-2")
	stored := emptyStore()
	stored.lots["OLD"] = storedLot{Unit: "kg", Origin: graph.KindReceipt, Hash: receipt("OLD", "kg").Fingerprint()}
	stored.lots["MADE"] = storedLot{Unit: "case", Origin: graph.KindProduction, BatchID: "B0", Hash: "x"}
	stored.batches["B0"] = "x"
	stored.shipments["SH-0"] = shipment("SH-0", use("MADE", 1, "case")).Fingerprint()

	tests := []struct {
		name   string
		events []graph.Event
		want   []string
		writes int // events in the write set
	}{
		{"a chain in one run is applied in order", []graph.Event{flour, bake, shipment("SH-1", use("FG-1", 5, "case"))},
			[]string{"created", "created", "created"}, 3},
		{"a production before its input's receipt is refused", []graph.Event{bake, flour},
			[]string{graph.EINVALID, "created"}, 1},
		{"the same event twice in a run", []graph.Event{flour, flour}, []string{"created", "unchanged"}, 1},
		{"a stored receipt sent again", []graph.Event{receipt("OLD", "kg")}, []string{"unchanged"}, 0},
		{"a stored lot received with other content", []graph.Event{receipt("OLD", "lb")}, []string{graph.ECONFLICT}, 0},
		{"a receipt of a produced lot code", []graph.Event{receipt("MADE", "case")}, []string{graph.ECONFLICT}, 0},
		{"a batch id reused with other content", []graph.Event{production("B0", use("OLD", 1, "kg"), "NEW")}, []string{graph.ECONFLICT}, 0},
		{"an output lot that exists", []graph.Event{production("B9", use("OLD", 1, "kg"), "MADE")}, []string{graph.ECONFLICT}, 0},
		{"unit mismatch on input", []graph.Event{production("B9", use("OLD", 1, "lb"), "NEW")}, []string{graph.EINVALID}, 0},
		{"unknown shipped lot", []graph.Event{shipment("SH-9", use("NOPE", 1, "kg"))}, []string{graph.EINVALID}, 0},
		{"unit mismatch on shipment", []graph.Event{shipment("SH-9", use("MADE", 1, "kg"))}, []string{graph.EINVALID}, 0},
		{"a stored shipment sent again", []graph.Event{shipment("SH-0", use("MADE", 1, "case"))}, []string{"unchanged"}, 0},
		{"a shipment id reused with other lines", []graph.Event{shipment("SH-0", use("MADE", 2, "case"))}, []string{graph.ECONFLICT}, 0},
		{"a refused event does not create its lots for later events",
			[]graph.Event{production("B9", use("NOPE", 1, "kg"), "NEW"), shipment("SH-9", use("NEW", 1, "case"))},
			[]string{graph.EINVALID, graph.EINVALID}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have := emptyStore()
			for k, v := range stored.lots {
				have.lots[k] = v
			}
			for k, v := range stored.batches {
				have.batches[k] = v
			}
			for k, v := range stored.shipments {
				have.shipments[k] = v
			}
			outcomes, w := plan(tt.events, fingerprints(tt.events), have)
			for i, o := range outcomes {
				if got := outcomeOf(o); got != tt.want[i] {
					t.Errorf("event %d: %s (%v), want %s", i, got, o.Err, tt.want[i])
				}
			}
			if got := len(w.receipts) + len(w.productions) + len(w.shipments); got != tt.writes {
				t.Errorf("write set has %d events, want %d", got, tt.writes)
			}
		})
	}
}

func TestPlanNamesTheBadField(t *testing.T) {
	p := production("B9", []graph.LotQuantity{{Lot: "OLD", Quantity: graph.Quantity{Amount: 1, Unit: "kg"}}, {Lot: "NOPE", Quantity: graph.Quantity{Amount: 1, Unit: "kg"}}}, "NEW")
	have := emptyStore()
	have.lots["OLD"] = storedLot{Unit: "kg", Origin: graph.KindReceipt}
	outcomes, _ := plan([]graph.Event{p}, fingerprints([]graph.Event{p}), have)
	fields := graph.ErrorFields(outcomes[0].Err)
	if len(fields) != 1 || fields[0].Field != "inputs[1].lot" {
		t.Fatalf("problems = %+v, want one naming inputs[1].lot", fields)
	}
}

// TestPlanWritesOnlyChangedParties: a supplier or customer is written when it is new or an
// event changes its description (a field left out keeps the stored value), once per run with
// the last description, and never for an event that is not stored.
func TestPlanWritesOnlyChangedParties(t *testing.T) {
	have := newStored()
	have.parties[partyKey{graph.KeySupplier, "SUP"}] = graph.PartyDescription{Name: "Mill Co", Location: "Mill"}
	have.parties[partyKey{graph.KeyCustomer, "CUST"}] = graph.PartyDescription{Location: "Main St"}
	have.lots["TAKEN"] = storedLot{Unit: "kg", Origin: graph.KindReceipt, Hash: "other"}

	same := receipt("A", "kg") // names SUP without a name: keeps "Mill Co"
	fresh := receipt("B", "kg")
	fresh.Supplier = graph.Supplier{ID: "NEW", Location: "Port"}
	refused := receipt("TAKEN", "kg") // a conflict: its new supplier name must not be written
	refused.Supplier = graph.Supplier{ID: "SUP", Name: "Renamed", Location: "Mill"}
	named := shipment("SH-1", use("A", 1, "kg"))
	named.Customer.Name = "Deli"
	moved := shipment("SH-2", use("A", 1, "kg"))
	moved.Customer = graph.Customer{ID: "CUST", Location: "Side St"}

	events := []graph.Event{same, fresh, refused, named, moved}
	outcomes, w := plan(events, fingerprints(events), have)
	if got := outcomeOf(outcomes[2]); got != graph.ECONFLICT {
		t.Fatalf("refused receipt: %s, want %s", got, graph.ECONFLICT)
	}
	wantParties := []party{ // customers before suppliers, each by id
		{partyKey{graph.KeyCustomer, "CUST"}, graph.PartyDescription{Name: "Deli", Location: "Side St"}},
		{partyKey{graph.KeySupplier, "NEW"}, graph.PartyDescription{Location: "Port"}},
	}
	if !slices.Equal(w.parties, wantParties) {
		t.Errorf("suppliers and customers written: %+v, want %+v", w.parties, wantParties)
	}

	// Planning updated `have` as the database will be: describing the parties as they now stand
	// writes nothing.
	unchanged := shipment("SH-3", use("C", 1, "kg"))
	unchanged.Customer.Location = "Side St"
	events = []graph.Event{receipt("C", "kg"), unchanged}
	_, again := plan(events, fingerprints(events), have)
	if len(again.parties) != 0 {
		t.Errorf("unchanged parties written again: %+v", again.parties)
	}
}

// TestPlanRefusesHeldLots: a shipment or production using a lot on a recall hold is a
// conflict naming the lot and the case; other events of the run go ahead.
func TestPlanRefusesHeldLots(t *testing.T) {
	have := emptyStore()
	have.lots["FG-1"] = storedLot{Unit: "case", Origin: graph.KindProduction, HeldBy: []string{"RC-1"}}
	have.lots["FG-2"] = storedLot{Unit: "case", Origin: graph.KindProduction}
	events := []graph.Event{
		shipment("SH-1", use("FG-1", 1, "case")),
		production("B-9", use("FG-1", 1, "case"), "FG-9"),
		shipment("SH-2", use("FG-2", 1, "case")),
	}
	outcomes, w := plan(events, fingerprints(events), have)
	for i, field := range []string{"lines[0].lot", "inputs[0].lot"} {
		err := outcomes[i].Err
		fields := graph.ErrorFields(err)
		if graph.ErrorCode(err) != graph.ECONFLICT || len(fields) != 1 || fields[0].Field != field ||
			fields[0].Message != "lot FG-1 is on hold by recall case RC-1" {
			t.Errorf("event %d: %v %v, want a conflict naming %s, the lot and the case", i, err, fields, field)
		}
	}
	if !outcomes[2].Created || len(w.shipments) != 1 || w.shipments[0].ID != "SH-2" || len(w.productions) != 0 {
		t.Errorf("the unheld shipment should go ahead alone: %v %+v", outcomes, w)
	}
}
