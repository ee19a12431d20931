package graph

import (
	"slices"
	"time"
)

// The typed parts of a trace: what a node or an edge says beyond its ends. A node carries the
// one of Lot, Batch, Supplier or Customer its kind names, an edge the one of Receiving, Use
// or Shipment its type names; nil when the trace was read without properties.

// EdgeType is the type of a stored relationship between two nodes of a trace.
type EdgeType string

const (
	ReceivedFrom EdgeType = "RECEIVED_FROM" // lot → supplier: a receipt
	ConsumedIn   EdgeType = "CONSUMED_IN"   // lot → batch: an input line
	Produced     EdgeType = "PRODUCED"      // batch → lot: an output line
	ShippedTo    EdgeType = "SHIPPED_TO"    // lot → customer: a shipment line
)

// BatchRecord is a stored batch: one production run, with the transformation's KDEs.
type BatchRecord struct {
	ID         BatchID
	Line       string // the production line, or ""
	ProducedAt time.Time
	Location   string
	TLCSource  string
	Reference  Reference
}

// BatchUse is one input (CONSUMED_IN) or output (PRODUCED) line of a batch.
type BatchUse struct {
	Line     int
	Quantity Quantity
}

// ShipmentLine is one line of a shipment: a quantity of one lot sent to one customer, with
// the customer as described on the shipment.
type ShipmentLine struct {
	ID        ShipmentID
	Line      int
	Lot       LotCode
	Customer  Customer // as described on the shipment; its ID is the customer shipped to
	Quantity  Quantity
	ShippedAt time.Time
	From      string // the location shipped from
	Reference Reference
}

// The parts of a node or edge, or, for one read without properties, what its id says.

func (n Node) lot() LotRecord { return valueOr(n.Lot, LotRecord{Code: LotCode(n.Key)}) }

func (n Node) batch() BatchRecord { return valueOr(n.Batch, BatchRecord{ID: BatchID(n.Key)}) }

func (n Node) supplier() Supplier { return valueOr(n.Supplier, Supplier{ID: SupplierID(n.Key)}) }

func (n Node) customer() Customer { return valueOr(n.Customer, Customer{ID: CustomerID(n.Key)}) }

func (e Edge) receiving() Receiving {
	return valueOr(e.Receiving, Receiving{Supplier: Supplier{ID: SupplierID(e.To.Key())}})
}

func (e Edge) use() BatchUse { return valueOr(e.Use, BatchUse{}) }

func (e Edge) shipment() ShipmentLine {
	return valueOr(e.Shipment, ShipmentLine{Lot: LotCode(e.From.Key()), Customer: Customer{ID: CustomerID(e.To.Key())}})
}

// valueOr is *p, or otherwise when p is nil.
func valueOr[T any](p *T, otherwise T) T {
	if p != nil {
		return *p
	}
	return otherwise
}

// keysOf lists the keys of the traces' nodes of one kind once each, in order.
func keysOf[K ~string](kind NodeKind, traces ...*Trace) []K {
	seen := map[string]bool{}
	keys := []K{}
	for _, t := range traces {
		if t == nil {
			continue
		}
		for _, k := range t.Keys(kind) {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, K(k))
			}
		}
	}
	slices.Sort(keys)
	return keys
}
