package graph

import (
	"fmt"
	"sort"
	"time"
)

// bakeryGraph is the bakery history of test/bakery_test.go as the store would answer it:
// nodes and edges with their typed parts, untagged. Traces of it are cut with sub.
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
		sup := Supplier{ID: SupplierID(supplier), Name: supplier + " Co.", Location: supplierLoc}
		g.node(Node{Kind: KindSupplier, Key: supplier, Supplier: &sup})
		g.node(Node{Kind: KindLot, Key: code, Lot: &LotRecord{Code: LotCode(code), Product: product, Description: "desc " + product,
			Quantity: Quantity{qty, unit}, SupplierLot: "S-" + code, ExpiresAt: "2027-06-30",
			Origin: KindReceipt, OriginAt: at(when), Location: "BAKERY-1", TLCSource: supplierLoc}})
		g.edge(Edge{From: NewNodeID(KindLot, code), To: NewNodeID(KindSupplier, supplier), Type: ReceivedFrom, Receiving: &Receiving{
			Supplier: sup, ReceivedAt: at(when), Location: "BAKERY-1", Quantity: Quantity{qty, unit}, Reference: Reference{"PO", "PO-" + code}}})
	}
	type q struct {
		lot  string
		qty  float64
		unit string
	}
	produce := func(batch, when string, inputs []q, outputs []q) {
		g.node(Node{Kind: KindBatch, Key: batch, Batch: &BatchRecord{ID: BatchID(batch), Line: "L1", ProducedAt: at(when), Location: "BAKERY-1",
			TLCSource: "BAKERY-1", Reference: Reference{"batch log", "BL-" + batch}}})
		for i, in := range inputs {
			g.edge(Edge{From: NewNodeID(KindLot, in.lot), To: NewNodeID(KindBatch, batch), Type: ConsumedIn, Use: &BatchUse{i + 1, Quantity{in.qty, in.unit}}})
		}
		for i, out := range outputs {
			g.node(Node{Kind: KindLot, Key: out.lot, Lot: &LotRecord{Code: LotCode(out.lot), Product: "P-" + out.lot, Quantity: Quantity{out.qty, out.unit},
				Origin: KindProduction, OriginAt: at(when), Location: "BAKERY-1", TLCSource: "BAKERY-1", BatchID: BatchID(batch)}})
			g.edge(Edge{From: NewNodeID(KindBatch, batch), To: NewNodeID(KindLot, out.lot), Type: Produced, Use: &BatchUse{i + 1, Quantity{out.qty, out.unit}}})
		}
	}
	ship := func(id, customer, when, lot string, qty float64, unit string) {
		c := Customer{ID: CustomerID(customer), Name: customer + " Store", Location: customer + " Street", Contact: "buyer@" + customer}
		g.node(Node{Kind: KindCustomer, Key: customer, Customer: &c})
		described := c
		described.Contact = "" // a shipment line does not describe the contact
		g.edge(Edge{From: NewNodeID(KindLot, lot), To: NewNodeID(KindCustomer, customer), Type: ShippedTo, Shipment: &ShipmentLine{
			ID: ShipmentID(id), Line: 1, Lot: LotCode(lot), Customer: described, ShippedAt: at(when), From: "BAKERY-1",
			Quantity: Quantity{qty, unit}, Reference: Reference{"BOL", "BOL-" + id}}})
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

// node adds a node with its part, given its kind and key.
func (g *bakeryGraph) node(n Node) {
	n.ID = NewNodeID(n.Kind, n.Key)
	g.nodes[n.ID] = n
}

// edge adds an edge with its part, given its ends and type.
func (g *bakeryGraph) edge(e Edge) {
	e.ID = fmt.Sprintf("e%d", len(g.edges))
	g.edges = append(g.edges, e)
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
		case e.Type == ConsumedIn && want[e.To]:
			lines = append(lines, BatchLine{Edge: e, Lot: g.nodes[e.From]})
		case e.Type == Produced && want[e.From]:
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
