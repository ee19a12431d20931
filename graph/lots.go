package graph

import (
	"fmt"
	"time"
)

// LotRecord is a stored lot: what it is, how much there was, and where its code comes from.
type LotRecord struct {
	Code        LotCode
	Product     string
	Description string
	Quantity    Quantity
	SupplierLot string
	ExpiresAt   string    // a calendar date, or ""
	Origin      EventKind // KindReceipt or KindProduction
	OriginAt    time.Time // when it was received or produced
	Location    string    // where it was received or produced
	TLCSource   string
	BatchID     BatchID  // the producing batch, for produced lots
	HeldBy      []string // the recall cases holding the lot (real cases: it may not be shipped or consumed)
}

// Receiving is how a received lot arrived.
type Receiving struct {
	Supplier   Supplier // as described on the receipt; its ID is the supplier received from
	ReceivedAt time.Time
	Location   string
	Quantity   Quantity
	Reference  Reference
}

// Making is how a produced lot was made: its batch and the batch's inputs.
type Making struct {
	Batch      Batch
	ProducedAt time.Time
	Location   string
	Reference  Reference
	Inputs     []LotQuantity
}

// Consumption is one use of a lot in a batch.
type Consumption struct {
	Batch      BatchID
	Quantity   Quantity
	ProducedAt time.Time
}

// LotDetail is one lot with its origin and what became of it.
type LotDetail struct {
	Lot        LotRecord
	Received   *Receiving // for received lots
	Made       *Making    // for produced lots
	ConsumedIn []Consumption
	Shipments  []ShipmentLine // the customer as described on the shipment, with the contact now stored
}

// LotQuery finds lots. At least nothing is required: an empty query lists the newest lots.
type LotQuery struct {
	CodePrefix string
	Product    string
	Customer   CustomerID
	Supplier   SupplierID
	From, To   time.Time // origin date range [From, To); zero means open
	Limit      int
}

// Lot search limits.
const (
	DefaultLotLimit = 50
	MaxLotLimit     = 500
)

// Validate checks the query, naming the API parameters.
func (q LotQuery) Validate() error {
	var problems []FieldError
	if q.Limit < 1 || q.Limit > MaxLotLimit {
		problems = append(problems, FieldError{Field: "limit", Message: fmt.Sprintf("must be a whole number from 1 to %d", MaxLotLimit)})
	}
	if !q.From.IsZero() && !q.To.IsZero() && !q.From.Before(q.To) {
		problems = append(problems, FieldError{Field: "to", Message: "must be after from"})
	}
	if len(problems) > 0 {
		return &Error{Code: EMALFORMED, Message: "invalid lot search", Fields: problems}
	}
	return nil
}
