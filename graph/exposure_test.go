package graph

import (
	"math"
	"strings"
	"testing"
)

// The bakery's FLOUR-A, worked by hand: MIX-1 takes 100 of its 1000 kg into DOUGH-1 (its
// only output), so DOUGH-1 holds 100 kg of it. B-1 takes half of DOUGH-1 (50 kg of flour)
// and spreads it over FG-1 and FG-2 by cases, 100:50. B-2 takes the other half (50 kg) and
// 5 of FG-2's 50 cases (16.67/10 = 1.667 kg), all into FG-3.
func TestExposureOfFlourByHand(t *testing.T) {
	x := Exposures(newBakery().flourForward())
	if x.Lot != "FLOUR-A" || x.Quantity != (Quantity{1000, "kg"}) || x.Truncated {
		t.Fatalf("source: %+v", x)
	}
	wantLots := []struct {
		lot    LotCode
		level  int
		amount float64
	}{
		{"FLOUR-A", 0, 1000},
		{"DOUGH-1", 1, 100},
		{"FG-1", 2, 50.0 * 100 / 150},
		{"FG-2", 2, 50.0 * 50 / 150},
		{"FG-3", 3, 50 + 50.0*50/150*5/50},
	}
	if len(x.Lots) != len(wantLots) {
		t.Fatalf("%d lots, want %d: %+v", len(x.Lots), len(wantLots), x.Lots)
	}
	for i, w := range wantLots {
		got := x.Lots[i]
		if got.Lot != w.lot || got.Level != w.level || !near(got.Amount, w.amount) || !near(got.Share, w.amount/1000) || got.NotAllocatable != "" {
			t.Errorf("lot %d = %+v, want %s level %d amount %.4f", i, got, w.lot, w.level, w.amount)
		}
	}
	wantLines := []struct {
		id     ShipmentID
		amount float64
	}{
		{"SH-1", 33.3333333 * 40 / 100}, {"SH-2", 33.3333333 * 30 / 100}, {"SH-3", 16.6666667 * 20 / 50}, {"SH-4", 51.6666667},
	}
	shipped := 0.0
	for i, w := range wantLines {
		got := x.Shipments[i]
		if got.ID != w.id || math.Abs(got.Amount-w.amount) > 1e-6 {
			t.Errorf("shipment %d = %s %.6f, want %s %.6f", i, got.ID, got.Amount, w.id, w.amount)
		}
		shipped += got.Amount
	}
	// Conservation: the 100 kg that left FLOUR-A is all shipped or still in FG-1 (30 of 100
	// cases) and FG-2 (25 of 50 cases, after 5 used and 20 shipped).
	if inStock := 33.3333333*30/100 + 16.6666667*25/50; math.Abs(shipped+inStock-100) > 1e-6 {
		t.Errorf("shipped %.6f + in stock %.6f kg of flour, want 100", shipped, inStock)
	}
}

// A batch whose outputs are in different units cannot spread its inputs by quantity: its
// outputs, and what is made from or shipped of them, say so instead of guessing.
func TestExposureNotAllocatableAcrossUnits(t *testing.T) {
	g := newBakery()
	for i, e := range g.edges {
		if e.Type == Produced && e.To == "lot:FG-2" {
			g.edges[i].Use = &BatchUse{Line: 2, Quantity: Quantity{50, "kg"}}
		}
	}
	g.nodes["lot:FG-2"].Lot.Quantity.Unit = "kg"
	x := Exposures(g.flourForward())
	for _, l := range x.Lots {
		bad := l.Lot == "FG-1" || l.Lot == "FG-2" || l.Lot == "FG-3"
		if bad != (l.NotAllocatable != "") || (bad && l.Amount != 0) {
			t.Errorf("%s: %+v, want not allocatable = %v", l.Lot, l.Allocation, bad)
		}
		if bad && !strings.Contains(l.NotAllocatable, "batch B-1 made outputs in different units (case, kg)") {
			t.Errorf("%s: reason %q does not name the batch and units", l.Lot, l.NotAllocatable)
		}
	}
	for _, s := range x.Shipments {
		if s.NotAllocatable == "" {
			t.Errorf("shipment %s of %s allocated %.3f, want not allocatable", s.ID, s.Lot, s.Amount)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
