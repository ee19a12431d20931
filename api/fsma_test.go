package api

import (
	"slices"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
)

// The OpenAPI document's FTLCategory lists exactly graph.FoodTraceabilityList, in its order.
func TestOpenAPIFTLCategoriesAreTheList(t *testing.T) {
	doc := servedDocument(t)
	var got []string
	for _, v := range doc.Components.Schemas["FTLCategory"].Value.Enum {
		got = append(got, v.(string))
	}
	var want []string
	for _, f := range graph.FoodTraceabilityList {
		want = append(want, string(f.Category))
	}
	if !slices.Equal(got, want) {
		t.Errorf("openapi FTLCategory %v, want %v", got, want)
	}
}

// Each CTE's tab keeps the KDE columns of its CTE, from the trace export's columns.
func TestRecordsTabsColumns(t *testing.T) {
	headers := func(cols []column[graph.KDERow]) []string {
		var out []string
		for _, c := range cols {
			out = append(out, c.Header)
		}
		return out
	}
	ship, recv, tr := headers(recordsTabColumns[graph.CTEShipping]), headers(recordsTabColumns[graph.CTEReceiving]), headers(recordsTabColumns[graph.CTETransformation])
	for _, c := range []struct {
		tab     []string
		has     []string
		hasNot  []string
		tabName string
	}{
		{ship, []string{"Immediate subsequent recipient location", "Reference document number", "Event date (UTC)"}, []string{"Immediate previous source", "In trace", "In request scope"}, "Shipping"},
		{recv, []string{"Immediate previous source location", "TLC source or TLC source reference", "Supplier lot code"}, []string{"Immediate subsequent recipient", "Line", "In request scope"}, "Receiving"},
		{tr, []string{"Transformation role", "Transformation inputs (TLC: quantity used)", "In request scope"}, []string{"Immediate previous source", "Immediate subsequent recipient", "In trace"}, "Transformation"},
	} {
		for _, h := range c.has {
			if !slices.Contains(c.tab, h) {
				t.Errorf("%s lacks %q", c.tabName, h)
			}
		}
		for _, h := range c.hasNot {
			if slices.Contains(c.tab, h) {
				t.Errorf("%s has %q", c.tabName, h)
			}
		}
	}
	if got := headers(recordsCSVColumns); len(got) != len(kdeColumns) || got[len(got)-1] != "In request scope" {
		t.Errorf("csv columns %v", got)
	}
}
