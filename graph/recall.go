package graph

import (
	"sort"
)

// Recall answers the quality manager's three questions about a complained-about lot.
type Recall struct {
	Lot           LotCode
	SourceBatches []string // the batches that produced the lot
	// Ingredients is the backward trace of the source batches: every lot and supplier behind
	// them. For a received lot it holds the lot's supplier.
	Ingredients *Trace
	// Affected is the forward trace of every lot the source batches produced (the lot and its
	// siblings); for a received lot, the lot's own forward trace.
	Affected *Trace
	// Sources holds the source batches with their own input and output lines, which neither
	// side above includes (each starts beyond them); empty for a received lot.
	Sources   *Trace
	Shipments []ShipmentLine // every shipment line of an affected lot
}

// Traces returns every part of the recall, for what is built from all of it (the FSMA 204
// spreadsheet, the mass balance).
func (r *Recall) Traces() []*Trace { return []*Trace{r.Ingredients, r.Sources, r.Affected} }

// IngredientLots lists the lots behind the source batches; for a received lot, whose
// backward trace is the lot itself and its supplier, the lot is the subject, not an ingredient.
func (r *Recall) IngredientLots() []string {
	return ingredientLots(r.Lot, r.SourceBatches, r.Ingredients.Keys(KindLot))
}

// Truncated says a bound cut either side short.
func (r *Recall) Truncated() bool { return r.Ingredients.Truncated || r.Affected.Truncated }

// CutBy names the bound that cut either side short ("" when neither was cut).
func (r *Recall) CutBy() Cut { return r.Ingredients.CutBy.Worse(r.Affected.CutBy) }

// RecallKeys answers a recall's three questions by key, without properties: what the JSON
// recall needs, and cheap even when the lot went into thousands of batches. (Recall, with
// properties, serves the spreadsheet and the report.)
type RecallKeys struct {
	Lot           LotCode
	SourceBatches []string
	Ingredients   *Reach // the backward walk from the source batches' inputs
	Affected      *Reach // the forward walk from the source batches' outputs
}

// RecallSink takes a recall as StreamRecall reads it: Reached once, before anything else,
// with the keys of both walks and no shipment lines (Affected.Shipments empty), then every
// shipment line of the affected lots in SortShipmentLines' order. An error from the sink ends
// the stream and is returned as it is.
type RecallSink interface {
	Reached(r *RecallKeys) error
	Shipment(l ShipmentLine) error
}

// IngredientLots lists the lots behind the source batches; for a received lot, whose backward
// walk is the lot itself, the lot is the subject, not an ingredient.
func (r *RecallKeys) IngredientLots() []string {
	return ingredientLots(r.Lot, r.SourceBatches, r.Ingredients.Lots)
}

// ingredientLots is the lots an ingredient walk reached, but for a received lot (no source
// batches), whose walk starts from the lot itself, the lot is left out.
func ingredientLots(lot LotCode, sourceBatches, reached []string) []string {
	if len(sourceBatches) > 0 {
		return reached
	}
	lots := []string{}
	for _, l := range reached {
		if l != string(lot) {
			lots = append(lots, l)
		}
	}
	return lots
}

// Truncated says a bound cut either side short.
func (r *RecallKeys) Truncated() bool { return r.Ingredients.Truncated || r.Affected.Truncated }

// CutBy names the bound that cut either side short ("" when neither was cut).
func (r *RecallKeys) CutBy() Cut { return r.Ingredients.CutBy.Worse(r.Affected.CutBy) }

// RecallSources are where a recall's two walks start.
type RecallSources struct {
	Batches []string // the batches that produced the lot
	Inputs  []string // where the ingredient walk starts: the batches' inputs
	Outputs []string // where the affected walk starts: the lot and its siblings
}

// ShipmentLines lists the SHIPPED_TO edges of a forward trace, oldest first.
func (t *Trace) ShipmentLines() []ShipmentLine {
	lines := []ShipmentLine{}
	for _, e := range t.Edges {
		if e.Type == ShippedTo {
			lines = append(lines, e.shipment())
		}
	}
	SortShipmentLines(lines)
	return lines
}

// SortShipmentLines orders shipment lines oldest first, then by shipment and line.
func SortShipmentLines(lines []ShipmentLine) {
	sort.Slice(lines, func(i, j int) bool {
		a, b := lines[i], lines[j]
		if !a.ShippedAt.Equal(b.ShippedAt) {
			return a.ShippedAt.Before(b.ShippedAt)
		}
		if a.ID != b.ID {
			return a.ID < b.ID
		}
		return a.Line < b.Line
	})
}
