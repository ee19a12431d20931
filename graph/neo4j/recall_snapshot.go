package neo4j

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// A case's scope is kept as it was computed: a snapshot, stored as JSON on its RecallScope
// node (Neo4j properties hold no lists of maps). These are the snapshot's own shapes, apart
// from the API's wire, so that a change to either never rewrites stored cases.

type snapshotJSON struct {
	Recalls   []snapshotRecallJSON   `json:"recalls"`
	Customers []snapshotCustomerJSON `json:"customers"`
}

type snapshotRecallJSON struct {
	Lot               string             `json:"lot"`
	SourceBatches     []string           `json:"source_batches"`
	IngredientLots    []string           `json:"ingredient_lots"`
	IngredientBatches []string           `json:"ingredient_batches"`
	Suppliers         []string           `json:"suppliers"`
	AffectedLots      []string           `json:"affected_lots"`
	AffectedBatches   []string           `json:"affected_batches"`
	Customers         []string           `json:"customers"`
	Shipments         []snapshotLineJSON `json:"shipments"`
}

type snapshotLineJSON struct {
	ID        string    `json:"id"`
	Line      int       `json:"line"`
	Customer  string    `json:"customer"`
	Lot       string    `json:"lot"`
	Quantity  float64   `json:"quantity"`
	Unit      string    `json:"unit"`
	ShippedAt time.Time `json:"shipped_at"`
}

type snapshotCustomerJSON struct {
	ID       string                 `json:"id"`
	Name     string                 `json:"name"`
	Location string                 `json:"location"`
	Contact  string                 `json:"contact"`
	Shipped  []snapshotQuantityJSON `json:"shipped"`
	Exposure []snapshotExposureJSON `json:"exposure"`
}

type snapshotQuantityJSON struct {
	Amount float64 `json:"amount"`
	Unit   string  `json:"unit"`
}

type snapshotExposureJSON struct {
	Lot            string  `json:"lot"`
	Amount         float64 `json:"amount"`
	Unit           string  `json:"unit"`
	NotAllocatable string  `json:"not_allocatable,omitempty"`
}

// snapshotOf encodes a scope's snapshot.
func snapshotOf(s graph.CaseScope) (string, error) {
	out := snapshotJSON{Recalls: []snapshotRecallJSON{}, Customers: []snapshotCustomerJSON{}}
	for _, r := range s.Recalls {
		sr := snapshotRecallJSON{Lot: string(r.Lot), SourceBatches: r.SourceBatches, IngredientLots: r.IngredientLots,
			IngredientBatches: r.IngredientBatches, Suppliers: r.Suppliers, AffectedLots: r.AffectedLots,
			AffectedBatches: r.AffectedBatches, Customers: r.Customers, Shipments: []snapshotLineJSON{}}
		for _, l := range r.Shipments {
			sr.Shipments = append(sr.Shipments, snapshotLineJSON{ID: string(l.ID), Line: l.Line, Customer: string(l.Customer.ID),
				Lot: string(l.Lot), Quantity: l.Quantity.Amount, Unit: l.Quantity.Unit, ShippedAt: l.ShippedAt.UTC()})
		}
		out.Recalls = append(out.Recalls, sr)
	}
	for _, c := range s.Customers {
		sc := snapshotCustomerJSON{ID: string(c.Customer.ID), Name: c.Customer.Name, Location: c.Customer.Location,
			Contact: c.Customer.Contact, Shipped: []snapshotQuantityJSON{}, Exposure: []snapshotExposureJSON{}}
		for _, q := range c.Shipped {
			sc.Shipped = append(sc.Shipped, snapshotQuantityJSON{Amount: q.Amount, Unit: q.Unit})
		}
		for _, x := range c.Exposure {
			sc.Exposure = append(sc.Exposure, snapshotExposureJSON{Lot: string(x.Lot), Amount: x.Amount, Unit: x.Unit, NotAllocatable: x.NotAllocatable})
		}
		out.Customers = append(out.Customers, sc)
	}
	b, err := json.Marshal(out)
	return string(b), err
}

// scopeOf decodes a stored scope.
func scopeOf(version int, startedAt, computedAt time.Time, snapshot string) (graph.CaseScope, error) {
	s := graph.CaseScope{Version: version, StartedAt: startedAt, ComputedAt: computedAt}
	var in snapshotJSON
	if err := json.Unmarshal([]byte(snapshot), &in); err != nil {
		return s, fmt.Errorf("recall scope version %d: %w", version, err)
	}
	for _, r := range in.Recalls {
		sr := graph.ScopeRecall{Lot: graph.LotCode(r.Lot), SourceBatches: r.SourceBatches, IngredientLots: r.IngredientLots,
			IngredientBatches: r.IngredientBatches, Suppliers: r.Suppliers, AffectedLots: r.AffectedLots,
			AffectedBatches: r.AffectedBatches, Customers: r.Customers, Shipments: []graph.ShipmentLine{}}
		for _, l := range r.Shipments {
			sr.Shipments = append(sr.Shipments, graph.ShipmentLine{ID: graph.ShipmentID(l.ID), Line: l.Line,
				Customer: graph.Customer{ID: graph.CustomerID(l.Customer)}, Lot: graph.LotCode(l.Lot),
				Quantity: graph.Quantity{Amount: l.Quantity, Unit: l.Unit}, ShippedAt: l.ShippedAt})
		}
		s.Recalls = append(s.Recalls, sr)
	}
	for _, c := range in.Customers {
		sc := graph.ScopeCustomer{Customer: graph.Customer{ID: graph.CustomerID(c.ID), Name: c.Name, Location: c.Location, Contact: c.Contact}}
		for _, q := range c.Shipped {
			sc.Shipped = append(sc.Shipped, graph.Quantity{Amount: q.Amount, Unit: q.Unit})
		}
		for _, x := range c.Exposure {
			sc.Exposure = append(sc.Exposure, graph.CustomerExposure{Lot: graph.LotCode(x.Lot), Amount: x.Amount, Unit: x.Unit, NotAllocatable: x.NotAllocatable})
		}
		s.Customers = append(s.Customers, sc)
	}
	return s, nil
}
