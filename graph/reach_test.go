package graph

import (
	"slices"
	"testing"
)

func TestMergeSorted(t *testing.T) {
	for _, tt := range []struct{ a, b, want []string }{
		{nil, nil, nil},
		{[]string{"A"}, nil, []string{"A"}},
		{nil, []string{"B"}, []string{"B"}},
		{[]string{"A", "C", "E"}, []string{"B", "C", "D", "F"}, []string{"A", "B", "C", "D", "E", "F"}},
		{[]string{"A", "B"}, []string{"A", "B"}, []string{"A", "B"}},
	} {
		if got := mergeSorted(tt.a, tt.b); !slices.Equal(got, tt.want) {
			t.Errorf("mergeSorted(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// A trace both ways is the union of two traces: an edge belongs when one walk reached both its
// ends, a receipt when the backward walk reached its lot, a shipment when the forward walk did.
func TestTraceReachMembership(t *testing.T) {
	back := &Reach{Lots: []string{"DOUGH", "FG", "FLOUR"}, Batches: []string{"B1", "MIX"}, Suppliers: []string{"MILL"}, CutBy: CutNone}
	fwd := &Reach{Lots: []string{"FG", "FG2"}, Batches: []string{"B2"}, Customers: []string{"SHOP"}, CutBy: CutDepth, Truncated: true}
	tr := &TraceReach{Reach: UnionReach(back, fwd), Back: back, Fwd: fwd}
	if want := []string{"DOUGH", "FG", "FG2", "FLOUR"}; !slices.Equal(tr.Lots, want) {
		t.Errorf("union lots %v, want %v", tr.Lots, want)
	}
	if !tr.Truncated || tr.CutBy != CutDepth || tr.Size() != 9 {
		t.Errorf("union truncated %v cut by %q size %d", tr.Truncated, tr.CutBy, tr.Size())
	}
	for _, tt := range []struct {
		lot, batch string
		want       bool
	}{{"FLOUR", "MIX", true}, {"FG", "B2", true}, {"DOUGH", "B2", false}, {"FG2", "MIX", false}} {
		if got := tr.Joins(tt.lot, tt.batch); got != tt.want {
			t.Errorf("Joins(%s, %s) = %v, want %v", tt.lot, tt.batch, got, tt.want)
		}
	}
	if !tr.Receipted("FLOUR") || tr.Receipted("FG2") || !tr.Shipped("FG2") || tr.Shipped("DOUGH") {
		t.Error("receipts belong to lots reached backward, shipments to lots reached forward")
	}
	sc := tr.KDEScope()
	if !slices.Equal(sc.Received, back.Lots) || !slices.Equal(sc.Shipped, fwd.Lots) || !slices.Equal(sc.Batches, []string{"B1", "B2", "MIX"}) || sc.CutBy != CutDepth {
		t.Errorf("spreadsheet scope %+v", sc)
	}
}
