package graph

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
)

// fakeSource answers the use cases from the bakery fixtures and notes what it was asked.
type fakeSource struct {
	recall *Recall
	reach  *Reach
	trace  *Trace
	fail   string // the method that fails, if any

	asked  []string    // the methods called, in order
	usage  [][]LotCode // the codes of each LotUsage call
	bounds Bounds
	dir    Direction
}

var errFake = errors.New("the database is down")

func (f *fakeSource) call(name string) error {
	f.asked = append(f.asked, name)
	if f.fail == name {
		return errFake
	}
	return nil
}

func (f *fakeSource) Recall(_ context.Context, code LotCode, b Bounds) (*Recall, error) {
	if err := f.call("Recall " + string(code)); err != nil {
		return nil, err
	}
	f.bounds = b
	return f.recall, nil
}

func (f *fakeSource) TraceKeys(_ context.Context, code LotCode, dir Direction, b Bounds) (*Reach, error) {
	if err := f.call("TraceKeys " + string(code)); err != nil {
		return nil, err
	}
	f.bounds, f.dir = b, dir
	return f.reach, nil
}

func (f *fakeSource) Trace(_ context.Context, code LotCode, dir Direction, b Bounds) (*Trace, error) {
	if err := f.call("Trace " + string(code)); err != nil {
		return nil, err
	}
	f.bounds, f.dir = b, dir
	return f.trace, nil
}

// LotUsage answers the bakery's usage of the codes asked, as the store does: unknown codes
// are left out.
func (f *fakeSource) LotUsage(_ context.Context, codes []LotCode) ([]LotUsage, error) {
	if err := f.call("LotUsage"); err != nil {
		return nil, err
	}
	f.usage = append(f.usage, codes)
	var out []LotUsage
	for _, u := range bakeryUsage() {
		if slices.Contains(codes, u.Lot) {
			out = append(out, u)
		}
	}
	return out, nil
}

func balancedLots(bs []LotBalance) []LotCode {
	var codes []LotCode
	for _, b := range bs {
		codes = append(codes, b.Lot)
	}
	return codes
}

func TestRecallReportFor(t *testing.T) {
	src := &fakeSource{recall: newBakery().fg1Recall()}
	bounds := Bounds{Depth: 7}
	rule := BalanceRule{Tolerance: DefaultTolerance, Closed: true}
	r, err := RecallReportFor(context.Background(), src, "FG-1", bounds, rule)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Recall FG-1", "LotUsage"}; !slices.Equal(src.asked, want) {
		t.Fatalf("asked %v, want %v", src.asked, want)
	}
	if src.bounds != bounds || r.Recall != src.recall || r.Rule != rule {
		t.Errorf("bounds %+v, recall %p, rule %+v: not the ones given", src.bounds, r.Recall, r.Rule)
	}
	// Every lot of the recall is balanced: the ingredients, the source batch's lines and
	// everything affected, once each.
	wantLots := []LotCode{"CHIPS-A", "DOUGH-1", "FG-1", "FG-2", "FG-3", "FLOUR-A", "SALT-A"}
	if !slices.Equal(src.usage[0], wantLots) {
		t.Errorf("usage asked for %v, want %v", src.usage[0], wantLots)
	}
	if got := balancedLots(r.Balance); !slices.Equal(got, wantLots) {
		t.Errorf("balanced %v, want %v", got, wantLots)
	}
	for _, b := range r.Balance {
		if b.Lot == "FG-1" && b.Status != Short { // closed: 70 of 100 cases shipped
			t.Errorf("FG-1 under a closed rule is %s, want short", b.Status)
		}
	}
	var customers []CustomerID
	for _, c := range r.Customers {
		customers = append(customers, c.Customer.ID)
	}
	if want := []CustomerID{"CUST-A", "CUST-B", "CUST-C"}; !slices.Equal(customers, want) {
		t.Errorf("customers %v, want %v", customers, want)
	}
}

func TestMassBalanceFor(t *testing.T) {
	reach := &Reach{Lots: []string{"FG-2", "FG-3"}, Batches: []string{"B-2"}, Customers: []string{"CUST-B", "CUST-C"},
		Truncated: true, CutBy: CutDepth}
	src := &fakeSource{reach: reach}
	bounds := Bounds{Depth: 2}
	rule := BalanceRule{Tolerance: DefaultTolerance}
	mb, err := MassBalanceFor(context.Background(), src, "FG-2", Forward, bounds, rule)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"TraceKeys FG-2", "LotUsage"}; !slices.Equal(src.asked, want) {
		t.Fatalf("asked %v, want %v", src.asked, want)
	}
	if src.dir != Forward || src.bounds != bounds {
		t.Errorf("walked %s within %+v, want forward within %+v", src.dir, src.bounds, bounds)
	}
	want := MassBalance{Root: "FG-2", Direction: Forward, Rule: rule, Reached: 5, Truncated: true, CutBy: CutDepth}
	got := *mb
	got.Lots = nil
	if !reflect.DeepEqual(got, want) {
		t.Errorf("balance %+v, want %+v", got, want)
	}
	if lots := balancedLots(mb.Lots); !slices.Equal(lots, []LotCode{"FG-2", "FG-3"}) {
		t.Errorf("balanced %v, want the lots reached, FG-2 and FG-3", lots)
	}
}

func TestExposureFor(t *testing.T) {
	trace := newBakery().flourForward()
	src := &fakeSource{trace: trace}
	x, err := ExposureFor(context.Background(), src, "FLOUR-A", Bounds{Nodes: 50})
	if err != nil {
		t.Fatal(err)
	}
	if src.dir != Forward || src.bounds != (Bounds{Nodes: 50}) || !slices.Equal(src.asked, []string{"Trace FLOUR-A"}) {
		t.Errorf("asked %v %s within %+v, want the forward trace of FLOUR-A within max_nodes 50", src.asked, src.dir, src.bounds)
	}
	if x.Lot != "FLOUR-A" || len(x.Lots) != len(Exposures(trace).Lots) {
		t.Errorf("exposure of %s over %d lots, want the allocation of the trace", x.Lot, len(x.Lots))
	}
}

// A failed read ends the use case with its error: nothing is assembled from half an answer.
func TestUseCasesStopAtAFailedRead(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		fail  string
		run   func(*fakeSource) (bool, error) // whether a result came back
		asked []string
	}{
		{"Recall FG-1", func(s *fakeSource) (bool, error) {
			r, err := RecallReportFor(ctx, s, "FG-1", Bounds{}, BalanceRule{})
			return r != nil, err
		}, []string{"Recall FG-1"}},
		{"LotUsage", func(s *fakeSource) (bool, error) {
			r, err := RecallReportFor(ctx, s, "FG-1", Bounds{}, BalanceRule{})
			return r != nil, err
		}, []string{"Recall FG-1", "LotUsage"}},
		{"TraceKeys FG-1", func(s *fakeSource) (bool, error) {
			mb, err := MassBalanceFor(ctx, s, "FG-1", Both, Bounds{}, BalanceRule{})
			return mb != nil, err
		}, []string{"TraceKeys FG-1"}},
		{"LotUsage", func(s *fakeSource) (bool, error) {
			mb, err := MassBalanceFor(ctx, s, "FG-1", Both, Bounds{}, BalanceRule{})
			return mb != nil, err
		}, []string{"TraceKeys FG-1", "LotUsage"}},
		{"Trace FG-1", func(s *fakeSource) (bool, error) {
			x, err := ExposureFor(ctx, s, "FG-1", Bounds{})
			return x != nil, err
		}, []string{"Trace FG-1"}},
	} {
		g := newBakery()
		src := &fakeSource{recall: g.fg1Recall(), reach: &Reach{Lots: []string{"FG-1"}}, trace: g.flourForward(), fail: tt.fail}
		got, err := tt.run(src)
		if !errors.Is(err, errFake) {
			t.Errorf("%s fails: error %v, want %v", tt.fail, err, errFake)
		}
		if !slices.Equal(src.asked, tt.asked) {
			t.Errorf("%s fails: asked %v, want %v", tt.fail, src.asked, tt.asked)
		}
		if got {
			t.Errorf("%s fails: a result came back", tt.fail)
		}
	}
}
