package api

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/lot-trace/lot-trace/api/sheet"
	"github.com/lot-trace/lot-trace/graph"
)

// column is one spreadsheet column and how a row of type R fills it.
type column[R any] struct {
	sheet.Column
	value func(R) any
}

// table turns typed rows into a sheet.Table, reusing one cell slice (writers use each row
// before asking for the next).
func table[R any](name string, cols []column[R], rows []R) sheet.Table {
	t := sheet.Table{Name: name, Columns: make([]sheet.Column, len(cols))}
	for i, c := range cols {
		t.Columns[i] = c.Column
	}
	t.Rows = func(yield func([]any) bool) {
		cells := make([]any, len(cols))
		for _, r := range rows {
			for i, c := range cols {
				cells[i] = c.value(r)
			}
			if !yield(cells) {
				return
			}
		}
	}
	return t
}

// streamTable turns rows read one by one (from the store, within its transaction) into a
// sheet.Table; the writer pulls them through Rows, and Err says why they ended early.
func streamTable[R any](name string, cols []column[R], read func(yield func(R) error) error) sheet.Table {
	t := sheet.Table{Name: name, Columns: make([]sheet.Column, len(cols))}
	for i, c := range cols {
		t.Columns[i] = c.Column
	}
	var failed error
	t.Rows = func(yield func([]any) bool) {
		cells := make([]any, len(cols))
		err := read(func(r R) error {
			for i, c := range cols {
				cells[i] = c.value(r)
			}
			if !yield(cells) {
				return errRowsStopped
			}
			return nil
		})
		if err != nil && !errors.Is(err, errRowsStopped) {
			failed = err
		}
	}
	t.Err = func() error { return failed }
	return t
}

// errRowsStopped is how a streamed table tells its reader that the writer stopped asking.
var errRowsStopped = errors.New("the writer stopped reading rows")

func text(s string) sheet.Column   { return sheet.Column{Header: s, Kind: sheet.Text} }
func number(s string) sheet.Column { return sheet.Column{Header: s, Kind: sheet.Number} }

func doc(c sheet.Column, width float64, d string) sheet.Column {
	c.Width, c.Doc = width, d
	return c
}

// kdeColumns are the FSMA 204 sheet's columns: every KDE of receiving (§1.1345),
// transformation (§1.1350) and shipping (§1.1340), one column each.
var kdeColumns = []column[graph.KDERow]{
	{doc(text("Event type (CTE)"), 16, "Critical tracking event: receiving, transformation or shipping."), func(r graph.KDERow) any { return string(r.CTE) }},
	{doc(text("Transformation role"), 0, "For transformations: input (a lot used, with the quantity used) or output (a new lot)."), func(r graph.KDERow) any { return string(r.Role) }},
	{doc(text("Event ID"), 22, "Groups the rows of one event: the batch ID of a transformation, the shipment ID of a shipment; for a receipt, the lot code."), func(r graph.KDERow) any { return r.EventID }},
	{doc(number("Line"), 6, "The line within the event (batch input or output line, shipment line); empty for receipts."), func(r graph.KDERow) any { return optionalNumber(float64(r.Line)) }},
	{doc(text("Traceability lot code (TLC)"), 28, "The lot's traceability lot code."), func(r graph.KDERow) any { return string(r.Lot) }},
	{doc(text("Product"), 18, "Our product code."), func(r graph.KDERow) any { return r.Product }},
	{doc(text("Product description"), 30, "The product description (KDE of every CTE)."), func(r graph.KDERow) any { return r.Description }},
	{doc(number("Quantity"), 10, "Receiving: quantity received. Transformation input: quantity used. Output: quantity made. Shipping: quantity shipped."), func(r graph.KDERow) any { return r.Quantity.Amount }},
	{doc(text("Unit of measure"), 0, "The quantity's unit of measure."), func(r graph.KDERow) any { return r.Quantity.Unit }},
	{sheet.Column{Header: "Event date (UTC)", Kind: sheet.Time, Doc: "Date received, date the transformation was completed, or date shipped."}, func(r graph.KDERow) any { return r.Date }},
	{doc(text("Location"), 22, "Our location: where received, where transformed, or shipped from."), func(r graph.KDERow) any { return r.Location }},
	{doc(text("Immediate previous source ID"), 0, "Receiving: our ID of the supplier the lot came from (not the carrier)."), func(r graph.KDERow) any { return r.Source.ID }},
	{doc(text("Immediate previous source"), 24, "Receiving: the supplier's name, as on the receipt."), func(r graph.KDERow) any { return r.Source.Name }},
	{doc(text("Immediate previous source location"), 30, "Receiving: the location of the immediate previous source."), func(r graph.KDERow) any { return r.Source.Location }},
	{doc(text("Immediate subsequent recipient ID"), 0, "Shipping: our ID of the customer (not the carrier)."), func(r graph.KDERow) any { return r.Recipient.ID }},
	{doc(text("Immediate subsequent recipient"), 24, "Shipping: the customer's name, as on the shipment."), func(r graph.KDERow) any { return r.Recipient.Name }},
	{doc(text("Immediate subsequent recipient location"), 30, "Shipping: the location of the immediate subsequent recipient."), func(r graph.KDERow) any { return r.Recipient.Location }},
	{doc(text("TLC source or TLC source reference"), 30, "Where the lot's TLC was assigned (the supplier's location for a received lot unless given; our transformation location for a made lot), or a reference standing for it."), func(r graph.KDERow) any { return r.TLCSource }},
	{doc(text("Reference document type"), 0, "The business record the event's data came from: PO, BOL, batch log, ..."), func(r graph.KDERow) any { return r.Reference.Type }},
	{doc(text("Reference document number"), 0, "That record's number."), func(r graph.KDERow) any { return r.Reference.Number }},
	{doc(text("Transformation inputs (TLC: quantity used)"), 40, "On transformation output rows: every input lot of the batch, with the quantity used; their own rows share the event ID."), func(r graph.KDERow) any { return inputsText(r.Inputs) }},
	{doc(text("Supplier lot code"), 0, "Receiving: the supplier's own lot code, where it differs."), func(r graph.KDERow) any { return r.SupplierLot }},
	{sheet.Column{Header: "Expiry date", Kind: sheet.Date, Doc: "The lot's expiry or best-before date, where recorded."}, func(r graph.KDERow) any { return r.ExpiresAt }},
	{doc(text("In trace"), 0, "yes: the row's lot is part of the trace or recall. no: it is not; the row is here because its batch is, and every transformation shows all of its input and output lines."), func(r graph.KDERow) any { return yesNo(!r.OutsideTrace) }},
}

// kdeWorkbook is the FSMA 204 spreadsheet of the rows, which read hands over one at a time
// (neo4j.Store.StreamKDERows), so that no export holds its rows whole.
func kdeWorkbook(read func(yield func(graph.KDERow) error) error, notes []string) sheet.Workbook {
	notes = append(notes, "Every transformation is shown whole, with all of its input and output lines; a line whose lot is not part of the trace or recall says so (In trace: no).")
	return sheet.Workbook{Tables: []sheet.Table{streamTable("FSMA 204 records", kdeColumns, read)}, Notes: notes}
}

func inputsText(inputs []graph.LotQuantity) string {
	parts := make([]string, len(inputs))
	for i, in := range inputs {
		parts[i] = fmt.Sprintf("%s: %s %s", in.Lot, strconv.FormatFloat(in.Quantity.Amount, 'f', -1, 64), in.Quantity.Unit)
	}
	return strings.Join(parts, "; ")
}

// optionalNumber leaves a cell empty for zero, which here means "not applicable".
func optionalNumber(n float64) any {
	if n == 0 {
		return nil
	}
	return n
}
