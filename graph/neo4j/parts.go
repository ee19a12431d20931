package neo4j

import (
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/lot-trace/lot-trace/graph"
)

// The one place stored properties become the trace's typed parts (graph/parts.go). Stored
// times are time.Time, dates dbtype.Date (read as "2006-01-02"), lines int64 and quantities
// float64 (int64 in old data); a property not stored reads as its zero value, and the
// internal fingerprint is never read.

// lotOf reads a stored Lot.
func lotOf(p map[string]any) graph.LotRecord {
	return graph.LotRecord{
		Code: graph.LotCode(str(p["code"])), Product: str(p["product"]), Description: str(p["description"]),
		Quantity: quantityOf(p), SupplierLot: str(p["supplier_lot"]), ExpiresAt: dateOf(p["expires_at"]),
		Origin: graph.EventKind(str(p["origin"])), OriginAt: timeOf(p["origin_at"]), Location: str(p["location"]),
		TLCSource: str(p["tlc_source"]), BatchID: graph.BatchID(str(p["batch_id"])), HeldBy: strs(p["held_by"]),
	}
}

// batchOf reads a stored Batch.
func batchOf(p map[string]any) graph.BatchRecord {
	return graph.BatchRecord{ID: graph.BatchID(str(p["id"])), Line: str(p["line"]), ProducedAt: timeOf(p["produced_at"]),
		Location: str(p["location"]), TLCSource: str(p["tlc_source"]), Reference: referenceOf(p)}
}

// supplierOf reads a stored Supplier.
func supplierOf(p map[string]any) graph.Supplier {
	return graph.Supplier{ID: graph.SupplierID(str(p["id"])), Name: str(p["name"]), Location: str(p["location"])}
}

// customerOf reads a stored Customer.
func customerOf(p map[string]any) graph.Customer {
	return graph.Customer{ID: graph.CustomerID(str(p["id"])), Name: str(p["name"]), Location: str(p["location"]), Contact: str(p["contact"])}
}

// receivingOf reads a RECEIVED_FROM of the supplier with that id.
func receivingOf(supplier graph.SupplierID, p map[string]any) graph.Receiving {
	return graph.Receiving{
		Supplier:   graph.Supplier{ID: supplier, Name: str(p["supplier_name"]), Location: str(p["supplier_location"])},
		ReceivedAt: timeOf(p["received_at"]), Location: str(p["location"]), Quantity: quantityOf(p), Reference: referenceOf(p),
	}
}

// useOf reads a CONSUMED_IN or PRODUCED.
func useOf(p map[string]any) graph.BatchUse {
	return graph.BatchUse{Line: int(toInt(p["line"])), Quantity: quantityOf(p)}
}

// shipmentOf reads a SHIPPED_TO of the lot to the customer with that id.
func shipmentOf(lot graph.LotCode, customer graph.CustomerID, p map[string]any) graph.ShipmentLine {
	return graph.ShipmentLine{
		ID: graph.ShipmentID(str(p["shipment_id"])), Line: int(toInt(p["line"])), Lot: lot,
		Customer: graph.Customer{ID: customer, Name: str(p["customer_name"]), Location: str(p["customer_location"])},
		Quantity: quantityOf(p), ShippedAt: timeOf(p["shipped_at"]), From: str(p["from"]), Reference: referenceOf(p),
	}
}

// nodeOf makes a node of a trace from its stored properties; props nil: a node read without
// them.
func nodeOf(kind graph.NodeKind, key string, props map[string]any) graph.Node {
	n := graph.Node{ID: graph.NewNodeID(kind, key), Kind: kind, Key: key}
	if props == nil {
		return n
	}
	switch kind {
	case graph.KindLot:
		n.Lot = ptr(lotOf(props))
	case graph.KindBatch:
		n.Batch = ptr(batchOf(props))
	case graph.KindSupplier:
		n.Supplier = ptr(supplierOf(props))
	case graph.KindCustomer:
		n.Customer = ptr(customerOf(props))
	}
	return n
}

// edgeOf makes an edge of a trace from its stored properties; props nil: an edge read
// without them.
func edgeOf(id string, from, to graph.NodeID, typ graph.EdgeType, props map[string]any) graph.Edge {
	e := graph.Edge{ID: id, From: from, To: to, Type: typ}
	if props == nil {
		return e
	}
	switch typ {
	case graph.ReceivedFrom:
		e.Receiving = ptr(receivingOf(graph.SupplierID(to.Key()), props))
	case graph.ConsumedIn, graph.Produced:
		e.Use = ptr(useOf(props))
	case graph.ShippedTo:
		e.Shipment = ptr(shipmentOf(graph.LotCode(from.Key()), graph.CustomerID(to.Key()), props))
	}
	return e
}

func ptr[T any](v T) *T { return &v }

func referenceOf(p map[string]any) graph.Reference {
	return graph.Reference{Type: str(p["ref_type"]), Number: str(p["ref_number"])}
}

func dateOf(v any) string {
	if d, ok := v.(dbtype.Date); ok {
		return d.Time().Format(time.DateOnly)
	}
	return ""
}

// storedNodeOf converts a stored node; its kind comes from its label, its key from code or id.
func storedNodeOf(n dbtype.Node) graph.Node {
	var kind graph.NodeKind
	for _, l := range n.Labels {
		switch l {
		case "Lot":
			kind = graph.KindLot
		case "Batch":
			kind = graph.KindBatch
		case "Supplier":
			kind = graph.KindSupplier
		case "Customer":
			kind = graph.KindCustomer
		}
	}
	key := str(n.Props["code"])
	if kind != graph.KindLot {
		key = str(n.Props["id"])
	}
	return nodeOf(kind, key, n.Props)
}

// Stored properties inside a value (a node's or relationship's properties, a map or list a
// statement returns), read as the type they are stored as; anything else reads as the zero
// value.

func str(v any) string {
	s, _ := v.(string)
	return s
}

// strs reads a stored list of strings; anything else in it is left out.
func strs(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// number reads an integer or a float stored in a property as an N; anything else is 0.
func number[N int64 | float64](v any) N {
	switch n := v.(type) {
	case int64:
		return N(n)
	case float64:
		return N(n)
	}
	return 0
}

func toFloat(v any) float64 { return number[float64](v) }

func toInt(v any) int64 { return number[int64](v) }

func quantityOf(m map[string]any) graph.Quantity {
	return graph.Quantity{Amount: toFloat(m["quantity"]), Unit: str(m["unit"])}
}

func timeOf(v any) time.Time {
	t, _ := v.(time.Time)
	return t.UTC()
}
