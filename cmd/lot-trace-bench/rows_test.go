package main

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/internal/synth"
)

func ts(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestRowsOfEachEvent(t *testing.T) {
	conv := newRowConverter()
	for _, tc := range []struct {
		name, line string
		want       []tableRow
	}{{
		name: "receipt: the supplier's first appearance makes its row",
		line: `{"type":"receipt","lot":{"code":"FLOUR-A","product":"FLOUR","description":"All-purpose","quantity":1000,"unit":"kg","supplier_lot":"M-7","expires_at":"2027-05-01"},` +
			`"supplier":{"id":"SUP-MILL","name":"Prairie Mill","location":"Saskatoon"},"received_at":"2026-10-01T07:00:00Z","location":"BAKERY-1","reference":{"type":"PO","number":"PO-1"}}`,
		want: []tableRow{
			{tSuppliers, []any{"SUP-MILL", "Prairie Mill", "Saskatoon"}},
			{tLots, []any{"FLOUR-A", "FLOUR", "All-purpose", 1000.0, "kg", "M-7", day("2027-05-01")}},
			{tReceivedFrom, []any{"FLOUR-A", "SUP-MILL", ts("2026-10-01T07:00:00Z"), "BAKERY-1", "PO", "PO-1"}},
		},
	}, {
		name: "receipt: a known supplier makes no second row; absent optional fields are NULL",
		line: `{"type":"receipt","lot":{"code":"FLOUR-B","product":"FLOUR","quantity":5.5,"unit":"kg"},` +
			`"supplier":{"id":"SUP-MILL","location":"Saskatoon"},"received_at":"2026-10-02T07:00:00+02:00","location":"BAKERY-1","reference":{"type":"PO","number":"PO-2"}}`,
		want: []tableRow{
			{tLots, []any{"FLOUR-B", "FLOUR", nil, 5.5, "kg", nil, nil}},
			{tReceivedFrom, []any{"FLOUR-B", "SUP-MILL", ts("2026-10-02T05:00:00Z"), "BAKERY-1", "PO", "PO-2"}},
		},
	}, {
		name: "production: the batch, a consumed row per input, a lot and a produced row per output; the batch log is the default reference",
		line: `{"type":"production","batch":{"id":"B-1","line":"L1"},"produced_at":"2026-10-04T12:00:00Z","location":"BAKERY-1",` +
			`"inputs":[{"lot":"FLOUR-A","quantity":100,"unit":"kg"},{"lot":"FLOUR-B","quantity":2,"unit":"kg"}],` +
			`"outputs":[{"code":"FG-1","product":"COOKIE","quantity":200,"unit":"case","expires_at":"2027-01-04"},{"code":"FG-2","product":"COOKIE","quantity":3,"unit":"case"}]}`,
		want: []tableRow{
			{tBatches, []any{"B-1", "L1", ts("2026-10-04T12:00:00Z"), "BAKERY-1", "batch log", "B-1"}},
			{tConsumed, []any{"FLOUR-A", "B-1", 100.0, "kg"}},
			{tConsumed, []any{"FLOUR-B", "B-1", 2.0, "kg"}},
			{tLots, []any{"FG-1", "COOKIE", nil, 200.0, "case", nil, day("2027-01-04")}},
			{tProduced, []any{"B-1", "FG-1", 200.0, "case"}},
			{tLots, []any{"FG-2", "COOKIE", nil, 3.0, "case", nil, nil}},
			{tProduced, []any{"B-1", "FG-2", 3.0, "case"}},
		},
	}, {
		name: "production with its own reference",
		line: `{"type":"production","batch":{"id":"B-2"},"produced_at":"2026-10-04T13:00:00Z","location":"BAKERY-1","reference":{"type":"WO","number":"WO-9"},` +
			`"inputs":[{"lot":"FG-1","quantity":1,"unit":"case"}],"outputs":[{"code":"RW-1","product":"REWORK","quantity":1,"unit":"case"}]}`,
		want: []tableRow{
			{tBatches, []any{"B-2", nil, ts("2026-10-04T13:00:00Z"), "BAKERY-1", "WO", "WO-9"}},
			{tConsumed, []any{"FG-1", "B-2", 1.0, "case"}},
			{tLots, []any{"RW-1", "REWORK", nil, 1.0, "case", nil, nil}},
			{tProduced, []any{"B-2", "RW-1", 1.0, "case"}},
		},
	}, {
		name: "shipment: the customer once, a row per line numbered from 1",
		line: `{"type":"shipment","id":"SH-1","customer":{"id":"CUST-A","name":"Corner Grocer","location":"12 Main St","contact":"ann@example.com"},` +
			`"shipped_at":"2026-10-08T16:00:00Z","from":"BAKERY-1","reference":{"type":"BOL","number":"BOL-77"},` +
			`"lines":[{"lot":"FG-1","quantity":50,"unit":"case"},{"lot":"FG-2","quantity":3,"unit":"case"}]}`,
		want: []tableRow{
			{tCustomers, []any{"CUST-A", "Corner Grocer", "12 Main St", "ann@example.com"}},
			{tShippedTo, []any{"SH-1", 1, "FG-1", "CUST-A", ts("2026-10-08T16:00:00Z"), 50.0, "case", "BOL", "BOL-77"}},
			{tShippedTo, []any{"SH-1", 2, "FG-2", "CUST-A", ts("2026-10-08T16:00:00Z"), 3.0, "case", "BOL", "BOL-77"}},
		},
	}, {
		name: "shipment to a known customer",
		line: `{"type":"shipment","id":"SH-2","customer":{"id":"CUST-A","location":"12 Main St"},"shipped_at":"2026-10-09T16:00:00Z","from":"BAKERY-1",` +
			`"reference":{"type":"BOL","number":"BOL-78"},"lines":[{"lot":"FG-1","quantity":1,"unit":"case"}]}`,
		want: []tableRow{
			{tShippedTo, []any{"SH-2", 1, "FG-1", "CUST-A", ts("2026-10-09T16:00:00Z"), 1.0, "case", "BOL", "BOL-78"}},
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := conv.rows([]byte(tc.line))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("rows:\n got %v\nwant %v", got, tc.want)
			}
			for _, r := range got {
				if n := len(tableColumns[r.table].columns); len(r.values) != n {
					t.Errorf("%s row has %d values for %d columns", r.table, len(r.values), n)
				}
			}
		})
	}
}

func TestRowsRefusesWhatItCannotLoad(t *testing.T) {
	for _, line := range []string{
		`{"type":"return","lot":"X"}`,
		`not json`,
		`{"type":"receipt","lot":{"code":"A","product":"P","quantity":1,"unit":"kg"},"supplier":{"id":"S","location":"L"},"received_at":"yesterday","location":"L","reference":{"type":"PO","number":"1"}}`,
		`{"type":"receipt","lot":{"code":"A","product":"P","unit":"kg"},"supplier":{"id":"S","location":"L"},"received_at":"2026-10-01T07:00:00Z","location":"L","reference":{"type":"PO","number":"1"}}`,
		`{"type":"production","produced_at":"2026-10-04T12:00:00Z","location":"L","inputs":[],"outputs":[]}`,
		`{"type":"production","batch":{"id":"B"},"produced_at":"2026-10-04T12:00:00Z","location":"L","inputs":[{"lot":"A","unit":"kg"}],"outputs":[]}`,
		`{"type":"production","batch":{"id":"B"},"produced_at":"2026-10-04T12:00:00Z","location":"L","inputs":[],"outputs":[{"code":"C","product":"P","quantity":1,"unit":"kg","expires_at":"soon"}]}`,
		`{"type":"shipment","id":"SH","customer":{"id":"C","location":"L"},"shipped_at":"2026-10-08T16:00:00Z","from":"L","reference":{"type":"BOL","number":"1"},"lines":[{"lot":"A","unit":"kg"}]}`,
	} {
		if rows, err := newRowConverter().rows([]byte(line)); err == nil {
			t.Errorf("rows(%s) = %v, want an error", line, rows)
		}
	}
}

// TestFeedRowsCountsMatchTheHistory streams a generated history through the COPY feeds and
// checks that each table receives as many rows as the generator says it wrote, in batches no
// larger than copyBatch, the last partial batch included.
func TestFeedRowsCountsMatchTheHistory(t *testing.T) {
	var buf bytes.Buffer
	stats, err := synth.Generate(&buf, synth.Options{Seed: 3, Lots: 3000})
	if err != nil {
		t.Fatal(err)
	}
	var feeds [numTables]chan [][]any
	var counts [numTables]int
	done := make(chan struct{})
	for i := range feeds {
		feeds[i] = make(chan [][]any)
	}
	for i := range feeds {
		go func() {
			defer func() { done <- struct{}{} }()
			for batch := range feeds[i] {
				if len(batch) > copyBatch {
					t.Errorf("%s: a batch of %d rows", table(i), len(batch))
				}
				counts[i] += len(batch)
			}
		}()
	}
	err = feedRows(context.Background(), &buf, feeds)
	for _, f := range feeds {
		close(f)
	}
	for range feeds {
		<-done
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		t    table
		want int
	}{
		{tLots, stats.Lots},
		{tReceivedFrom, stats.Receipts},
		{tBatches, stats.Productions},
		{tShippedTo, stats.ShipmentLines},
	} {
		if counts[c.t] != c.want {
			t.Errorf("%s: %d rows, want %d", c.t, counts[c.t], c.want)
		}
	}
	if counts[tSuppliers] == 0 || counts[tCustomers] == 0 || counts[tConsumed] < stats.Productions || counts[tProduced] < stats.Productions {
		t.Errorf("rows by table %v: want suppliers, customers and at least one consumed and produced row a batch", counts)
	}
	if counts[tSuppliers] >= stats.Receipts || counts[tCustomers] >= stats.Shipments {
		t.Errorf("suppliers %d of %d receipts, customers %d of %d shipments: repeats were not dropped",
			counts[tSuppliers], stats.Receipts, counts[tCustomers], stats.Shipments)
	}
}

func TestFeedRowsNamesTheBadLine(t *testing.T) {
	var feeds [numTables]chan [][]any
	for i := range feeds {
		feeds[i] = make(chan [][]any, 1)
	}
	history := `{"type":"shipment","id":"SH","customer":{"id":"C","location":"L"},"shipped_at":"2026-10-08T16:00:00Z","from":"L","reference":{"type":"BOL","number":"1"},"lines":[{"lot":"A","quantity":1,"unit":"kg"}]}
{"type":"bogus"}
`
	err := feedRows(context.Background(), strings.NewReader(history), feeds)
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("feedRows = %v, want an error naming line 2", err)
	}
}

// TestStatementsHaveHeaders checks that every statement the comparator runs is embedded and
// says what it takes and answers, as the service's Cypher files do.
func TestStatementsHaveHeaders(t *testing.T) {
	for _, name := range []string{"schema", "indexes", "trace_backward", "trace_forward", "trace_both",
		"trace_backward_full", "trace_forward_full", "trace_both_full"} {
		text := sqlText(name)
		if !strings.HasPrefix(text, "-- ") || !strings.Contains(text, "-- Parameters:") {
			t.Errorf("sql/%s.sql lacks a header comment naming its parameters", name)
		}
		if strings.HasPrefix(name, "trace_") {
			if !strings.Contains(text, "WITH RECURSIVE") || !strings.Contains(text, "  UNION\n") || strings.Contains(text, "UNION ALL\n    SELECT") {
				t.Errorf("sql/%s.sql: want a recursive CTE whose step is joined by UNION (dedup, cycle-safe)", name)
			}
		}
	}
}
