package graph

import (
	"sort"
	"strings"
	"time"
)

// CTE names the critical tracking event a spreadsheet row records (21 CFR 1.1340–1.1350).
type CTE string

const (
	CTEReceiving      CTE = "receiving"
	CTETransformation CTE = "transformation"
	CTEShipping       CTE = "shipping"
)

// LineRole says which side of a transformation a row records.
type LineRole string

const (
	RoleInput  LineRole = "input"  // a lot the batch used, with the quantity used
	RoleOutput LineRole = "output" // a new lot the batch made
)

// Party is a trading partner as the event described it.
type Party struct {
	ID       string
	Name     string
	Location string
}

// KDERow is one row of the FSMA 204 electronic sortable spreadsheet: one event line with
// every Key Data Element of its CTE.
type KDERow struct {
	CTE  CTE
	Role LineRole // transformations only
	// EventID groups the rows of one event: the batch id of a transformation, the shipment id
	// of a shipment, and for a receipt (which has no id of its own) the lot code.
	EventID     string
	Line        int // the line within the event (batch input or output line, shipment line); 0 for receipts
	Lot         LotCode
	Product     string
	Description string
	Quantity    Quantity
	Date        time.Time // received, transformation completed, shipped
	Location    string    // our location: where received, where transformed, shipped from
	Source      Party     // receiving: the immediate previous source
	Recipient   Party     // shipping: the immediate subsequent recipient
	TLCSource   string    // where the lot's TLC was assigned, or a TLC source reference
	Reference   Reference
	// Inputs lists, on a transformation's output rows, every input lot of the batch with the
	// quantity used, so that each new lot's row can be read on its own.
	Inputs      []LotQuantity
	SupplierLot string // receiving: the supplier's own lot code
	ExpiresAt   string // a calendar date, or ""
	// OutsideTrace says the row's lot is in none of the traces: the row is there only because
	// its batch is, and a transformation is shown with all of its lines.
	OutsideTrace bool
}

// BatchLine is one input or output line of a batch as stored: its CONSUMED_IN (lot to batch)
// or PRODUCED (batch to lot) edge, and the lot at the other end, with their typed parts.
type BatchLine struct {
	Edge Edge
	Lot  Node
}

// batch is the id of the line's batch, or "" for an edge that is no batch line.
func (l BatchLine) batch() NodeID {
	switch l.Edge.Type {
	case ConsumedIn:
		return l.Edge.To
	case Produced:
		return l.Edge.From
	}
	return ""
}

// BatchIDs lists the batches of the traces once each, in id order: the batches whose lines an
// export asks the store for (Store.BatchLines).
func BatchIDs(traces ...*Trace) []BatchID { return keysOf[BatchID](KindBatch, traces...) }

// KDERows lists the event lines of the traces as spreadsheet rows, oldest first: one per
// RECEIVED_FROM (a receipt), CONSUMED_IN and PRODUCED (a transformation's inputs and outputs)
// and SHIPPED_TO (a shipment line). A trace holds only the lines on its path, but the rows of
// one transformation are read as its whole record (21 CFR 1.1350: every input lot, every new
// lot), so lines, the stored lines of the traces' batches, add the lines the traces lack; a
// row whose lot is in none of the traces is marked OutsideTrace. Lines of a batch that no
// trace holds are left out. Every value comes from the typed parts; an edge found more than
// once (a recall's sides overlap, a line is also in a trace) gives one row.
func KDERows(lines []BatchLine, traces ...*Trace) []KDERow {
	nodes := map[NodeID]Node{}
	seen := map[string]bool{}
	var edges []Edge
	addEdge := func(e Edge) {
		if !seen[e.ID] {
			seen[e.ID] = true
			edges = append(edges, e)
		}
	}
	for _, t := range traces {
		if t == nil {
			continue
		}
		for _, n := range t.Nodes {
			nodes[n.ID] = n
		}
		for _, e := range t.Edges {
			addEdge(e)
		}
	}
	outside := map[NodeID]bool{}
	for _, l := range lines {
		if _, ok := nodes[l.batch()]; !ok {
			continue
		}
		if _, ok := nodes[l.Lot.ID]; !ok {
			nodes[l.Lot.ID], outside[l.Lot.ID] = l.Lot, true
		}
		addEdge(l.Edge)
	}
	inputs := batchInputs(edges, nodes)
	rows := make([]KDERow, 0, len(edges))
	for _, e := range edges {
		var r KDERow
		switch e.Type {
		case ReceivedFrom:
			r = ReceivingRow(nodes[e.From].lot(), e.receiving(), nodes[e.To].supplier())
		case ConsumedIn:
			r = TransformationRow(RoleInput, nodes[e.To].batch(), e.use(), nodes[e.From].lot())
			r.OutsideTrace = outside[e.From]
		case Produced:
			r = TransformationRow(RoleOutput, nodes[e.From].batch(), e.use(), nodes[e.To].lot())
			r.Inputs, r.OutsideTrace = inputs[e.From], outside[e.To]
		case ShippedTo:
			r = ShippingRow(nodes[e.From].lot(), e.shipment(), nodes[e.To].customer())
		default:
			continue
		}
		rows = append(rows, r)
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].less(rows[j]) })
	return rows
}

var cteOrder = map[CTE]int{CTEReceiving: 0, CTETransformation: 1, CTEShipping: 2}

// less orders rows by date, then keeps an event's rows together: inputs before outputs,
// by line.
func (r KDERow) less(o KDERow) bool {
	switch {
	case !r.Date.Equal(o.Date):
		return r.Date.Before(o.Date)
	case r.CTE != o.CTE:
		return cteOrder[r.CTE] < cteOrder[o.CTE]
	case r.EventID != o.EventID:
		return r.EventID < o.EventID
	case r.Role != o.Role:
		return r.Role == RoleInput
	case r.Line != o.Line:
		return r.Line < o.Line
	default:
		return r.Lot < o.Lot
	}
}

// lotFields fills what every row says about its lot.
func lotFields(r *KDERow, lot LotRecord) {
	r.Lot, r.Product, r.Description = lot.Code, lot.Product, lot.Description
	r.TLCSource, r.ExpiresAt = lot.TLCSource, lot.ExpiresAt
}

// ReceivingRow is the spreadsheet row of a receipt: the RECEIVED_FROM r of the lot, from the
// supplier as now stored (what the receipt left out of its description comes from there).
func ReceivingRow(lot LotRecord, r Receiving, stored Supplier) KDERow {
	row := KDERow{CTE: CTEReceiving, EventID: string(lot.Code), Quantity: r.Quantity, Date: r.ReceivedAt.UTC(),
		Location: r.Location, Reference: r.Reference, SupplierLot: lot.SupplierLot}
	lotFields(&row, lot)
	row.Source = Party{ID: string(r.Supplier.ID),
		Name:     firstOf(r.Supplier.Name, stored.Name),
		Location: firstOf(r.Supplier.Location, stored.Location)}
	return row
}

// TransformationRow is the spreadsheet row of one input or output line u of batch b, the
// line of the lot.
func TransformationRow(role LineRole, b BatchRecord, u BatchUse, lot LotRecord) KDERow {
	r := KDERow{CTE: CTETransformation, Role: role, EventID: string(b.ID), Line: u.Line,
		Quantity: u.Quantity, Date: b.ProducedAt.UTC(), Location: b.Location, Reference: b.Reference}
	lotFields(&r, lot)
	return r
}

// ShippingRow is the spreadsheet row of shipment line s of the lot, to the customer as now
// stored (what the shipment left out of its description comes from there).
func ShippingRow(lot LotRecord, s ShipmentLine, stored Customer) KDERow {
	r := KDERow{CTE: CTEShipping, EventID: string(s.ID), Line: s.Line,
		Quantity: s.Quantity, Date: s.ShippedAt.UTC(), Location: s.From, Reference: s.Reference}
	lotFields(&r, lot)
	r.Recipient = Party{ID: string(s.Customer.ID),
		Name:     firstOf(s.Customer.Name, stored.Name),
		Location: firstOf(s.Customer.Location, stored.Location)}
	return r
}

// batchInputs lists each batch's CONSUMED_IN lines, by line.
func batchInputs(edges []Edge, nodes map[NodeID]Node) map[NodeID][]LotQuantity {
	type line struct {
		n  int
		lq LotQuantity
	}
	byBatch := map[NodeID][]line{}
	for _, e := range edges {
		if e.Type == ConsumedIn {
			u := e.use()
			byBatch[e.To] = append(byBatch[e.To], line{u.Line, LotQuantity{Lot: LotCode(nodes[e.From].Key), Quantity: u.Quantity}})
		}
	}
	out := make(map[NodeID][]LotQuantity, len(byBatch))
	for id, lines := range byBatch {
		sort.Slice(lines, func(i, j int) bool {
			if lines[i].n != lines[j].n {
				return lines[i].n < lines[j].n
			}
			return lines[i].lq.Lot < lines[j].lq.Lot
		})
		for _, l := range lines {
			out[id] = append(out[id], l.lq)
		}
	}
	return out
}

func firstOf(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
