package main

import (
	"reflect"
	"strings"
	"testing"
)

func TestDiffSummaries(t *testing.T) {
	full := summary{Lots: []string{"A", "B", "C"}, Batches: []string{"B1", "B2"}, Suppliers: []string{"S1"}, Customers: []string{}}
	for _, tc := range []struct {
		name         string
		service, cte summary
		want         []listDiff
	}{{
		name:    "the same answer",
		service: full, cte: full,
	}, {
		name:    "order, repeats and nil against empty do not count",
		service: full,
		cte:     summary{Lots: []string{"C", "A", "B", "A"}, Batches: []string{"B2", "B1"}, Suppliers: []string{"S1"}},
	}, {
		name:    "a cut answer: the CTE holds more",
		service: summary{Lots: []string{"A"}, Batches: []string{"B1"}, Suppliers: nil},
		cte:     full,
		want: []listDiff{
			{list: "lots", service: 1, cte: 3, onlyCTE: []string{"B", "C"}},
			{list: "batches", service: 1, cte: 2, onlyCTE: []string{"B2"}},
			{list: "suppliers", service: 0, cte: 1, onlyCTE: []string{"S1"}},
		},
	}, {
		name:    "each side holds something the other lacks, named once",
		service: summary{Lots: []string{"A", "X"}, Customers: []string{"C1"}},
		cte:     summary{Lots: []string{"A", "Y", "Y"}, Customers: []string{"C1"}},
		want:    []listDiff{{list: "lots", service: 2, cte: 3, onlyService: []string{"X"}, onlyCTE: []string{"Y"}}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got := diffSummaries(tc.service, tc.cte)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("diffSummaries:\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

func TestDescribeDiffsNamesTheFirstFew(t *testing.T) {
	d := diffSummaries(summary{Lots: []string{"A"}}, summary{Lots: []string{"A", "B", "C", "D", "E"}, Suppliers: []string{"S"}})
	got := describeDiffs(d, 3)
	want := "lots: service 1, CTE 5; only CTE 4 (B, C, D, ...) | suppliers: service 0, CTE 1; only CTE 1 (S)"
	if got != want {
		t.Errorf("describeDiffs:\n got %q\nwant %q", got, want)
	}
	if strings.Contains(describeDiffs(nil, 3), "service") {
		t.Error("no differences described as some")
	}
}
