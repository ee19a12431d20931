package graph

import (
	"fmt"
	"testing"
)

// bakeryUsage is every lot's use in the bakery history, worked by hand.
func bakeryUsage() []LotUsage {
	u := func(lot LotCode, origin EventKind, qty float64, unit string, consumed, shipped []Quantity) LotUsage {
		return LotUsage{Lot: lot, Origin: origin, Quantity: Quantity{qty, unit}, Consumed: consumed, Shipped: shipped}
	}
	kg := func(n float64) []Quantity { return []Quantity{{n, "kg"}} }
	cases := func(n float64) []Quantity { return []Quantity{{n, "case"}} }
	return []LotUsage{
		u("FLOUR-A", KindReceipt, 1000, "kg", kg(100), nil),
		u("SALT-A", KindReceipt, 100, "kg", kg(2), nil),
		u("CHIPS-A", KindReceipt, 200, "kg", kg(10), nil),
		u("DOUGH-1", KindProduction, 100, "kg", kg(100), nil),
		u("FG-1", KindProduction, 100, "case", nil, cases(70)),
		u("FG-2", KindProduction, 50, "case", cases(5), cases(20)),
		u("FG-3", KindProduction, 80, "case", nil, cases(80)),
		// Beyond the bakery: more shipped than made, a little more within the tolerance, a use
		// in another unit, and a lot just inside the lower bound.
		u("X-OVER", KindReceipt, 100, "kg", nil, kg(110)),
		u("X-EDGE", KindReceipt, 100, "kg", nil, kg(102)),
		u("X-UNIT", KindReceipt, 100, "kg", []Quantity{{90, "kg"}, {5, "lb"}}, nil),
		u("X-LOW", KindReceipt, 100, "kg", kg(95), nil),
	}
}

func TestMassBalanceByHand(t *testing.T) {
	open := map[LotCode]string{
		"CHIPS-A": "10 0 190 5 open false false",
		"DOUGH-1": "100 0 0 100 balanced false false",
		"FG-1":    "0 70 30 70 open false false",
		"FG-2":    "5 20 25 50 open false false",
		"FG-3":    "0 80 0 100 balanced false false",
		"FLOUR-A": "100 0 900 10 open false false",
		"SALT-A":  "2 0 98 2 open false false",
		"X-EDGE":  "0 102 -2 102 balanced true true",
		"X-LOW":   "95 0 5 95 balanced false false",
		"X-OVER":  "0 110 -10 110 over true true",
		"X-UNIT":  "90 0 10 90 not_comparable false true",
	}
	closed := map[LotCode]string{}
	for lot, s := range open {
		closed[lot] = s
	}
	for _, lot := range []LotCode{"CHIPS-A", "FG-1", "FG-2", "FLOUR-A", "SALT-A"} {
		closed[lot] = map[LotCode]string{
			"CHIPS-A": "10 0 190 5 short false true", "FG-1": "0 70 30 70 short false true",
			"FG-2": "5 20 25 50 short false true", "FLOUR-A": "100 0 900 10 short false true", "SALT-A": "2 0 98 2 short false true",
		}[lot]
	}
	for _, tt := range []struct {
		name string
		rule BalanceRule
		want map[LotCode]string
	}{
		{"open lots", BalanceRule{Tolerance: DefaultTolerance}, open},
		{"closed lots", BalanceRule{Tolerance: DefaultTolerance, Closed: true}, closed},
	} {
		got := MassBalances(bakeryUsage(), tt.rule)
		if len(got) != len(tt.want) {
			t.Fatalf("%s: %d balances, want %d", tt.name, len(got), len(tt.want))
		}
		for i, b := range got {
			if i > 0 && got[i-1].Lot >= b.Lot {
				t.Errorf("%s: not in lot order at %s", tt.name, b.Lot)
			}
			s := fmt.Sprintf("%g %g %g %g %s %v %v", b.Consumed, b.Shipped, b.Remaining, b.AccountedPct, b.Status, b.MoreLeftThanArrived, b.Flagged)
			if s != tt.want[b.Lot] {
				t.Errorf("%s: %s = %s, want %s", tt.name, b.Lot, s, tt.want[b.Lot])
			}
		}
	}
	// A narrower band moves X-LOW out of it.
	for _, b := range MassBalances(bakeryUsage(), BalanceRule{Tolerance: Tolerance{Low: 99, High: 101}}) {
		if b.Lot == "X-LOW" && b.Status != Open || b.Lot == "X-EDGE" && b.Status != Over {
			t.Errorf("tolerance 99-101: %s is %s", b.Lot, b.Status)
		}
	}
}

func TestParseTolerance(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Tolerance
		ok   bool
	}{
		{"95-105", Tolerance{95, 105}, true},
		{" 98.5 - 101.5 ", Tolerance{98.5, 101.5}, true},
		{"105-95", Tolerance{}, false},
		{"95", Tolerance{}, false},
		{"a-b", Tolerance{}, false},
	} {
		got, err := ParseTolerance(tt.in)
		if (err == nil) != tt.ok || (tt.ok && got != tt.want) {
			t.Errorf("ParseTolerance(%q) = %v, %v", tt.in, got, err)
		}
	}
}
