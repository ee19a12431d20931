package graph

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"sort"
	"strings"
)

// ExposureMethod documents how exposure is allocated; the API answers it with every exposure.
const ExposureMethod = "Exposure is how much of the source lot, in the source lot's own unit, " +
	"each downstream lot and shipment line holds. The source lot holds all of itself. A lot " +
	"consumed or shipped in part passes on that fraction of what it holds (quantity used / lot " +
	"quantity; both are in the lot's unit). A batch spreads what its inputs passed on over its " +
	"outputs in proportion to each output's quantity, which needs every output in one unit: " +
	"where they differ, the outputs and everything made from them are not_allocatable, with " +
	"the reason, rather than guessed. Share is the amount as a fraction of the source lot."

// Exposure is how much of one lot ended up in each lot and shipment line downstream of it.
type Exposure struct {
	Lot       LotCode
	Quantity  Quantity // the source lot's quantity; every amount below is in its unit
	Lots      []LotExposure
	Shipments []ShipmentExposure
	Truncated bool // the trace was cut short, so some exposure is missing
	CutBy     Cut  // the bound that cut it
}

// Allocation is the part of the source lot something holds, or why it cannot be told.
type Allocation struct {
	Amount         float64 // in the source lot's unit
	Share          float64 // Amount / the source lot's quantity
	NotAllocatable string  // why no amount can be given; "" when one can
}

// LotExposure is one lot's part of the source lot.
type LotExposure struct {
	Lot      LotCode
	Product  string
	Level    int      // transformation levels below the source lot, which is level 0
	Quantity Quantity // the lot's own quantity
	Allocation
}

// ShipmentExposure is one shipment line's part of the source lot.
type ShipmentExposure struct {
	ShipmentLine
	Allocation
}

// flow is what the walk knows of one lot or batch: the amount of the source it holds, or
// why it cannot be told, and how many transformations lie between it and the source.
type flow struct {
	amount float64
	bad    string
	level  int
}

// allocator walks a forward trace from its root, lots and batches in topological order, so
// that a lot reached along several paths (rework, shared dough) sums every path before it
// passes anything on.
type allocator struct {
	nodes   map[NodeID]Node
	out     map[NodeID][]Edge // the CONSUMED_IN and PRODUCED edges leaving each lot or batch
	pending map[NodeID]int    // edges into each node not yet walked
	flows   map[NodeID]*flow
}

// Exposures allocates the root lot of a forward trace over everything downstream of it,
// following ExposureMethod.
func Exposures(t *Trace) *Exposure {
	a := &allocator{nodes: make(map[NodeID]Node, len(t.Nodes)), out: map[NodeID][]Edge{}, pending: map[NodeID]int{}, flows: map[NodeID]*flow{}}
	for _, n := range t.Nodes {
		a.nodes[n.ID] = n
	}
	for _, e := range t.Edges {
		if e.Type == ConsumedIn || e.Type == Produced {
			a.out[e.From] = append(a.out[e.From], e)
			a.pending[e.To]++
		}
	}
	root := NewNodeID(KindLot, string(t.Root))
	rootQty := a.nodes[root].lot().Quantity
	a.flows[root] = &flow{amount: rootQty.Amount}
	for queue := []NodeID{root}; len(queue) > 0; queue = queue[1:] {
		queue = append(queue, a.passOn(queue[0])...)
	}

	x := &Exposure{Lot: t.Root, Quantity: rootQty, Truncated: t.Truncated, CutBy: t.CutBy}
	allocation := func(f *flow) Allocation {
		switch {
		case f == nil:
			// Only a cycle in the stored history leaves a node unvisited; say so, never guess.
			return Allocation{NotAllocatable: "the history holds a cycle through this lot"}
		case f.bad != "":
			return Allocation{NotAllocatable: f.bad}
		}
		share := f.amount / rootQty.Amount
		if !finite(f.amount) || !finite(share) {
			// Only quantities stored before they were bounded (see ingest.MinQuantity) get here:
			// a lot of 1e-320 kg passes on infinite fractions.
			return Allocation{NotAllocatable: "the recorded quantities on the way are too far apart (or zero) to compute a fraction"}
		}
		return Allocation{Amount: f.amount, Share: share}
	}
	for _, n := range t.Nodes {
		if n.Kind != KindLot {
			continue
		}
		f := a.flows[n.ID]
		lot := n.lot()
		le := LotExposure{Lot: LotCode(n.Key), Product: lot.Product, Quantity: lot.Quantity, Allocation: allocation(f)}
		if f != nil {
			le.Level = f.level
		}
		x.Lots = append(x.Lots, le)
	}
	sort.Slice(x.Lots, func(i, j int) bool {
		if x.Lots[i].Level != x.Lots[j].Level {
			return x.Lots[i].Level < x.Lots[j].Level
		}
		return x.Lots[i].Lot < x.Lots[j].Lot
	})
	for _, l := range t.ShipmentLines() {
		lot := NewNodeID(KindLot, string(l.Lot))
		x.Shipments = append(x.Shipments, ShipmentExposure{ShipmentLine: l, Allocation: allocation(part(a.flows[lot], a.nodes[lot], l.Quantity))})
	}
	return x
}

// passOn hands a lot's or batch's flow to the batches and lots after it, and returns those
// whose every incoming edge has now been walked.
func (a *allocator) passOn(id NodeID) []NodeID {
	f, edges := a.flows[id], a.out[id]
	share := func(e Edge) (*flow, int) { return part(f, a.nodes[id], e.use().Quantity), f.level }
	if a.nodes[id].Kind == KindBatch {
		share = a.spread(id, f, edges)
	}
	var ready []NodeID
	for _, e := range edges {
		src, level := share(e)
		a.receive(e.To, src, level)
		if a.pending[e.To]--; a.pending[e.To] == 0 {
			ready = append(ready, e.To)
		}
	}
	return ready
}

// spread returns how a batch shares its flow over its outputs: in proportion to quantity,
// which needs every output in one unit.
func (a *allocator) spread(id NodeID, f *flow, outputs []Edge) func(Edge) (*flow, int) {
	units, total := map[string]bool{}, 0.0
	for _, e := range outputs {
		q := e.use().Quantity
		units[q.Unit] = true
		total += q.Amount
	}
	return func(e Edge) (*flow, int) {
		switch {
		case f.bad != "":
			return f, f.level + 1
		case len(units) > 1:
			return &flow{bad: fmt.Sprintf("batch %s made outputs in different units (%s), so its inputs cannot be spread over them by quantity",
				a.nodes[id].Key, strings.Join(slices.Sorted(maps.Keys(units)), ", "))}, f.level + 1
		default:
			return &flow{amount: f.amount * e.use().Quantity.Amount / total}, f.level + 1
		}
	}
}

// receive adds a flow into a lot or batch. One path that cannot be allocated makes the
// whole unallocatable: a partial sum would understate the exposure.
func (a *allocator) receive(id NodeID, src *flow, level int) {
	f, ok := a.flows[id]
	if !ok {
		f = &flow{}
		a.flows[id] = f
	}
	f.amount += src.amount
	f.level = max(f.level, level)
	if f.bad == "" {
		f.bad = src.bad
	}
}

// part is the flow of a quantity taken from a lot: the fraction used of what the lot holds.
func part(f *flow, lot Node, used Quantity) *flow {
	lotQty := lot.lot().Quantity
	switch {
	case f == nil || f.bad != "":
		return f
	case used.Unit != lotQty.Unit || lotQty.Amount <= 0:
		return &flow{bad: fmt.Sprintf("lot %s (%g %s) was used in %s, so the fraction used cannot be told", lot.Key, lotQty.Amount, lotQty.Unit, used.Unit)}
	default:
		return &flow{amount: f.amount * used.Amount / lotQty.Amount}
	}
}

// finite reports whether x is a number JSON can carry: not NaN and not infinite.
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// saturate is x, or the largest float64 of its sign when x is infinite, or 0 when NaN: for
// sums and ratios of stored quantities that JSON must carry and a note explains.
func saturate(x float64) float64 {
	switch {
	case math.IsNaN(x):
		return 0
	case math.IsInf(x, 1):
		return math.MaxFloat64
	case math.IsInf(x, -1):
		return -math.MaxFloat64
	}
	return x
}
