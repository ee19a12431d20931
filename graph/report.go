package graph

import "sort"

// CustomerRecall is one affected customer of a recall, as the recall letter needs it: who
// they are and every shipment line of an affected lot they received.
type CustomerRecall struct {
	Customer Customer   // as now stored (the latest description any shipment gave)
	Lines    []KDERow   // the shipping rows, oldest first
	Totals   []Quantity // quantity received per unit
}

// RecallCustomers groups the recall's shipment lines by customer, in customer id order.
func RecallCustomers(r *Recall) []CustomerRecall {
	byID := map[string]*CustomerRecall{}
	for _, row := range KDERows(nil, r.Affected) {
		if row.CTE != CTEShipping {
			continue
		}
		c, ok := byID[row.Recipient.ID]
		if !ok {
			stored := nodeByID(r.Affected, NewNodeID(KindCustomer, row.Recipient.ID)).customer()
			c = &CustomerRecall{Customer: Customer{
				ID:       CustomerID(row.Recipient.ID),
				Name:     firstOf(stored.Name, row.Recipient.Name),
				Location: firstOf(stored.Location, row.Recipient.Location),
				Contact:  stored.Contact,
			}}
			byID[row.Recipient.ID] = c
		}
		c.Lines = append(c.Lines, row)
		c.Totals = addQuantity(c.Totals, row.Quantity)
	}
	out := make([]CustomerRecall, 0, len(byID))
	for _, c := range byID {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Customer.ID < out[j].Customer.ID })
	return out
}

// addQuantity adds q to the total of its unit; units are never converted.
func addQuantity(totals []Quantity, q Quantity) []Quantity {
	for i := range totals {
		if totals[i].Unit == q.Unit {
			totals[i].Amount = saturate(totals[i].Amount + q.Amount) // JSON carries no infinity
			return totals
		}
	}
	return append(totals, q)
}

func nodeByID(t *Trace, id NodeID) Node {
	i := sort.Search(len(t.Nodes), func(i int) bool { return t.Nodes[i].ID >= id })
	if i < len(t.Nodes) && t.Nodes[i].ID == id {
		return t.Nodes[i]
	}
	return Node{ID: id}
}

// LotCodes lists the lots of the traces once each, in code order.
func LotCodes(traces ...*Trace) []LotCode { return keysOf[LotCode](KindLot, traces...) }
