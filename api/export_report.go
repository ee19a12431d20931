package api

import (
	"github.com/lot-trace/lot-trace/api/sheet"
	"github.com/lot-trace/lot-trace/graph"
)

// customerLine is one row of the recall report's customer sheet: a shipment line with the
// customer it went to.
type customerLine struct {
	customer *graph.Customer
	line     *graph.KDERow
}

var customerColumns = []column[customerLine]{
	{doc(text("Customer ID"), 0, "Our ID of the affected customer."), func(r customerLine) any { return string(r.customer.ID) }},
	{doc(text("Customer"), 24, "The customer's name, as now recorded."), func(r customerLine) any { return r.customer.Name }},
	{doc(text("Customer location"), 30, "The customer's location, as now recorded."), func(r customerLine) any { return r.customer.Location }},
	{doc(text("Customer contact"), 26, "Who to tell, where recorded."), func(r customerLine) any { return r.customer.Contact }},
	{doc(text("Shipment ID"), 0, "The shipment."), func(r customerLine) any { return r.line.EventID }},
	{doc(number("Line"), 6, "The line of the shipment."), func(r customerLine) any { return float64(r.line.Line) }},
	{sheet.Column{Header: "Date shipped (UTC)", Kind: sheet.Time, Doc: "When the shipment left."}, func(r customerLine) any { return r.line.Date }},
	{doc(text("Traceability lot code (TLC)"), 28, "The affected lot shipped."), func(r customerLine) any { return string(r.line.Lot) }},
	{doc(text("Product"), 18, "Our product code."), func(r customerLine) any { return r.line.Product }},
	{doc(text("Product description"), 30, "The product description."), func(r customerLine) any { return r.line.Description }},
	{doc(number("Quantity"), 10, "Quantity shipped on this line."), func(r customerLine) any { return r.line.Quantity.Amount }},
	{doc(text("Unit of measure"), 0, "The quantity's unit."), func(r customerLine) any { return r.line.Quantity.Unit }},
	{doc(text("Shipped from"), 20, "Our location the shipment left from."), func(r customerLine) any { return r.line.Location }},
	{doc(text("Ship-to location"), 30, "The customer's location as on this shipment."), func(r customerLine) any { return r.line.Recipient.Location }},
	{doc(text("Reference document type"), 0, "BOL, invoice, ..."), func(r customerLine) any { return r.line.Reference.Type }},
	{doc(text("Reference document number"), 0, "That document's number."), func(r customerLine) any { return r.line.Reference.Number }},
}

var balanceColumns = []column[graph.LotBalance]{
	{doc(text("Traceability lot code (TLC)"), 28, "The lot."), func(b graph.LotBalance) any { return string(b.Lot) }},
	{doc(text("Product"), 18, "Our product code."), func(b graph.LotBalance) any { return b.Product }},
	{doc(text("Origin"), 0, "receipt or production."), func(b graph.LotBalance) any { return string(b.Origin) }},
	{doc(number("Quantity in"), 0, "Quantity received or produced."), func(b graph.LotBalance) any { return b.Quantity.Amount }},
	{doc(text("Unit of measure"), 0, "The lot's unit; every figure of the row is in it."), func(b graph.LotBalance) any { return b.Quantity.Unit }},
	{doc(number("Consumed"), 0, "Used by batches, all of them, inside this recall or not."), func(b graph.LotBalance) any { return b.Consumed }},
	{doc(number("Shipped"), 0, "Shipped to customers, all lines."), func(b graph.LotBalance) any { return b.Shipped }},
	{doc(number("Remaining (book)"), 0, "Quantity in - consumed - shipped: the book stock, to compare with a stock count."), func(b graph.LotBalance) any { return b.Remaining }},
	{doc(number("Accounted %"), 0, "(Consumed + shipped) / quantity in x 100."), func(b graph.LotBalance) any { return b.AccountedPct }},
	{doc(text("Status"), 16, "balanced, open (book stock remains), short (closed lot below the tolerance), over (above it) or not_comparable (units differ)."), func(b graph.LotBalance) any { return string(b.Status) }},
	{doc(text("More left than arrived"), 0, "yes when consumed + shipped exceed the quantity in."), func(b graph.LotBalance) any { return yesNo(b.MoreLeftThanArrived) }},
	{doc(text("Flagged"), 0, "yes when the lot needs a look: over, short, not_comparable, or more left than arrived."), func(b graph.LotBalance) any { return yesNo(b.Flagged) }},
	{doc(text("Note"), 40, "What made the lot not comparable."), func(b graph.LotBalance) any { return b.Note }},
}

// recallReportWorkbook is the recall report as a spreadsheet: one row per shipment line of
// an affected customer (the CSV holds this sheet alone), then the mass balance.
func recallReportWorkbook(r *graph.RecallReport, notes []string) sheet.Workbook {
	var lines []customerLine
	for i := range r.Customers {
		c := &r.Customers[i]
		for j := range c.Lines {
			lines = append(lines, customerLine{customer: &c.Customer, line: &c.Lines[j]})
		}
	}
	notes = append(notes, "Mass balance: "+graph.MassBalanceMethod)
	return sheet.Workbook{Notes: notes, Tables: []sheet.Table{
		table("Affected customers", customerColumns, lines),
		table("Mass balance", balanceColumns, r.Balance),
	}}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
