package api

import (
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The wire shapes of traces and recalls (../shared/API.md), converted explicitly from the
// domain so that a change there never silently changes the contract.

type traceJSON struct {
	Root      string     `json:"root"`
	Direction string     `json:"direction"`
	Nodes     []nodeJSON `json:"nodes"`
	Edges     []edgeJSON `json:"edges"`
	Lots      []string   `json:"lots"`
	Batches   []string   `json:"batches"`
	Suppliers []string   `json:"suppliers"`
	Customers []string   `json:"customers"`
	Truncated bool       `json:"truncated"`
	CutBy     string     `json:"cut_by,omitempty"` // the bound that cut the walk; absent when whole
	TookMS    float64    `json:"took_ms"`
}

type nodeJSON struct {
	ID         string         `json:"id"`
	Kind       string         `json:"kind"`
	Key        string         `json:"key"`
	Properties map[string]any `json:"properties"`
}

type edgeJSON struct {
	From       string         `json:"from"`
	To         string         `json:"to"`
	Type       string         `json:"type"`
	Properties map[string]any `json:"properties"`
}

func traceToJSON(t *graph.Trace, took time.Duration) traceJSON {
	out := traceJSON{
		Root: string(t.Root), Direction: string(t.Direction),
		Nodes: make([]nodeJSON, len(t.Nodes)), Edges: make([]edgeJSON, len(t.Edges)),
		Lots: t.Keys(graph.KindLot), Batches: t.Keys(graph.KindBatch),
		Suppliers: t.Keys(graph.KindSupplier), Customers: t.Keys(graph.KindCustomer),
		Truncated: t.Truncated, CutBy: string(t.CutBy), TookMS: millis(took),
	}
	for i, n := range t.Nodes {
		out.Nodes[i] = nodeJSON{ID: string(n.ID), Kind: string(n.Kind), Key: n.Key, Properties: propertiesJSON(n.Properties)}
	}
	for i, e := range t.Edges {
		out.Edges[i] = edgeJSON{From: string(e.From), To: string(e.To), Type: e.Type, Properties: propertiesJSON(e.Properties)}
	}
	return out
}

// propertiesJSON converts properties for the wire: times as RFC 3339 in UTC.
func propertiesJSON(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		if t, ok := v.(time.Time); ok {
			v = t.UTC().Format(time.RFC3339Nano)
		}
		out[k] = v
	}
	return out
}

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

type recallJSON struct {
	Lot           string                `json:"lot"`
	SourceBatches []string              `json:"source_batches"`
	Ingredients   recallIngredientsJSON `json:"ingredients"`
	Affected      recallAffectedJSON    `json:"affected"`
	Truncated     bool                  `json:"truncated"`
	CutBy         string                `json:"cut_by,omitempty"`
	TookMS        float64               `json:"took_ms"`
}

type recallIngredientsJSON struct {
	Lots      []string `json:"lots"`
	Batches   []string `json:"batches"`
	Suppliers []string `json:"suppliers"`
}

type recallAffectedJSON struct {
	Lots      []string           `json:"lots"`
	Batches   []string           `json:"batches"`
	Customers []string           `json:"customers"`
	Shipments []shipmentLineJSON `json:"shipments"`
}

type shipmentLineJSON struct {
	ID        string  `json:"id"`
	Line      int     `json:"line"`
	Customer  string  `json:"customer"`
	Lot       string  `json:"lot"`
	Quantity  float64 `json:"quantity"`
	Unit      string  `json:"unit"`
	ShippedAt string  `json:"shipped_at"`
}

func recallToJSON(r *graph.RecallKeys, took time.Duration) recallJSON {
	out := recallJSON{
		Lot:           string(r.Lot),
		SourceBatches: r.SourceBatches,
		Ingredients: recallIngredientsJSON{
			Lots: r.IngredientLots(), Batches: r.Ingredients.Batches, Suppliers: r.Ingredients.Suppliers,
		},
		Affected: recallAffectedJSON{
			Lots: r.Affected.Lots, Batches: r.Affected.Batches, Customers: r.Affected.Customers,
			Shipments: make([]shipmentLineJSON, len(r.Affected.Shipments)),
		},
		Truncated: r.Truncated(),
		CutBy:     string(r.CutBy()),
		TookMS:    millis(took),
	}
	for i, l := range r.Affected.Shipments {
		out.Affected.Shipments[i] = shipmentLineJSON{
			ID: string(l.ID), Line: l.Line, Customer: string(l.Customer), Lot: string(l.Lot),
			Quantity: l.Quantity.Amount, Unit: l.Quantity.Unit, ShippedAt: l.ShippedAt.UTC().Format(time.RFC3339Nano),
		}
	}
	return out
}

// traceSummaryJSON is a trace answered with view=summary: the contract's summary lists,
// without nodes and edges.
type traceSummaryJSON struct {
	Root      string   `json:"root"`
	Direction string   `json:"direction"`
	View      string   `json:"view"`
	Lots      []string `json:"lots"`
	Batches   []string `json:"batches"`
	Suppliers []string `json:"suppliers"`
	Customers []string `json:"customers"`
	Truncated bool     `json:"truncated"`
	CutBy     string   `json:"cut_by,omitempty"`
	TookMS    float64  `json:"took_ms"`
}

func traceSummaryToJSON(root graph.LotCode, dir graph.Direction, r *graph.Reach, took time.Duration) traceSummaryJSON {
	return traceSummaryJSON{Root: string(root), Direction: string(dir), View: "summary",
		Lots: r.Lots, Batches: r.Batches, Suppliers: r.Suppliers, Customers: r.Customers,
		Truncated: r.Truncated, CutBy: string(r.CutBy), TookMS: millis(took)}
}
