package api

import (
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The wire shapes of exposure, mass balance and the recall report, converted explicitly from
// the domain.

type quantityJSON struct {
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
}

type exposureJSON struct {
	Lot       string                 `json:"lot"`
	Quantity  float64                `json:"quantity"`
	Unit      string                 `json:"unit"`
	Method    string                 `json:"method"`
	Lots      []lotExposureJSON      `json:"lots"`
	Shipments []shipmentExposureJSON `json:"shipments"`
	Truncated bool                   `json:"truncated"`
	CutBy     string                 `json:"cut_by,omitempty"`
	TookMS    float64                `json:"took_ms"`
}

// allocationJSON is how much of the source lot something holds, in the source lot's unit;
// exposure and share are null, and not_allocatable says why, where the rule cannot apply.
type allocationJSON struct {
	Exposure       *float64 `json:"exposure"`
	Share          *float64 `json:"share"`
	NotAllocatable string   `json:"not_allocatable,omitempty"`
}

type lotExposureJSON struct {
	Lot      string  `json:"lot"`
	Product  string  `json:"product"`
	Level    int     `json:"level"`
	Quantity float64 `json:"quantity"`
	Unit     string  `json:"unit"`
	allocationJSON
}

type shipmentExposureJSON struct {
	shipmentLineJSON
	allocationJSON
}

func allocationToJSON(a graph.Allocation) allocationJSON {
	if a.NotAllocatable != "" {
		return allocationJSON{NotAllocatable: a.NotAllocatable}
	}
	return allocationJSON{Exposure: &a.Amount, Share: &a.Share}
}

func exposureToJSON(x *graph.Exposure, took time.Duration) exposureJSON {
	out := exposureJSON{Lot: string(x.Lot), Quantity: x.Quantity.Amount, Unit: x.Quantity.Unit, Method: graph.ExposureMethod,
		Lots: make([]lotExposureJSON, len(x.Lots)), Shipments: make([]shipmentExposureJSON, len(x.Shipments)),
		Truncated: x.Truncated, CutBy: string(x.CutBy), TookMS: millis(took)}
	for i, l := range x.Lots {
		out.Lots[i] = lotExposureJSON{Lot: string(l.Lot), Product: l.Product, Level: l.Level,
			Quantity: l.Quantity.Amount, Unit: l.Quantity.Unit, allocationJSON: allocationToJSON(l.Allocation)}
	}
	for i, s := range x.Shipments {
		out.Shipments[i] = shipmentExposureJSON{shipmentLineToJSON(s.ShipmentLine), allocationToJSON(s.Allocation)}
	}
	return out
}

func shipmentLineToJSON(l graph.ShipmentLine) shipmentLineJSON {
	return shipmentLineJSON{ID: string(l.ID), Line: l.Line, Customer: string(l.Customer.ID), Lot: string(l.Lot),
		Quantity: l.Quantity.Amount, Unit: l.Quantity.Unit, ShippedAt: l.ShippedAt.UTC().Format(time.RFC3339Nano)}
}

type toleranceJSON struct {
	Low  float64 `json:"low"`
	High float64 `json:"high"`
}

type massBalanceJSON struct {
	Tolerance toleranceJSON    `json:"tolerance"`
	Closed    bool             `json:"closed"`
	Method    string           `json:"method"`
	Flagged   int              `json:"flagged"`
	Lots      []lotBalanceJSON `json:"lots"`
}

type lotBalanceJSON struct {
	Lot                 string  `json:"lot"`
	Product             string  `json:"product"`
	Origin              string  `json:"origin"`
	Quantity            float64 `json:"quantity"`
	Unit                string  `json:"unit"`
	Consumed            float64 `json:"consumed"`
	Shipped             float64 `json:"shipped"`
	Remaining           float64 `json:"remaining"`
	AccountedPct        float64 `json:"accounted_pct"`
	Status              string  `json:"status"`
	MoreLeftThanArrived bool    `json:"more_left_than_arrived"`
	Flagged             bool    `json:"flagged"`
	Note                string  `json:"note,omitempty"`
}

// massBalanceReportJSON is the answer of the mass-balance route: the balance of a trace.
type massBalanceReportJSON struct {
	Root      string `json:"root"`
	Direction string `json:"direction"`
	massBalanceJSON
	Truncated bool    `json:"truncated"`
	CutBy     string  `json:"cut_by,omitempty"`
	TookMS    float64 `json:"took_ms"`
}

// massBalanceReportToJSON is the mass-balance route's answer.
func massBalanceReportToJSON(mb *graph.MassBalance, took time.Duration) massBalanceReportJSON {
	return massBalanceReportJSON{Root: string(mb.Root), Direction: string(mb.Direction),
		massBalanceJSON: massBalanceToJSON(mb.Lots, mb.Rule),
		Truncated:       mb.Truncated, CutBy: string(mb.CutBy), TookMS: millis(took)}
}

func massBalanceToJSON(lots []graph.LotBalance, rule graph.BalanceRule) massBalanceJSON {
	out := massBalanceJSON{Tolerance: toleranceJSON{Low: rule.Tolerance.Low, High: rule.Tolerance.High}, Closed: rule.Closed,
		Method: graph.MassBalanceMethod, Lots: make([]lotBalanceJSON, len(lots))}
	for i, b := range lots {
		out.Lots[i] = lotBalanceJSON{Lot: string(b.Lot), Product: b.Product, Origin: string(b.Origin),
			Quantity: b.Quantity.Amount, Unit: b.Quantity.Unit, Consumed: b.Consumed, Shipped: b.Shipped, Remaining: b.Remaining,
			AccountedPct: b.AccountedPct, Status: string(b.Status), MoreLeftThanArrived: b.MoreLeftThanArrived, Flagged: b.Flagged, Note: b.Note}
		if b.Flagged {
			out.Flagged++
		}
	}
	return out
}

type recallReportJSON struct {
	Lot           string               `json:"lot"`
	SourceBatches []string             `json:"source_batches"`
	Customers     []recallCustomerJSON `json:"customers"`
	MassBalance   massBalanceJSON      `json:"mass_balance"`
	Truncated     bool                 `json:"truncated"`
	CutBy         string               `json:"cut_by,omitempty"`
	TookMS        float64              `json:"took_ms"`
}

type recallCustomerJSON struct {
	ID        string                   `json:"id"`
	Name      string                   `json:"name"`
	Location  string                   `json:"location"`
	Contact   string                   `json:"contact"`
	Totals    []quantityJSON           `json:"totals"`
	Shipments []recallShipmentLineJSON `json:"shipments"`
}

type recallShipmentLineJSON struct {
	ID          string        `json:"id"`
	Line        int           `json:"line"`
	Lot         string        `json:"lot"`
	Product     string        `json:"product"`
	Description string        `json:"description"`
	Quantity    float64       `json:"quantity"`
	Unit        string        `json:"unit"`
	ShippedAt   string        `json:"shipped_at"`
	From        string        `json:"from"`
	ShipTo      string        `json:"ship_to"` // the customer's location as on this shipment
	Reference   referenceJSON `json:"reference"`
}

func recallReportToJSON(report *graph.RecallReport, took time.Duration) recallReportJSON {
	r, customers := report.Recall, report.Customers
	out := recallReportJSON{Lot: string(r.Lot), SourceBatches: r.SourceBatches, Customers: make([]recallCustomerJSON, len(customers)),
		MassBalance: massBalanceToJSON(report.Balance, report.Rule), Truncated: r.Truncated(), CutBy: string(r.CutBy()), TookMS: millis(took)}
	for i, cr := range customers {
		c := recallCustomerJSON{ID: string(cr.Customer.ID), Name: cr.Customer.Name, Location: cr.Customer.Location,
			Contact: cr.Customer.Contact, Totals: make([]quantityJSON, len(cr.Totals)), Shipments: make([]recallShipmentLineJSON, len(cr.Lines))}
		for j, q := range cr.Totals {
			c.Totals[j] = quantityJSON{Quantity: q.Amount, Unit: q.Unit}
		}
		for j, l := range cr.Lines {
			c.Shipments[j] = recallShipmentLineJSON{ID: l.EventID, Line: l.Line, Lot: string(l.Lot), Product: l.Product,
				Description: l.Description, Quantity: l.Quantity.Amount, Unit: l.Quantity.Unit,
				ShippedAt: l.Date.UTC().Format(time.RFC3339Nano), From: l.Location, ShipTo: l.Recipient.Location,
				Reference: referenceToJSON(l.Reference)}
		}
		out.Customers[i] = c
	}
	return out
}
