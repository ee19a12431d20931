package graph

import "testing"

func TestBoundsHopsLimitAndCut(t *testing.T) {
	for _, tt := range []struct {
		name          string
		b             Bounds
		hops          int
		limit         int
		over, beyond  bool
		cut           Cut
		invalidFields int
	}{
		{name: "no bound: unbounded walk, safety cap", b: Bounds{}, hops: 0, limit: SafetyCap, cut: CutNone},
		{name: "depth set", b: Bounds{Depth: 10}, hops: 20, limit: SafetyCap, beyond: true, cut: CutDepth},
		{name: "depth set, whole", b: Bounds{Depth: 10}, hops: 20, limit: SafetyCap, cut: CutNone},
		{name: "depth beyond the cap binds nothing", b: Bounds{Depth: SafetyCap}, hops: 0, limit: SafetyCap, cut: CutNone},
		{name: "nodes set", b: Bounds{Nodes: 7}, hops: 0, limit: 7, over: true, beyond: true, cut: CutNodes},
		{name: "nodes and depth: nodes named", b: Bounds{Nodes: 7, Depth: 2}, hops: 4, limit: 7, over: true, beyond: true, cut: CutNodes},
		{name: "nodes above the cap", b: Bounds{Nodes: 50, Cap: 20}, hops: 0, limit: 20, over: true, beyond: true, cut: CutSafety},
		{name: "nodes at the cap", b: Bounds{Nodes: 20, Cap: 20}, hops: 0, limit: 20, over: true, cut: CutNodes},
		{name: "cap only", b: Bounds{Cap: 20}, hops: 0, limit: 20, over: true, cut: CutSafety},
		{name: "beyond without a depth bound is never whole", b: Bounds{}, hops: 0, limit: SafetyCap, beyond: true, cut: CutSafety},
		{name: "negative", b: Bounds{Depth: -1, Nodes: -1}, invalidFields: 2},
	} {
		err := tt.b.Validate()
		if tt.invalidFields > 0 {
			e, ok := err.(*Error)
			if !ok || len(e.Fields) != tt.invalidFields {
				t.Errorf("%s: Validate() = %v, want %d field problems", tt.name, err, tt.invalidFields)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Validate() = %v", tt.name, err)
		}
		limit, _ := tt.b.Limit()
		if got := tt.b.Hops(); got != tt.hops || limit != tt.limit {
			t.Errorf("%s: hops %d limit %d, want %d and %d", tt.name, got, limit, tt.hops, tt.limit)
		}
		if got := tt.b.CutBy(tt.over, tt.beyond); got != tt.cut {
			t.Errorf("%s: CutBy(%v, %v) = %q, want %q", tt.name, tt.over, tt.beyond, got, tt.cut)
		}
	}
	if got := CutDepth.Worse(CutNone).Worse(CutNodes); got != CutNodes {
		t.Errorf("worst of depth, none, nodes = %q, want max_nodes", got)
	}
	if got := CutNone.Worse(CutNone); got != CutNone {
		t.Errorf("worst of none, none = %q", got)
	}
}
