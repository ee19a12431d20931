package api

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/api/sheet"
	"github.com/lot-trace/lot-trace/graph"
)

// The FDA records request's spreadsheet reuses the FSMA 204 sheet's columns (kdeColumns):
// one tab per CTE holds those of its KDEs, the CSV all of them, as the trace export does.

// inScopeColumn takes the place of "In trace" in a records request: whether a transformation
// line's own lot is one the request named.
var inScopeColumn = column[graph.KDERow]{doc(text("In request scope"), 0,
	"yes: the row's lot is one the request named (by product, food or lot code). no: it is not; the row is here because its transformation is, and every transformation shows all of its input and output lines."),
	func(r graph.KDERow) any { return yesNo(!r.OutsideTrace) }}

// kdeColumnsWithout are kdeColumns without the headers named, "In trace" turned into "In
// request scope". A header that kdeColumns lacks is a programming error, caught at start.
func kdeColumnsWithout(headers ...string) []column[graph.KDERow] {
	out := make([]column[graph.KDERow], 0, len(kdeColumns))
	for _, h := range headers {
		if !slices.ContainsFunc(kdeColumns, func(c column[graph.KDERow]) bool { return c.Header == h }) {
			panic("api: kdeColumns has no column " + strconv.Quote(h))
		}
	}
	for _, c := range kdeColumns {
		switch {
		case slices.Contains(headers, c.Header):
		case c.Header == "In trace":
			out = append(out, inScopeColumn)
		default:
			out = append(out, c)
		}
	}
	return out
}

var (
	previousSource    = []string{"Immediate previous source ID", "Immediate previous source", "Immediate previous source location"}
	subsequentRecip   = []string{"Immediate subsequent recipient ID", "Immediate subsequent recipient", "Immediate subsequent recipient location"}
	recordsCSVColumns = kdeColumnsWithout()
	// recordsTabColumns are each CTE's tab's columns: the KDEs of the CTE and what identifies
	// its rows.
	recordsTabColumns = map[graph.CTE][]column[graph.KDERow]{
		graph.CTEShipping: kdeColumnsWithout(slices.Concat(previousSource,
			[]string{"Transformation role", "Transformation inputs (TLC: quantity used)", "Supplier lot code", "In trace"})...),
		graph.CTEReceiving: kdeColumnsWithout(slices.Concat(subsequentRecip,
			[]string{"Transformation role", "Line", "Transformation inputs (TLC: quantity used)", "In trace"})...),
		graph.CTETransformation: kdeColumnsWithout(slices.Concat(previousSource, subsequentRecip, []string{"Supplier lot code"})...),
	}
	// recordsTabNames are the tabs, named as in the FDA's template.
	recordsTabNames = map[graph.CTE]string{graph.CTEShipping: "Shipping", graph.CTEReceiving: "Receiving", graph.CTETransformation: "Transformation"}
)

// recordsRead reads one CTE's records of the request from the store, row by row.
type recordsRead func(cte graph.CTE, yield func(graph.KDERow) error) error

// recordsCount counts the rows each CTE's tab hands to the writer: the Request tab and the
// log say how many rows the answer held.
type recordsCount map[graph.CTE]int

func (n recordsCount) counted(cte graph.CTE, read recordsRead) func(yield func(graph.KDERow) error) error {
	return func(yield func(graph.KDERow) error) error {
		return read(cte, func(r graph.KDERow) error {
			n[cte]++
			return yield(r)
		})
	}
}

// recordsRequestInfo is what the Request tab and the notes say of the request.
type recordsRequestInfo struct {
	ID        string
	Scope     graph.RecordsScope
	Key, Role string
	At        time.Time
}

// recordsWorkbook is the FDA records request as an electronic sortable spreadsheet: the
// Shipping, Receiving and Transformation tabs (the FDA template's order), one row per event
// line and a KDE per column, streamed from the store; then the Request tab (the scope, the
// rows per CTE once written, when and by whom) and the Definitions tab.
func recordsWorkbook(read recordsRead, info recordsRequestInfo, n recordsCount) sheet.Workbook {
	wb := sheet.Workbook{Explanation: "Definitions", Notes: recordsNotes(info)}
	for _, cte := range graph.RecordsCTEs {
		wb.Tables = append(wb.Tables, streamTable(recordsTabNames[cte], recordsTabColumns[cte], n.counted(cte, read)))
	}
	wb.Tables = append(wb.Tables, requestTable(info, n))
	return wb
}

// recordsCSVWorkbook is the request as one CSV table: every KDE column, with the event type
// column, the CTEs one after the other in the template's order.
func recordsCSVWorkbook(read recordsRead, n recordsCount) sheet.Workbook {
	all := func(yield func(graph.KDERow) error) error {
		for _, cte := range graph.RecordsCTEs {
			if err := n.counted(cte, read)(yield); err != nil {
				return err
			}
		}
		return nil
	}
	return sheet.Workbook{Tables: []sheet.Table{streamTable("FSMA 204 records", recordsCSVColumns, all)}}
}

var requestColumns = []column[[2]string]{
	{doc(text("Item"), 34, "What the row of the Request tab says."), func(r [2]string) any { return r[0] }},
	{doc(text("Value"), 90, "Its value."), func(r [2]string) any { return r[1] }},
}

// requestTable is the Request tab. Its rows are made when the writer reaches it, after the
// three CTE tabs, so that it holds their counts.
func requestTable(info recordsRequestInfo, n recordsCount) sheet.Table {
	t := sheet.Table{Name: "Request", Columns: []sheet.Column{requestColumns[0].Column, requestColumns[1].Column}}
	t.Rows = func(yield func([]any) bool) {
		rows := scopeLines(info.Scope)
		total := 0
		for _, cte := range graph.RecordsCTEs {
			rows = append(rows, [2]string{"Records: " + recordsTabNames[cte], strconv.Itoa(n[cte])})
			total += n[cte]
		}
		rows = append(rows,
			[2]string{"Records: all", strconv.Itoa(total)},
			[2]string{"Generated at (UTC)", info.At.UTC().Format("2006-01-02 15:04:05")},
			[2]string{"Requested with the API key", info.Key + " (" + info.Role + ")"},
			[2]string{"Request ID", info.ID})
		for _, r := range rows {
			if !yield([]any{r[0], r[1]}) {
				return
			}
		}
	}
	return t
}

// scopeLines say what a request named, one line per part of its scope.
func scopeLines(sc graph.RecordsScope) [][2]string {
	var rows [][2]string
	if len(sc.Products) > 0 {
		ps := make([]string, len(sc.Products))
		for i, p := range sc.Products {
			ps[i] = string(p)
		}
		rows = append(rows, [2]string{"Products", strings.Join(ps, ", ")})
	}
	if sc.Food != "" {
		f, _ := graph.FTLFoodOf(sc.Food)
		rows = append(rows, [2]string{"Food (Food Traceability List)", f.Name + " (" + string(sc.Food) + ")"})
	}
	if len(sc.TLCs) > 0 {
		ls := make([]string, len(sc.TLCs))
		for i, l := range sc.TLCs {
			ls[i] = string(l)
		}
		rows = append(rows, [2]string{"Traceability lot codes", strings.Join(ls, ", ")})
	}
	rows = append(rows, [2]string{"Dates from (UTC, inclusive)", timeOrOpen(sc.From)}, [2]string{"Dates to (UTC, inclusive)", timeOrOpen(sc.To)})
	return rows
}

func timeOrOpen(t time.Time) string {
	if t.IsZero() {
		return "(open)"
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// recordsNotes open the Definitions tab: what the workbook is, and the codes it uses.
func recordsNotes(info recordsRequestInfo) []string {
	return []string{
		"lot-trace: FDA records request " + info.ID + " (21 CFR 1.1455(c)(3)), generated " + info.At.UTC().Format("2006-01-02 15:04:05") + " UTC by the API key " + info.Key + ".",
		"Tabs: Shipping (§1.1340), Receiving (§1.1345), Transformation (§1.1350), in the order of the FDA's template; one row per event line, one Key Data Element per column. The Request tab gives the scope and the number of records per tab.",
		"Scope: every record dated in the range that involves a lot of the products, foods or traceability lot codes named: their receipts, their shipment lines, and every transformation that used or made one, with all of its input and output lines (rows of one transformation share its event ID, the batch).",
		"Dates and times are UTC date cells. A record without a date is in no date range; the completeness report (GET /api/v1/fsma/completeness) lists such records.",
		"Codes: the traceability lot code (TLC) is the lot code as recorded (GS1 keys and URNs as they are); product codes and party IDs are our own; locations are as recorded, and a TLC source may be given by a TLC source reference (an FDA Food Facility Registration Number, a GS1 GLN or a web address).",
		"Units of measure are as recorded on each event (e.g. kg, lb, case, each); quantities are never converted between units.",
		fmt.Sprintf("Food Traceability List categories: %s.", ftlNames()),
	}
}

func ftlNames() string {
	names := make([]string, len(graph.FoodTraceabilityList))
	for i, f := range graph.FoodTraceabilityList {
		names[i] = string(f.Category) + " = " + f.Name
	}
	return strings.Join(names, "; ")
}
