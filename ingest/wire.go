// Package ingest turns the world's formats (JSON, NDJSON, CSV) into validated graph events,
// with every problem named by its field and, for streams, its line.
package ingest

// The wire shapes of the three critical tracking events, as ../shared/API.md describes them.
// Times are strings here so that a bad time is reported against its field.

type ReceiptJSON struct {
	Type       string         `json:"type,omitempty" validate:"omitempty,eq=receipt"` // the NDJSON event type; not part of the event
	Lot        *LotJSON       `json:"lot" validate:"required"`
	Supplier   *SupplierJSON  `json:"supplier" validate:"required"`
	ReceivedAt string         `json:"received_at" validate:"required,rfc3339"`
	Location   string         `json:"location" validate:"required,text"`
	TLCSource  string         `json:"tlc_source,omitempty" validate:"omitempty,text"`
	Reference  *ReferenceJSON `json:"reference" validate:"required"`
}

type ProductionJSON struct {
	Type       string          `json:"type,omitempty" validate:"omitempty,eq=production"`
	Batch      *BatchJSON      `json:"batch" validate:"required"`
	ProducedAt string          `json:"produced_at" validate:"required,rfc3339"`
	Location   string          `json:"location" validate:"required,text"`
	TLCSource  string          `json:"tlc_source,omitempty" validate:"omitempty,text"`
	Reference  *ReferenceJSON  `json:"reference,omitempty"` // defaults to the batch log: {"type": "batch log", "number": batch id}
	Inputs     []LineJSON      `json:"inputs" validate:"required,min=1,dive"`
	Outputs    []OutputLotJSON `json:"outputs" validate:"required,min=1,dive"`
}

type ShipmentJSON struct {
	Type      string         `json:"type,omitempty" validate:"omitempty,eq=shipment"`
	ID        string         `json:"id" validate:"required,ident"`
	Customer  *CustomerJSON  `json:"customer" validate:"required"`
	ShippedAt string         `json:"shipped_at" validate:"required,rfc3339"`
	From      string         `json:"from" validate:"required,text"`
	Reference *ReferenceJSON `json:"reference" validate:"required"`
	Lines     []LineJSON     `json:"lines" validate:"required,min=1,dive"`
}

type LotJSON struct {
	Code        string   `json:"code" validate:"required,ident"`
	Product     string   `json:"product" validate:"required,text"`
	Description string   `json:"description,omitempty" validate:"omitempty,text"`
	Quantity    *float64 `json:"quantity" validate:"required,quantity"`
	Unit        string   `json:"unit" validate:"required,unit"`
	SupplierLot string   `json:"supplier_lot,omitempty" validate:"omitempty,ident"`
	ExpiresAt   string   `json:"expires_at,omitempty" validate:"omitempty,date"`
}

// OutputLotJSON is a lot a batch produces: the same fields as a received lot but for the
// supplier's lot code.
type OutputLotJSON struct {
	Code        string   `json:"code" validate:"required,ident"`
	Product     string   `json:"product" validate:"required,text"`
	Description string   `json:"description,omitempty" validate:"omitempty,text"`
	Quantity    *float64 `json:"quantity" validate:"required,quantity"`
	Unit        string   `json:"unit" validate:"required,unit"`
	ExpiresAt   string   `json:"expires_at,omitempty" validate:"omitempty,date"`
}

type LineJSON struct {
	Lot      string   `json:"lot" validate:"required,ident"`
	Quantity *float64 `json:"quantity" validate:"required,quantity"`
	Unit     string   `json:"unit" validate:"required,unit"`
}

type SupplierJSON struct {
	ID       string `json:"id" validate:"required,ident"`
	Name     string `json:"name,omitempty" validate:"omitempty,text"`
	Location string `json:"location" validate:"required,text"`
}

type CustomerJSON struct {
	ID       string `json:"id" validate:"required,ident"`
	Name     string `json:"name,omitempty" validate:"omitempty,text"`
	Location string `json:"location" validate:"required,text"`
	Contact  string `json:"contact,omitempty" validate:"omitempty,text"`
}

type BatchJSON struct {
	ID   string `json:"id" validate:"required,ident"`
	Line string `json:"line,omitempty" validate:"omitempty,text"`
}

type ReferenceJSON struct {
	Type   string `json:"type" validate:"required,text"`
	Number string `json:"number" validate:"required,ident"`
}
