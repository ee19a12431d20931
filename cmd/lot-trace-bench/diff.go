package main

import (
	"fmt"
	"strings"
)

// summary is a trace's four lists, as the service's view=summary and the CTE answer them.
type summary struct {
	Lots      []string `json:"lots"`
	Batches   []string `json:"batches"`
	Suppliers []string `json:"suppliers"`
	Customers []string `json:"customers"`
}

// listDiff is how one list of two answers differs: what only the service answered and what
// only the CTE answered.
type listDiff struct {
	list                 string
	service, cte         int // the lengths of the two lists
	onlyService, onlyCTE []string
}

// diffSummaries compares two answers list by list, as sets (order and repeats aside), and
// answers the lists that differ; none when the answers agree.
func diffSummaries(service, cte summary) []listDiff {
	var diffs []listDiff
	for _, l := range []struct {
		name   string
		ss, cs []string
	}{
		{"lots", service.Lots, cte.Lots},
		{"batches", service.Batches, cte.Batches},
		{"suppliers", service.Suppliers, cte.Suppliers},
		{"customers", service.Customers, cte.Customers},
	} {
		onlyS, onlyC := setDifference(l.ss, l.cs), setDifference(l.cs, l.ss)
		if len(onlyS) > 0 || len(onlyC) > 0 {
			diffs = append(diffs, listDiff{list: l.name, service: len(l.ss), cte: len(l.cs), onlyService: onlyS, onlyCTE: onlyC})
		}
	}
	return diffs
}

// setDifference answers the members of a that are not in b, in a's order, once each.
func setDifference(a, b []string) []string {
	inB := make(map[string]bool, len(b))
	for _, x := range b {
		inB[x] = true
	}
	var out []string
	for _, x := range a {
		if !inB[x] {
			out = append(out, x)
			inB[x] = true // once each
		}
	}
	return out
}

// describeDiffs says in one line how two answers differ, naming at most show members of each
// difference.
func describeDiffs(diffs []listDiff, show int) string {
	var parts []string
	for _, d := range diffs {
		s := fmt.Sprintf("%s: service %d, CTE %d", d.list, d.service, d.cte)
		if len(d.onlyService) > 0 {
			s += fmt.Sprintf("; only service %d (%s)", len(d.onlyService), firstFew(d.onlyService, show))
		}
		if len(d.onlyCTE) > 0 {
			s += fmt.Sprintf("; only CTE %d (%s)", len(d.onlyCTE), firstFew(d.onlyCTE, show))
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " | ")
}

func firstFew(xs []string, n int) string {
	if len(xs) <= n {
		return strings.Join(xs, ", ")
	}
	return strings.Join(xs[:n], ", ") + ", ..."
}
