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
// or PRODUCED (batch to lot) edge, and the lot at the other end, with their stored properties.
type BatchLine struct {
	Edge Edge
	Lot  Node
}

// batch is the id of the line's batch, or "" for an edge that is no batch line.
func (l BatchLine) batch() NodeID {
	switch l.Edge.Type {
	case "CONSUMED_IN":
		return l.Edge.To
	case "PRODUCED":
		return l.Edge.From
	}
	return ""
}

// BatchIDs lists the batches of the traces once each, in id order: the batches whose lines an
// export asks the store for (Store.BatchLines).
func BatchIDs(traces ...*Trace) []BatchID {
	seen := map[string]bool{}
	ids := []BatchID{}
	for _, t := range traces {
		if t == nil {
			continue
		}
		for _, k := range t.Keys(KindBatch) {
			if !seen[k] {
				seen[k] = true
				ids = append(ids, BatchID(k))
			}
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// KDERows lists the event lines of the traces as spreadsheet rows, oldest first: one per
// RECEIVED_FROM (a receipt), CONSUMED_IN and PRODUCED (a transformation's inputs and outputs)
// and SHIPPED_TO (a shipment line). A trace holds only the lines on its path, but the rows of
// one transformation are read as its whole record (21 CFR 1.1350: every input lot, every new
// lot), so lines, the stored lines of the traces' batches, add the lines the traces lack; a
// row whose lot is in none of the traces is marked OutsideTrace. Lines of a batch that no
// trace holds are left out. Every value comes from stored properties; an edge found more than
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
		case "RECEIVED_FROM":
			r = ReceivingRow(e, nodes[e.From], nodes[e.To])
		case "CONSUMED_IN":
			r = TransformationRow(RoleInput, e, nodes[e.To], nodes[e.From])
			r.OutsideTrace = outside[e.From]
		case "PRODUCED":
			r = TransformationRow(RoleOutput, e, nodes[e.From], nodes[e.To])
			r.Inputs, r.OutsideTrace = inputs[e.From], outside[e.To]
		case "SHIPPED_TO":
			r = ShippingRow(e, nodes[e.From], nodes[e.To])
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
func lotFields(r *KDERow, lot Node) {
	p := lot.Properties
	r.Lot = LotCode(lot.Key)
	r.Product, r.Description = str(p["product"]), str(p["description"])
	r.TLCSource, r.ExpiresAt = str(p["tlc_source"]), str(p["expires_at"])
}

// ReceivingRow is the spreadsheet row of a receipt: the RECEIVED_FROM edge e of the lot.
func ReceivingRow(e Edge, lot, supplier Node) KDERow {
	p := e.Properties
	r := KDERow{CTE: CTEReceiving, EventID: lot.Key, Quantity: quantityOf(p), Date: timeOf(p["received_at"]),
		Location: str(p["location"]), Reference: referenceOf(p)}
	lotFields(&r, lot)
	r.SupplierLot = str(lot.Properties["supplier_lot"])
	r.Source = Party{ID: supplier.Key,
		Name:     firstOf(str(p["supplier_name"]), str(supplier.Properties["name"])),
		Location: firstOf(str(p["supplier_location"]), str(supplier.Properties["location"]))}
	return r
}

// TransformationRow is the spreadsheet row of one input or output line of a batch: the
// CONSUMED_IN or PRODUCED edge e between the batch and the lot.
func TransformationRow(role LineRole, e Edge, batch, lot Node) KDERow {
	b := batch.Properties
	r := KDERow{CTE: CTETransformation, Role: role, EventID: batch.Key, Line: int(toInt(e.Properties["line"])),
		Quantity: quantityOf(e.Properties), Date: timeOf(b["produced_at"]), Location: str(b["location"]), Reference: referenceOf(b)}
	lotFields(&r, lot)
	return r
}

// ShippingRow is the spreadsheet row of a shipment line: the SHIPPED_TO edge e of the lot.
func ShippingRow(e Edge, lot, customer Node) KDERow {
	p := e.Properties
	r := KDERow{CTE: CTEShipping, EventID: str(p["shipment_id"]), Line: int(toInt(p["line"])),
		Quantity: quantityOf(p), Date: timeOf(p["shipped_at"]), Location: str(p["from"]), Reference: referenceOf(p)}
	lotFields(&r, lot)
	r.Recipient = Party{ID: customer.Key,
		Name:     firstOf(str(p["customer_name"]), str(customer.Properties["name"])),
		Location: firstOf(str(p["customer_location"]), str(customer.Properties["location"]))}
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
		if e.Type == "CONSUMED_IN" {
			byBatch[e.To] = append(byBatch[e.To], line{int(toInt(e.Properties["line"])), LotQuantity{Lot: LotCode(nodes[e.From].Key), Quantity: quantityOf(e.Properties)}})
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

func referenceOf(p map[string]any) Reference {
	return Reference{Type: str(p["ref_type"]), Number: str(p["ref_number"])}
}

func firstOf(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}
