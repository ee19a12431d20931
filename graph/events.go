package graph

import "time"

// Identifiers of the things lot-trace tracks. Each is 1 to 200 printable characters; GS1 keys
// and URNs are kept exactly as given.
type (
	LotCode    string // a traceability lot code (TLC)
	BatchID    string
	SupplierID string
	CustomerID string
	ShipmentID string
)

// Quantity is an amount in a unit of measure. Units are compared as written, never converted.
type Quantity struct {
	Amount float64
	Unit   string
}

// Reference is the business document an event's data came from (a purchase order, a bill of
// lading, a batch log, ...).
type Reference struct {
	Type   string
	Number string
}

// Supplier is where received lots come from.
type Supplier struct {
	ID       SupplierID
	Name     string
	Location string
}

// Customer is where shipped lots go.
type Customer struct {
	ID       CustomerID
	Name     string
	Location string
	Contact  string
}

// NewLot is a lot as it comes into being: received from a supplier or produced by a batch.
type NewLot struct {
	Code        LotCode
	Product     string
	Description string
	Quantity    Quantity
	SupplierLot string // the supplier's own lot code, if different
	ExpiresAt   string // a calendar date (2006-01-02), or ""
}

// LotQuantity is a quantity taken from one lot: consumed by a batch or shipped.
type LotQuantity struct {
	Lot      LotCode
	Quantity Quantity
}

// Batch is one production run.
type Batch struct {
	ID   BatchID
	Line string
}

// EventKind names the three critical tracking events lot-trace records.
type EventKind string

const (
	KindReceipt    EventKind = "receipt"
	KindProduction EventKind = "production"
	KindShipment   EventKind = "shipment"
)

// Event is one critical tracking event: *Receipt, *Production or *Shipment.
type Event interface {
	Kind() EventKind
	// Fingerprint identifies the event's content, so that a resend is recognised as the same
	// event and a different event under the same id as a conflict.
	Fingerprint() string
	// Keys names what the event creates and what it refers to.
	Keys() EventKeys
}

// Receipt records the receiving of an ingredient lot from a supplier (FSMA 204 §1.1345).
type Receipt struct {
	Lot        NewLot
	Supplier   Supplier
	ReceivedAt time.Time
	Location   string // where we received it
	TLCSource  string // where the lot code was assigned; the supplier's location if not given
	Reference  Reference
}

// Production records a transformation: a batch consumes lots and produces new ones (§1.1350).
type Production struct {
	Batch      Batch
	ProducedAt time.Time
	Location   string // where the batch ran; the TLC source of its outputs
	TLCSource  string // a TLC source reference, if given instead of the location
	Reference  Reference
	Inputs     []LotQuantity
	Outputs    []NewLot
}

// Shipment records lots leaving for a customer (§1.1340), one line per lot.
type Shipment struct {
	ID        ShipmentID
	Customer  Customer
	ShippedAt time.Time
	From      string // the location shipped from
	Reference Reference
	Lines     []LotQuantity
}

func (*Receipt) Kind() EventKind    { return KindReceipt }
func (*Production) Kind() EventKind { return KindProduction }
func (*Shipment) Kind() EventKind   { return KindShipment }

// EffectiveTLCSource is the receipt's TLC source: the given one, else the supplier's location.
func (r *Receipt) EffectiveTLCSource() string {
	if r.TLCSource != "" {
		return r.TLCSource
	}
	return r.Supplier.Location
}

// EffectiveTLCSource is the production's TLC source: the given reference, else the location.
func (p *Production) EffectiveTLCSource() string {
	if p.TLCSource != "" {
		return p.TLCSource
	}
	return p.Location
}

// Outcome is what recording one event did: created it, found it already present (Err nil,
// Created false), or refused it (Err an *Error: ECONFLICT or EINVALID, naming the fields).
type Outcome struct {
	Created bool
	Err     error
}
