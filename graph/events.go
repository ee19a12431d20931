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
	Amount float64 `json:"amount"`
	Unit   string  `json:"unit"`
}

// Reference is the business document an event's data came from (a purchase order, a bill of
// lading, a batch log, ...).
type Reference struct {
	Type   string `json:"type"`
	Number string `json:"number"`
}

// Supplier is where received lots come from.
type Supplier struct {
	ID       SupplierID `json:"id"`
	Name     string     `json:"name"`
	Location string     `json:"location"`
}

// Customer is where shipped lots go.
type Customer struct {
	ID       CustomerID `json:"id"`
	Name     string     `json:"name"`
	Location string     `json:"location"`
	Contact  string     `json:"contact"`
}

// NewLot is a lot as it comes into being: received from a supplier or produced by a batch.
type NewLot struct {
	Code        LotCode  `json:"code"`
	Product     string   `json:"product"`
	Description string   `json:"description"`
	Quantity    Quantity `json:"quantity"`
	SupplierLot string   `json:"supplier_lot"` // the supplier's own lot code, if different
	ExpiresAt   string   `json:"expires_at"`   // a calendar date (2006-01-02), or ""
}

// LotQuantity is a quantity taken from one lot: consumed by a batch or shipped.
type LotQuantity struct {
	Lot      LotCode  `json:"lot"`
	Quantity Quantity `json:"quantity"`
}

// Batch is one production run.
type Batch struct {
	ID   BatchID `json:"id"`
	Line string  `json:"line"`
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
	Lot        NewLot    `json:"lot"`
	Supplier   Supplier  `json:"supplier"`
	ReceivedAt time.Time `json:"received_at"`
	Location   string    `json:"location"`   // where we received it
	TLCSource  string    `json:"tlc_source"` // where the lot code was assigned; the supplier's location if not given
	Reference  Reference `json:"reference"`
}

// Production records a transformation: a batch consumes lots and produces new ones (§1.1350).
type Production struct {
	Batch      Batch         `json:"batch"`
	ProducedAt time.Time     `json:"produced_at"`
	Location   string        `json:"location"`   // where the batch ran; the TLC source of its outputs
	TLCSource  string        `json:"tlc_source"` // a TLC source reference, if given instead of the location
	Reference  Reference     `json:"reference"`
	Inputs     []LotQuantity `json:"inputs"`
	Outputs    []NewLot      `json:"outputs"`
}

// Shipment records lots leaving for a customer (§1.1340), one line per lot.
type Shipment struct {
	ID        ShipmentID    `json:"id"`
	Customer  Customer      `json:"customer"`
	ShippedAt time.Time     `json:"shipped_at"`
	From      string        `json:"from"` // the location shipped from
	Reference Reference     `json:"reference"`
	Lines     []LotQuantity `json:"lines"`
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
