package api

import (
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/api/sheet"
	"github.com/lot-trace/lot-trace/graph"
)

// The recall case file as a workbook: the case and its times, the customers' checklist, the
// holds and releases, the timeline of steps, the effectiveness per unit, the mass balance,
// the scope's shipment lines, and the FSMA 204 spreadsheet of the recalled lots as its last
// tab (the export writer's own table, streamed from the store).

// fact is one row of the case sheet: what, and its value.
type fact struct {
	what  string
	value any
}

var factColumns = []column[fact]{
	{doc(text("Item"), 32, "What the row says."), func(f fact) any { return f.what }},
	{doc(text("Value"), 60, "Its value; times are UTC, durations in hours."), func(f fact) any { return f.value }},
}

var progressColumns = []column[customerProgressJSON]{
	{doc(text("Customer ID"), 0, "The affected customer."), func(p customerProgressJSON) any { return p.Customer }},
	{doc(text("Customer"), 24, "Name as recorded."), func(p customerProgressJSON) any { return p.Name }},
	{doc(text("Contact"), 26, "Who to tell."), func(p customerProgressJSON) any { return p.Contact }},
	{doc(text("Shipped"), 20, "Quantity of the affected lots shipped to them, per unit."), func(p customerProgressJSON) any { return quantitiesText(p.Shipped) }},
	{doc(text("Notified at (UTC)"), 20, "The first notification recorded."), func(p customerProgressJSON) any { return p.NotifiedAt }},
	{doc(text("Confirmed at (UTC)"), 20, "The latest confirmation recorded."), func(p customerProgressJSON) any { return p.ConfirmedAt }},
	{doc(number("On hand"), 0, "As the customer confirmed."), func(p customerProgressJSON) any { return numberOrNil(p.OnHand) }},
	{doc(number("Returned"), 0, "As the customer confirmed."), func(p customerProgressJSON) any { return numberOrNil(p.Returned) }},
	{doc(number("Destroyed"), 0, "As the customer confirmed."), func(p customerProgressJSON) any { return numberOrNil(p.Destroyed) }},
	{doc(text("Unit"), 0, "The unit of the confirmed quantities."), func(p customerProgressJSON) any { return p.Unit }},
}

var holdColumns = []column[holdJSON]{
	{doc(text("Traceability lot code (TLC)"), 28, "The lot held."), func(h holdJSON) any { return h.Lot }},
	{doc(text("Enforced"), 0, "yes: a real case's hold, which refuses shipments and productions of the lot; no: a mock case's, recorded only."), func(h holdJSON) any { return yesNo(h.Enforced) }},
	{doc(text("Placed at (UTC)"), 20, "When the hold was placed."), func(h holdJSON) any { return h.PlacedAt }},
	{doc(text("Released at (UTC)"), 20, "When it was released; empty while held."), func(h holdJSON) any { return h.ReleasedAt }},
	{doc(text("Released by"), 0, "The admin key that released it."), func(h holdJSON) any { return h.ReleasedBy }},
	{doc(text("Release reason"), 40, "Why."), func(h holdJSON) any { return h.ReleaseReason }},
}

var stepColumns = []column[stepJSON]{
	{doc(text("At (UTC)"), 20, "When it was recorded."), func(s stepJSON) any { return s.At }},
	{doc(text("Step"), 20, "opened, trace_complete, customer_notified, customer_confirmed, stock_quarantined, regulator_notified, note, closed."), func(s stepJSON) any { return s.Kind }},
	{doc(text("By"), 0, "The key that recorded it."), func(s stepJSON) any { return s.By }},
	{doc(text("Customer"), 0, "The customer of a customer step."), func(s stepJSON) any { return s.Customer }},
	{doc(number("On hand"), 0, "A confirmation's quantity on hand."), func(s stepJSON) any { return numberOrNil(s.OnHand) }},
	{doc(number("Returned"), 0, "A confirmation's quantity returned."), func(s stepJSON) any { return numberOrNil(s.Returned) }},
	{doc(number("Destroyed"), 0, "A confirmation's quantity destroyed."), func(s stepJSON) any { return numberOrNil(s.Destroyed) }},
	{doc(text("Unit"), 0, "Their unit."), func(s stepJSON) any { return s.Unit }},
	{doc(text("Note"), 40, "What was noted."), func(s stepJSON) any { return s.Note }},
}

var unitColumns = []column[unitAccountJSON]{
	{doc(text("Unit"), 0, "Units are never converted: one row per unit."), func(u unitAccountJSON) any { return u.Unit }},
	{doc(number("Shipped"), 0, "Shipped to the affected customers."), func(u unitAccountJSON) any { return u.Shipped }},
	{doc(number("On hand"), 0, "Confirmed on hand."), func(u unitAccountJSON) any { return u.OnHand }},
	{doc(number("Returned"), 0, "Confirmed returned."), func(u unitAccountJSON) any { return u.Returned }},
	{doc(number("Destroyed"), 0, "Confirmed destroyed."), func(u unitAccountJSON) any { return u.Destroyed }},
	{doc(number("Share accounted"), 0, "(On hand + returned + destroyed) / shipped."), func(u unitAccountJSON) any { return u.Share }},
}

var caseShipmentColumns = []column[shipmentLineJSON]{
	{doc(text("Shipment ID"), 0, "The shipment."), func(l shipmentLineJSON) any { return l.ID }},
	{doc(number("Line"), 6, "Its line."), func(l shipmentLineJSON) any { return float64(l.Line) }},
	{doc(text("Customer"), 0, "Shipped to."), func(l shipmentLineJSON) any { return l.Customer }},
	{doc(text("Traceability lot code (TLC)"), 28, "The affected lot shipped."), func(l shipmentLineJSON) any { return l.Lot }},
	{doc(number("Quantity"), 0, "Quantity shipped."), func(l shipmentLineJSON) any { return l.Quantity }},
	{doc(text("Unit"), 0, "Its unit."), func(l shipmentLineJSON) any { return l.Unit }},
	{doc(text("Shipped at (UTC)"), 20, "When."), func(l shipmentLineJSON) any { return l.ShippedAt }},
}

// caseFacts are the case sheet's rows.
func caseFacts(f caseJSON) []fact {
	hours := func(s *float64) any {
		if s == nil {
			return "not yet"
		}
		return *s / 3600
	}
	facts := []fact{
		{"Case", f.ID}, {"Kind", f.Kind}, {"State", f.State}, {"Reason", f.Reason}, {"Recalled lots", strings.Join(f.Lots, ", ")},
		{"Opened at", f.OpenedAt}, {"Opened by", f.OpenedBy}, {"Closed at", f.ClosedAt}, {"Closed by", f.ClosedBy}, {"Conclusion", f.Conclusion},
		{"Scope version", float64(f.Scope.Version)}, {"Affected lots", strings.Join(f.Scope.AffectedLots, ", ")},
		{"Hours to complete trace", hours(f.Timeline.ToTraceComplete)}, {"Hours to every customer notified", hours(f.Timeline.ToAllNotified)},
		{"Hours to close", hours(f.Timeline.ToClose)},
		{"Affected customers", float64(f.Effectiveness.Customers)}, {"Customers notified", float64(f.Effectiveness.Notified)},
		{"Customers confirmed", float64(f.Effectiveness.Confirmed)}, {"Share of customers confirmed", f.Effectiveness.ConfirmedShare},
		{"Share of quantity accounted for", f.Effectiveness.AccountedShare},
	}
	if f.Kind == string(graph.CaseMock) {
		facts = append(facts, fact{"Mock recall target (hours)", f.Timeline.TargetS / 3600}, fact{"Mock recall result", f.Timeline.Result})
	}
	return facts
}

// caseTimeline is the steps with the case's own moments among them, in time order.
func caseTimeline(f caseJSON) []stepJSON {
	var rows []stepJSON
	moment := func(at, kind, by, note string) stepJSON {
		return stepJSON{At: at, By: by, stepInJSON: stepInJSON{Kind: kind, Note: note}}
	}
	rows = append(rows, moment(f.OpenedAt, "opened", f.OpenedBy, f.Reason))
	if f.Timeline.TraceCompleteAt != "" {
		rows = append(rows, moment(f.Timeline.TraceCompleteAt, "trace_complete", "", ""))
	}
	rows = append(rows, f.Steps...)
	if f.ClosedAt != "" {
		rows = append(rows, moment(f.ClosedAt, "closed", f.ClosedBy, f.Conclusion))
	}
	return rows
}

// sendRecallCaseSheet answers the case file as an XLSX workbook.
func (s *Server) sendRecallCaseSheet(c *gin.Context, file *graph.RecallCaseFile, f caseJSON, bounds graph.Bounds, now time.Time) error {
	var scopes []*graph.KDEScope
	for _, lot := range file.Case.Lots {
		sc, err := s.store.RecallScope(c.Request.Context(), lot, bounds)
		if err != nil {
			return err
		}
		scopes = append(scopes, sc)
	}
	kde := graph.UnionKDEScopes(scopes...)
	var balances []graph.LotBalance
	for _, mb := range file.Balances {
		balances = append(balances, mb.Lots...)
	}
	var lines []shipmentLineJSON
	for _, r := range f.Scope.Recalls {
		lines = append(lines, r.Affected.Shipments...)
	}
	notes := exportNotes("recall case "+f.ID, now, kde.CutBy)
	notes = append(notes, "The scope is the snapshot taken when the case was opened or last rescoped; the mass balance and the FSMA 204 records are as the graph holds them now.",
		"Mass balance: "+graph.MassBalanceMethod)
	fsma := kdeWorkbook(s.kdeRows(c, *kde), nil)
	wb := sheet.Workbook{Notes: append(notes, fsma.Notes...), Tables: append([]sheet.Table{
		table("Case", factColumns, caseFacts(f)),
		table("Customers", progressColumns, f.Effectiveness.PerCustomer),
		table("Holds and releases", holdColumns, f.Holds),
		table("Timeline", stepColumns, caseTimeline(f)),
		table("Effectiveness", unitColumns, f.Effectiveness.Units),
		table("Mass balance", balanceColumns, balances),
		table("Scope shipments", caseShipmentColumns, lines),
	}, fsma.Tables...)}
	return s.sendSheet(c, formatXLSX, downloadName(graph.LotCode(f.ID), "case-file", formatXLSX, now), wb)
}

func quantitiesText(qs []quantityJSON) string {
	parts := make([]string, len(qs))
	for i, q := range qs {
		parts[i] = figure(q.Quantity) + " " + q.Unit
	}
	return strings.Join(parts, "; ")
}

func numberOrNil(n *float64) any {
	if n == nil {
		return nil
	}
	return *n
}
