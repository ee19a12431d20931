package api

import (
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The wire shapes of lot look-ups.

type lotJSON struct {
	Code        string  `json:"code"`
	Product     string  `json:"product"`
	Description string  `json:"description,omitempty"`
	Quantity    float64 `json:"quantity"`
	Unit        string  `json:"unit"`
	SupplierLot string  `json:"supplier_lot,omitempty"`
	ExpiresAt   string  `json:"expires_at,omitempty"`
	Origin      string  `json:"origin"` // receipt or production
	OriginAt    string  `json:"origin_at"`
	Location    string  `json:"location"`
	TLCSource   string  `json:"tlc_source"`
	Batch       string  `json:"batch,omitempty"`
	// HeldBy names the recall cases holding the lot; absent when none does.
	HeldBy []string `json:"held_by,omitempty"`
}

type lotListJSON struct {
	Lots []lotJSON `json:"lots"`
}

// referenceJSON is the document an event refers to (a bill of lading, an invoice...).
type referenceJSON struct {
	Type   string `json:"type"`
	Number string `json:"number"`
}

func referenceToJSON(r graph.Reference) referenceJSON {
	return referenceJSON{Type: r.Type, Number: r.Number}
}

type partyJSON struct {
	ID       string `json:"id"`
	Name     string `json:"name,omitempty"`
	Location string `json:"location,omitempty"`
	Contact  string `json:"contact,omitempty"`
}

type receivedJSON struct {
	Supplier   partyJSON     `json:"supplier"`
	ReceivedAt string        `json:"received_at"`
	Location   string        `json:"location"`
	Reference  referenceJSON `json:"reference"`
}

type lotLineJSON struct {
	Lot      string  `json:"lot"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
}

type producedJSON struct {
	Batch      string        `json:"batch"`
	Line       string        `json:"line,omitempty"`
	ProducedAt string        `json:"produced_at"`
	Location   string        `json:"location"`
	Reference  referenceJSON `json:"reference"`
	Inputs     []lotLineJSON `json:"inputs"`
}

type consumedJSON struct {
	Batch      string  `json:"batch"`
	Quantity   float64 `json:"quantity"`
	Unit       string  `json:"unit"`
	ProducedAt string  `json:"produced_at"`
}

type shippedJSON struct {
	Shipment  string        `json:"shipment"`
	Line      int           `json:"line"`
	Customer  partyJSON     `json:"customer"`
	Quantity  float64       `json:"quantity"`
	Unit      string        `json:"unit"`
	ShippedAt string        `json:"shipped_at"`
	From      string        `json:"from"`
	Reference referenceJSON `json:"reference"`
}

type lotDetailJSON struct {
	Lot        lotJSON        `json:"lot"`
	Received   *receivedJSON  `json:"received"`    // null for produced lots
	ProducedBy *producedJSON  `json:"produced_by"` // null for received lots
	ConsumedIn []consumedJSON `json:"consumed_in"`
	Shipments  []shippedJSON  `json:"shipments"`
}

func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func lotToJSON(l graph.LotRecord) lotJSON {
	return lotJSON{
		Code: string(l.Code), Product: l.Product, Description: l.Description,
		Quantity: l.Quantity.Amount, Unit: l.Quantity.Unit, SupplierLot: l.SupplierLot, ExpiresAt: l.ExpiresAt,
		Origin: string(l.Origin), OriginAt: rfc3339(l.OriginAt), Location: l.Location, TLCSource: l.TLCSource,
		Batch: string(l.BatchID), HeldBy: l.HeldBy,
	}
}

func lotDetailToJSON(d *graph.LotDetail) lotDetailJSON {
	out := lotDetailJSON{Lot: lotToJSON(d.Lot), ConsumedIn: []consumedJSON{}, Shipments: []shippedJSON{}}
	if r := d.Received; r != nil {
		out.Received = &receivedJSON{
			Supplier:   partyJSON{ID: string(r.Supplier.ID), Name: r.Supplier.Name, Location: r.Supplier.Location},
			ReceivedAt: rfc3339(r.ReceivedAt), Location: r.Location,
			Reference: referenceToJSON(r.Reference),
		}
	}
	if m := d.Made; m != nil {
		p := &producedJSON{Batch: string(m.Batch.ID), Line: m.Batch.Line, ProducedAt: rfc3339(m.ProducedAt), Location: m.Location,
			Reference: referenceToJSON(m.Reference), Inputs: []lotLineJSON{}}
		for _, in := range m.Inputs {
			p.Inputs = append(p.Inputs, lotLineJSON{Lot: string(in.Lot), Quantity: in.Quantity.Amount, Unit: in.Quantity.Unit})
		}
		out.ProducedBy = p
	}
	for _, c := range d.ConsumedIn {
		out.ConsumedIn = append(out.ConsumedIn, consumedJSON{Batch: string(c.Batch), Quantity: c.Quantity.Amount, Unit: c.Quantity.Unit, ProducedAt: rfc3339(c.ProducedAt)})
	}
	for _, s := range d.Shipments {
		out.Shipments = append(out.Shipments, shippedJSON{
			Shipment: string(s.ID), Line: s.Line,
			Customer: partyJSON{ID: string(s.Customer.ID), Name: s.Customer.Name, Location: s.Customer.Location, Contact: s.Customer.Contact},
			Quantity: s.Quantity.Amount, Unit: s.Quantity.Unit, ShippedAt: rfc3339(s.ShippedAt), From: s.From,
			Reference: referenceToJSON(s.Reference),
		})
	}
	return out
}
