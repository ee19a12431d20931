package graph

import "time"

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
