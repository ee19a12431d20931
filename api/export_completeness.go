package api

import (
	"github.com/lot-trace/lot-trace/api/sheet"
	"github.com/lot-trace/lot-trace/graph"
)

// The KDE completeness report as a workbook: a summary per CTE, a row per rule, and a row per
// offending record named.

type findingRow struct {
	cte graph.CTE
	f   graph.Finding
}

type gapRow struct {
	f   graph.Finding
	ref graph.RecordRef
}

var completenessSummaryColumns = []column[graph.CTECompleteness]{
	{doc(text("CTE"), 16, "Critical tracking event."), func(c graph.CTECompleteness) any { return recordsTabNames[c.CTE] }},
	{doc(number("Records"), 12, "Records (event lines) of the CTE in scope."), func(c graph.CTECompleteness) any { return float64(c.Records) }},
	{doc(number("Complete"), 12, "Records that hold every required Key Data Element."), func(c graph.CTECompleteness) any { return float64(c.Complete) }},
	{doc(number("Percent complete"), 16, "Complete records as a percentage of the records; 100 when there are none."), func(c graph.CTECompleteness) any { return c.Percent() }},
}

var completenessFindingColumns = []column[findingRow]{
	{doc(text("CTE"), 16, "Critical tracking event."), func(r findingRow) any { return recordsTabNames[r.cte] }},
	{doc(text("Rule"), 20, "The paragraph of 21 CFR Part 1 Subpart S that requires the KDE."), func(r findingRow) any { return r.f.Rule.Rule }},
	{doc(text("Key Data Element"), 50, "The KDE the rule requires."), func(r findingRow) any { return r.f.Rule.Name }},
	{doc(text("Transformation role"), 0, "For transformations: the lines the rule is about (input or output)."), func(r findingRow) any { return string(r.f.Rule.Role) }},
	{doc(number("Records missing it"), 18, "Records of the CTE in scope that lack the KDE."), func(r findingRow) any { return float64(r.f.Missing) }},
}

var completenessGapColumns = []column[gapRow]{
	{doc(text("Rule"), 20, "The rule the record breaks."), func(r gapRow) any { return r.f.Rule.Rule }},
	{doc(text("Key Data Element"), 40, "The KDE it lacks."), func(r gapRow) any { return r.f.Rule.Name }},
	{doc(text("Event type (CTE)"), 16, "Critical tracking event."), func(r gapRow) any { return string(r.ref.CTE) }},
	{doc(text("Transformation role"), 0, "For transformations: input or output line."), func(r gapRow) any { return string(r.ref.Role) }},
	{doc(text("Event ID"), 22, "The batch, shipment or (for a receipt) lot code."), func(r gapRow) any { return r.ref.EventID }},
	{doc(number("Line"), 6, "The line within the event."), func(r gapRow) any { return optionalNumber(float64(r.ref.Line)) }},
	{doc(text("Traceability lot code (TLC)"), 28, "The record's lot."), func(r gapRow) any { return string(r.ref.Lot) }},
	{sheet.Column{Header: "Event date (UTC)", Kind: sheet.Time, Doc: "The record's date; empty when it is the KDE missing."}, func(r gapRow) any { return r.ref.Date }},
	{doc(text("Link"), 40, "The lot in the API (GET)."), func(r gapRow) any { return lotLink(r.ref.Lot) }},
}

// completenessWorkbook is the report as Summary, Findings and Gaps tabs (the first records of
// each finding, as many as the report names).
func completenessWorkbook(c *graph.Completeness) sheet.Workbook {
	var findings []findingRow
	var gaps []gapRow
	for _, cc := range c.CTEs {
		for _, f := range cc.Findings {
			findings = append(findings, findingRow{cc.CTE, f})
			for _, ref := range f.Examples {
				gaps = append(gaps, gapRow{f, ref})
			}
		}
	}
	notes := []string{
		"lot-trace: FSMA 204 Key Data Element completeness report, generated " + c.GeneratedAt.UTC().Format("2006-01-02 15:04:05") + " UTC.",
		"Rules follow 21 CFR 1.1340 (shipping), 1.1345 (receiving) and 1.1350 (transformation). A record is one event line, as in the records request's spreadsheet.",
	}
	for _, l := range scopeLines(c.Scope) {
		notes = append(notes, l[0]+": "+l[1])
	}
	return sheet.Workbook{Tables: []sheet.Table{
		table("Summary", completenessSummaryColumns, c.CTEs),
		table("Findings", completenessFindingColumns, findings),
		table("Gaps", completenessGapColumns, gaps),
	}, Notes: notes, Explanation: "Definitions"}
}
