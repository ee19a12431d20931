package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var testColumns = []Column{
	{Header: "Lot", Kind: Text, Doc: "the lot code"},
	{Header: "Quantity", Kind: Number, Doc: "how much"},
	{Header: "When (UTC)", Kind: Time, Doc: "when"},
	{Header: "Expires", Kind: Date, Doc: "best before"},
}

func testTable(rows ...[]any) Table {
	return Table{Name: "Records", Columns: testColumns, Rows: slices.Values(rows)}
}

var when = time.Date(2026, 10, 5, 16, 30, 0, 0, time.UTC)

func TestCSVHasBOMAndNeutralisesFormulas(t *testing.T) {
	var buf bytes.Buffer
	err := WriteCSV(&buf, testTable(
		[]any{"00123", 12.5, when, "2027-06-30"},
		[]any{`=HYPERLINK("http://x","y")`, 1.0, nil, nil},
		[]any{"+1+A1", 2.0, time.Time{}, when},
		[]any{"-2+A1", 3.0, nil, nil}, []any{"@SUM(A1)", 4.0, nil, nil}, []any{"\tx", 5.0, nil, nil}, []any{"\rx", 6.0, nil, nil},
		[]any{"Crème brûlée, 12", 7.0, nil, nil},
	))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 byte order mark: % x", buf.Bytes()[:3])
	}
	records, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"Lot", "Quantity", "When (UTC)", "Expires"},
		{"00123", "12.5", "2026-10-05 16:30:00", "2027-06-30"},
		{`'=HYPERLINK("http://x","y")`, "1", "", ""},
		{"'+1+A1", "2", "", "2026-10-05"},
		{"'-2+A1", "3", "", ""}, {"'@SUM(A1)", "4", "", ""}, {"'\tx", "5", "", ""}, {"'\rx", "6", "", ""},
		{"Crème brûlée, 12", "7", "", ""},
	}
	if fmt.Sprintf("%q", records) != fmt.Sprintf("%q", want) {
		t.Errorf("csv:\n%q\nwant\n%q", records, want)
	}
}

func TestXLSXTypesFreezesFiltersAndExplains(t *testing.T) {
	var buf bytes.Buffer
	wb := Workbook{Tables: []Table{testTable(
		[]any{"00123", 12.5, when, "2027-06-30"},
		[]any{`=HYPERLINK("http://x","y")`, 1.0, nil, nil},
	)}, Notes: []string{"Records of lot 00123"}}
	if err := WriteXLSX(&buf, wb); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Records", "Columns"}) {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("Records")
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"Lot", "Quantity", "When (UTC)", "Expires"}, {"00123", "12.5", "2026-10-05 16:30:00", "2027-06-30"}, {`=HYPERLINK("http://x","y")`, "1"}}
	if fmt.Sprintf("%q", rows) != fmt.Sprintf("%q", want) {
		t.Errorf("rows %q, want %q", rows, want)
	}
	for cell, typ := range map[string]excelize.CellType{"A2": excelize.CellTypeInlineString, "B2": excelize.CellTypeUnset, "C2": excelize.CellTypeUnset, "A3": excelize.CellTypeInlineString} {
		if got, _ := f.GetCellType("Records", cell); got != typ {
			t.Errorf("%s is of type %v, want %v", cell, got, typ)
		}
	}
	// A date is a number (a serial day) shown through a date format, not text.
	if raw, _ := f.GetCellValue("Records", "C2", excelize.Options{RawCellValue: true}); !strings.HasPrefix(raw, "46300.6875") {
		t.Errorf("C2 raw value %q, want the serial date 46300.6875", raw)
	}
	if formula, _ := f.GetCellFormula("Records", "A3"); formula != "" {
		t.Errorf("A3 holds a formula %q", formula)
	}
	panes, _ := f.GetPanes("Records")
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header row not frozen: %+v", panes)
	}
	if names := f.GetDefinedName(); len(names) != 1 || names[0].Name != "_xlnm._FilterDatabase" || names[0].RefersTo != "'Records'!$A$1:$D$3" {
		t.Errorf("autofilter defined names %+v", names)
	}
	if w, _ := f.GetColWidth("Records", "C"); w < 19 {
		t.Errorf("time column %g wide, too narrow for a time", w)
	}
	explained, _ := f.GetRows("Columns")
	if len(explained) != 1+1+1+len(testColumns) || explained[0][0] != "Records of lot 00123" || explained[3][1] != "Lot" || explained[3][2] != "the lot code" {
		t.Errorf("explanation sheet %q", explained)
	}
}

// BenchmarkXLSXExport100k writes 100,000 rows of 22 columns, about the width of the FSMA 204
// sheet, to io.Discard, and reports the peak growth of the live heap while writing.
func BenchmarkXLSXExport100k(b *testing.B) {
	const rows = 100_000
	columns := make([]Column, 22)
	for i := range columns {
		columns[i] = Column{Header: fmt.Sprintf("Column %d", i), Kind: []Kind{Text, Text, Number, Time}[i%4]}
	}
	row := make([]any, len(columns))
	table := Table{Name: "Records", Columns: columns, Rows: func(yield func([]any) bool) {
		for n := range rows {
			for i, c := range columns {
				switch c.Kind {
				case Text:
					row[i] = fmt.Sprintf("LOT-%07d-%d", n, i)
				case Number:
					row[i] = float64(n % 977)
				case Time:
					row[i] = when.Add(time.Duration(n) * time.Minute)
				}
			}
			if !yield(row) {
				return
			}
		}
	}}
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		stop := watchHeap()
		if err := WriteXLSX(io.Discard, Workbook{Tables: []Table{table}}); err != nil {
			b.Fatal(err)
		}
		peak = max(peak, stop())
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
}

// watchHeap samples the live heap every millisecond until stopped, and returns the largest
// growth over the heap at the start. runtime/metrics reads it without stopping the world.
func watchHeap() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if v := read(); v > base {
				peak = max(peak, v-base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// An XLSX of 8,000 rows of 24 columns (about 18 MB of sheet XML) is written with the live heap
// growing by no more than excelize's in-memory share of a streamed sheet (16 MiB, held in a
// buffer that grows by doubling): the sheet is never read back and parsed, and the archive is
// not built in memory before it is sent.
func TestXLSXStreamsInFlatMemory(t *testing.T) {
	const rows = 8000
	columns := make([]Column, 24)
	for i := range columns {
		columns[i] = Column{Header: fmt.Sprintf("Column %d", i), Kind: []Kind{Text, Text, Number, Time}[i%4]}
	}
	row := make([]any, len(columns))
	table := Table{Name: "Records", Columns: columns, Rows: func(yield func([]any) bool) {
		for n := range rows {
			for i, c := range columns {
				switch c.Kind {
				case Text:
					row[i] = fmt.Sprintf("LOT-%07d-%d", n, i)
				case Number:
					row[i] = float64(n % 977)
				case Time:
					row[i] = when.Add(time.Duration(n) * time.Minute)
				}
			}
			if !yield(row) {
				return
			}
		}
	}}
	old := debug.SetGCPercent(5)
	defer debug.SetGCPercent(old)
	stop := watchLiveHeap()
	var out countingWriter
	if err := WriteXLSX(&out, Workbook{Tables: []Table{table}}); err != nil {
		t.Fatal(err)
	}
	peak := stop()
	t.Logf("%d rows, %d bytes: live heap grew by %.1f MiB", rows, out, float64(peak)/(1<<20))
	if peak > 34<<20 {
		t.Errorf("live heap grew by %.1f MiB writing %d rows, want at most 34", float64(peak)/(1<<20), rows)
	}
	if out == 0 {
		t.Error("nothing written")
	}
}

type countingWriter int64

func (w *countingWriter) Write(p []byte) (int, error) {
	*w += countingWriter(len(p))
	return len(p), nil
}

// watchLiveHeap is watchHeap on the live heap as the last collection marked it, which leaves
// out the garbage an allocating writer leaves between collections.
func watchLiveHeap() (stop func() uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			if v := read(); v > base {
				peak = max(peak, v-base)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	})
	return func() uint64 { close(done); wg.Wait(); return peak }
}

// TestNeutraliseFollowsOWASP checks each character OWASP lists as a formula start, after
// leading white space too, the full-width forms, and that plain numbers, dates and codes
// stay as they are.
func TestNeutraliseFollowsOWASP(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"=1+1", "'=1+1"}, {"+1+1", "'+1+1"}, {"-1+1", "'-1+1"}, {"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"}, {"\r=1", "'\r=1"}, {"\n=1", "'\n=1"},
		{" =1+1", "' =1+1"}, {"   @x", "'   @x"}, {"\u00a0=1", "'\u00a0=1"}, {"\u3000-1+2", "'\u3000-1+2"},
		{"\uff1dHYPERLINK(\"x\")", "'\uff1dHYPERLINK(\"x\")"}, {"\uff0b1", "'\uff0b1"}, {"\uff0d1", "'\uff0d1"}, {"\uff20x", "'\uff20x"},
		{"-cmd|' /C calc'!A0", "'-cmd|' /C calc'!A0"}, {"- 2", "'- 2"}, {"-", "'-"}, {"+", "'+"}, {" -2", "' -2"},
		// Stay as they are: plain signed numbers, dates, codes, text, and the empty cell.
		{"-2", "-2"}, {"+1.5", "+1.5"}, {"-3e4", "-3e4"}, {"2026-10-05", "2026-10-05"}, {"00123", "00123"},
		{"FG-CC-1A", "FG-CC-1A"}, {"Crème brûlée", "Crème brûlée"}, {"a=b", "a=b"}, {"", ""}, {"   ", "   "},
	} {
		if got := Neutralise(tt.in); got != tt.want {
			t.Errorf("Neutralise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
