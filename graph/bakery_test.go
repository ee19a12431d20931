package graph

import (
	"fmt"
	"sort"
	"time"
)

// bakeryGraph is the bakery history of test/bakery_test.go as the store would answer it:
// nodes and edges with their stored properties, untagged. Traces of it are cut with sub.
type bakeryGraph struct {
	nodes map[NodeID]Node
	edges []Edge
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func newBakery() *bakeryGraph {
	g := &bakeryGraph{nodes: map[NodeID]Node{}}
	receive := func(code, product, unit string, qty float64, supplier, supplierLoc, when string) {
		g.node(KindSupplier, supplier, map[string]any{"id": supplier, "name": supplier + " Co.", "location": supplierLoc})
		g.node(KindLot, code, map[string]any{"code": code, "product": product, "description": "desc " + product,
			"quantity": qty, "unit": unit, "supplier_lot": "S-" + code, "expires_at": "2027-06-30",
			"origin": "receipt", "origin_at": at(when), "location": "BAKERY-1", "tlc_source": supplierLoc})
		g.edge(NewNodeID(KindLot, code), NewNodeID(KindSupplier, supplier), "RECEIVED_FROM", map[string]any{
			"received_at": at(when), "location": "BAKERY-1", "quantity": qty, "unit": unit,
			"supplier_name": supplier + " Co.", "supplier_location": supplierLoc, "ref_type": "PO", "ref_number": "PO-" + code})
	}
	type q struct {
		lot  string
		qty  float64
		unit string
	}
	produce := func(batch, when string, inputs []q, outputs []q) {
		g.node(KindBatch, batch, map[string]any{"id": batch, "line": "L1", "produced_at": at(when), "location": "BAKERY-1",
			"tlc_source": "BAKERY-1", "ref_type": "batch log", "ref_number": "BL-" + batch})
		for i, in := range inputs {
			g.edge(NewNodeID(KindLot, in.lot), NewNodeID(KindBatch, batch), "CONSUMED_IN", map[string]any{"line": int64(i + 1), "quantity": in.qty, "unit": in.unit})
		}
		for i, out := range outputs {
			g.node(KindLot, out.lot, map[string]any{"code": out.lot, "product": "P-" + out.lot, "quantity": out.qty, "unit": out.unit,
				"origin": "production", "origin_at": at(when), "location": "BAKERY-1", "tlc_source": "BAKERY-1", "batch_id": batch})
			g.edge(NewNodeID(KindBatch, batch), NewNodeID(KindLot, out.lot), "PRODUCED", map[string]any{"line": int64(i + 1), "quantity": out.qty, "unit": out.unit})
		}
	}
	ship := func(id, customer, when, lot string, qty float64, unit string) {
		g.node(KindCustomer, customer, map[string]any{"id": customer, "name": customer + " Store", "location": customer + " Street", "contact": "buyer@" + customer})
		g.edge(NewNodeID(KindLot, lot), NewNodeID(KindCustomer, customer), "SHIPPED_TO", map[string]any{
			"shipment_id": id, "line": int64(1), "shipped_at": at(when), "from": "BAKERY-1", "quantity": qty, "unit": unit,
			"customer_name": customer + " Store", "customer_location": customer + " Street", "ref_type": "BOL", "ref_number": "BOL-" + id})
	}
	receive("FLOUR-A", "FLOUR", "kg", 1000, "SUP-MILL", "Saskatoon, SK", "2026-10-01T07:00:00Z")
	receive("SALT-A", "SALT", "kg", 100, "SUP-SALT", "Goderich, ON", "2026-10-01T08:00:00Z")
	receive("CHIPS-A", "CHOC-CHIPS", "kg", 200, "SUP-CHOC", "Montreal, QC", "2026-10-02T07:00:00Z")
	produce("MIX-1", "2026-10-03T06:00:00Z", []q{{"FLOUR-A", 100, "kg"}, {"SALT-A", 2, "kg"}}, []q{{"DOUGH-1", 100, "kg"}})
	produce("B-1", "2026-10-03T10:00:00Z", []q{{"DOUGH-1", 50, "kg"}, {"CHIPS-A", 10, "kg"}}, []q{{"FG-1", 100, "case"}, {"FG-2", 50, "case"}})
	produce("B-2", "2026-10-04T10:00:00Z", []q{{"DOUGH-1", 50, "kg"}, {"FG-2", 5, "case"}}, []q{{"FG-3", 80, "case"}})
	ship("SH-1", "CUST-A", "2026-10-05T16:00:00Z", "FG-1", 40, "case")
	ship("SH-2", "CUST-A", "2026-10-06T16:00:00Z", "FG-1", 30, "case")
	ship("SH-3", "CUST-B", "2026-10-06T17:00:00Z", "FG-2", 20, "case")
	ship("SH-4", "CUST-C", "2026-10-07T16:00:00Z", "FG-3", 80, "case")
	return g
}

func (g *bakeryGraph) node(kind NodeKind, key string, props map[string]any) {
	id := NewNodeID(kind, key)
	g.nodes[id] = Node{ID: id, Kind: kind, Key: key, Properties: props}
}

func (g *bakeryGraph) edge(from, to NodeID, typ EdgeType, props map[string]any) {
	g.edges = append(g.edges, Edge{ID: fmt.Sprintf("e%d", len(g.edges)), From: from, To: to, Type: typ, Properties: props})
}

// sub is the trace holding the named nodes (as "kind:key") and every edge between them, as
// the store builds it.
func (g *bakeryGraph) sub(root LotCode, dir Direction, ids ...string) *Trace {
	t := &Trace{Root: root, Direction: dir}
	keep := map[NodeID]bool{}
	for _, id := range ids {
		n, ok := g.nodes[NodeID(id)]
		if !ok {
			panic("no node " + id)
		}
		keep[n.ID] = true
		t.Nodes = append(t.Nodes, n)
	}
	for _, e := range g.edges {
		if keep[e.From] && keep[e.To] {
			t.Edges = append(t.Edges, e)
		}
	}
	sort.Slice(t.Nodes, func(i, j int) bool { return t.Nodes[i].ID < t.Nodes[j].ID })
	return t
}

// flourForward is the forward trace of FLOUR-A: everything it went into, and the customers.
func (g *bakeryGraph) flourForward() *Trace {
	return g.sub("FLOUR-A", Forward, "lot:FLOUR-A", "batch:MIX-1", "lot:DOUGH-1", "batch:B-1", "batch:B-2",
		"lot:FG-1", "lot:FG-2", "lot:FG-3", "customer:CUST-A", "customer:CUST-B", "customer:CUST-C")
}

// fg3Backward is the backward trace of FG-3: everything behind it, and the suppliers.
func (g *bakeryGraph) fg3Backward() *Trace {
	return g.sub("FG-3", Backward, "lot:FG-3", "batch:B-2", "lot:DOUGH-1", "lot:FG-2", "batch:B-1", "lot:CHIPS-A",
		"batch:MIX-1", "lot:FLOUR-A", "lot:SALT-A", "supplier:SUP-MILL", "supplier:SUP-SALT", "supplier:SUP-CHOC")
}

// batchLines is every input and output line of the named batches with its lot, as
// Store.BatchLines answers.
func (g *bakeryGraph) batchLines(batches ...BatchID) []BatchLine {
	want := map[NodeID]bool{}
	for _, b := range batches {
		want[NewNodeID(KindBatch, string(b))] = true
	}
	var lines []BatchLine
	for _, e := range g.edges {
		switch {
		case e.Type == "CONSUMED_IN" && want[e.To]:
			lines = append(lines, BatchLine{Edge: e, Lot: g.nodes[e.From]})
		case e.Type == "PRODUCED" && want[e.From]:
			lines = append(lines, BatchLine{Edge: e, Lot: g.nodes[e.To]})
		}
	}
	return lines
}

// fg1Recall is the recall of FG-1 as Store.Recall cuts it: the ingredients behind B-1 (the
// backward trace of DOUGH-1 and CHIPS-A), B-1 with its lines, and the forward trace of FG-1
// and FG-2, which reaches B-2 from FG-2 only: B-2's DOUGH-1 line is on no traced path.
func (g *bakeryGraph) fg1Recall() *Recall {
	return &Recall{Lot: "FG-1", SourceBatches: []string{"B-1"},
		Ingredients: g.sub("FG-1", Backward, "lot:DOUGH-1", "batch:MIX-1", "lot:FLOUR-A", "lot:SALT-A", "lot:CHIPS-A",
			"supplier:SUP-MILL", "supplier:SUP-SALT", "supplier:SUP-CHOC"),
		Sources: g.sub("FG-1", Backward, "batch:B-1", "lot:DOUGH-1", "lot:CHIPS-A", "lot:FG-1", "lot:FG-2", "supplier:SUP-CHOC"),
		Affected: g.sub("FG-1", Forward, "lot:FG-1", "lot:FG-2", "batch:B-2", "lot:FG-3",
			"customer:CUST-A", "customer:CUST-B", "customer:CUST-C"),
	}
}
