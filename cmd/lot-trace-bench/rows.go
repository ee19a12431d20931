package main

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/lot-trace/lot-trace/ingest"
)

// table is one of the PostgreSQL comparator's tables (sql/schema.sql).
type table int

const (
	tSuppliers table = iota
	tCustomers
	tLots
	tBatches
	tReceivedFrom
	tConsumed
	tProduced
	tShippedTo
	numTables
)

// tableColumns are each table's columns in COPY order, as sql/schema.sql declares them.
var tableColumns = [numTables]struct {
	name    string
	columns []string
}{
	tSuppliers:    {"suppliers", []string{"id", "name", "location"}},
	tCustomers:    {"customers", []string{"id", "name", "location", "contact"}},
	tLots:         {"lots", []string{"code", "product", "description", "quantity", "unit", "supplier_lot", "expires_at"}},
	tBatches:      {"batches", []string{"id", "line", "produced_at", "location", "ref_type", "ref_number"}},
	tReceivedFrom: {"received_from", []string{"lot", "supplier", "received_at", "location", "ref_type", "ref_number"}},
	tConsumed:     {"consumed", []string{"lot", "batch", "qty", "unit"}},
	tProduced:     {"produced", []string{"batch", "lot", "qty", "unit"}},
	tShippedTo:    {"shipped_to", []string{"shipment", "line", "lot", "customer", "shipped_at", "qty", "unit", "ref_type", "ref_number"}},
}

func (t table) String() string { return tableColumns[t].name }

// tableRow is one COPY row of one table, its values in tableColumns order.
type tableRow struct {
	table  table
	values []any
}

// rowConverter turns NDJSON events, the generator's or any valid history's, into the rows a
// user would COPY into the comparator's tables. Suppliers and customers come again in every
// event that names them: only their first appearance makes a row, as in the graph, where the
// first event creates the node.
type rowConverter struct {
	suppliers, customers map[string]bool
}

func newRowConverter() *rowConverter {
	return &rowConverter{suppliers: map[string]bool{}, customers: map[string]bool{}}
}

// rows converts one NDJSON line. Events are taken as valid (the service has accepted the same
// file): a line that is not a known event is an error, a missing optional field is NULL.
func (c *rowConverter) rows(line []byte) ([]tableRow, error) {
	var ev struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(line, &ev); err != nil {
		return nil, err
	}
	switch ev.Type {
	case "receipt":
		var r ingest.ReceiptJSON
		if err := json.Unmarshal(line, &r); err != nil {
			return nil, err
		}
		return c.receipt(r)
	case "production":
		var p ingest.ProductionJSON
		if err := json.Unmarshal(line, &p); err != nil {
			return nil, err
		}
		return c.production(p)
	case "shipment":
		var s ingest.ShipmentJSON
		if err := json.Unmarshal(line, &s); err != nil {
			return nil, err
		}
		return c.shipment(s)
	}
	return nil, fmt.Errorf("unknown event type %q", ev.Type)
}

// instant parses an event time. Kept in UTC: timestamptz stores the instant, not the zone.
func instant(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	return t.UTC(), err
}

func (c *rowConverter) receipt(r ingest.ReceiptJSON) ([]tableRow, error) {
	if r.Lot == nil || r.Supplier == nil || r.Reference == nil || r.Lot.Quantity == nil {
		return nil, fmt.Errorf("receipt without lot, supplier, quantity or reference")
	}
	at, err := instant(r.ReceivedAt)
	if err != nil {
		return nil, fmt.Errorf("received_at: %w", err)
	}
	expires, err := date(r.Lot.ExpiresAt)
	if err != nil {
		return nil, fmt.Errorf("lot.expires_at: %w", err)
	}
	var rows []tableRow
	if !c.suppliers[r.Supplier.ID] {
		c.suppliers[r.Supplier.ID] = true
		rows = append(rows, tableRow{tSuppliers, []any{r.Supplier.ID, null(r.Supplier.Name), r.Supplier.Location}})
	}
	return append(rows,
		tableRow{tLots, []any{r.Lot.Code, r.Lot.Product, null(r.Lot.Description), *r.Lot.Quantity, r.Lot.Unit, null(r.Lot.SupplierLot), expires}},
		tableRow{tReceivedFrom, []any{r.Lot.Code, r.Supplier.ID, at, r.Location, r.Reference.Type, r.Reference.Number}},
	), nil
}

func (c *rowConverter) production(p ingest.ProductionJSON) ([]tableRow, error) {
	if p.Batch == nil {
		return nil, fmt.Errorf("production without batch")
	}
	at, err := instant(p.ProducedAt)
	if err != nil {
		return nil, fmt.Errorf("produced_at: %w", err)
	}
	// The service's default reference is the batch log.
	refType, refNumber := "batch log", p.Batch.ID
	if p.Reference != nil {
		refType, refNumber = p.Reference.Type, p.Reference.Number
	}
	rows := []tableRow{{tBatches, []any{p.Batch.ID, null(p.Batch.Line), at, p.Location, refType, refNumber}}}
	for i, in := range p.Inputs {
		if in.Quantity == nil {
			return nil, fmt.Errorf("inputs[%d].quantity missing", i)
		}
		rows = append(rows, tableRow{tConsumed, []any{in.Lot, p.Batch.ID, *in.Quantity, in.Unit}})
	}
	for i, out := range p.Outputs {
		if out.Quantity == nil {
			return nil, fmt.Errorf("outputs[%d].quantity missing", i)
		}
		expires, err := date(out.ExpiresAt)
		if err != nil {
			return nil, fmt.Errorf("outputs[%d].expires_at: %w", i, err)
		}
		rows = append(rows,
			tableRow{tLots, []any{out.Code, out.Product, null(out.Description), *out.Quantity, out.Unit, nil, expires}},
			tableRow{tProduced, []any{p.Batch.ID, out.Code, *out.Quantity, out.Unit}})
	}
	return rows, nil
}

func (c *rowConverter) shipment(s ingest.ShipmentJSON) ([]tableRow, error) {
	if s.Customer == nil || s.Reference == nil {
		return nil, fmt.Errorf("shipment without customer or reference")
	}
	at, err := instant(s.ShippedAt)
	if err != nil {
		return nil, fmt.Errorf("shipped_at: %w", err)
	}
	var rows []tableRow
	if !c.customers[s.Customer.ID] {
		c.customers[s.Customer.ID] = true
		rows = append(rows, tableRow{tCustomers, []any{s.Customer.ID, null(s.Customer.Name), s.Customer.Location, null(s.Customer.Contact)}})
	}
	for i, l := range s.Lines {
		if l.Quantity == nil {
			return nil, fmt.Errorf("lines[%d].quantity missing", i)
		}
		// Lines are numbered from 1, as the service numbers shipment lines.
		rows = append(rows, tableRow{tShippedTo, []any{s.ID, i + 1, l.Lot, s.Customer.ID, at, *l.Quantity, l.Unit, s.Reference.Type, s.Reference.Number}})
	}
	return rows, nil
}

// null is an optional text field: NULL when absent, as the graph stores no property.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// date is an optional calendar date: NULL when absent.
func date(s string) (any, error) {
	if s == "" {
		return nil, nil
	}
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil, err
	}
	return d, nil
}
