// Package sheet writes tables as the spreadsheets that regulators and auditors open: CSV that
// Excel reads right and that cannot run formulas, and XLSX streamed row by row.
package sheet

import (
	"iter"
	"time"
)

// Kind is what a column holds, which decides how its cells are written.
type Kind int

const (
	Text   Kind = iota // codes and names: always text, so that leading zeros survive
	Number             // float64
	Time               // time.Time, in UTC, to the minute
	Date               // time.Time or a "2006-01-02" string, a calendar date
)

// Column is one column of a table.
type Column struct {
	Header string
	Kind   Kind
	Width  float64 // in characters; 0 sizes the column to its header
	Doc    string  // what the column holds, for the explanation sheet
}

// Table is one sheet: its columns and its rows, produced one at a time so that no writer
// holds the whole table. A row's cells are in column order: string, float64, time.Time, or
// nil for an empty cell. A writer uses each row before asking for the next, so a producer
// may reuse one slice.
type Table struct {
	Name    string
	Columns []Column
	Rows    iter.Seq[[]any]
	// Err, when set, says why Rows ended early (rows streamed from a database that failed);
	// the writers check it once Rows ends, so that a cut table is an error, never a short
	// file that looks whole.
	Err func() error
}

// err is why the table's rows ended early, or nil.
func (t Table) err() error {
	if t.Err == nil {
		return nil
	}
	return t.Err()
}

// Workbook is what one download holds: its tables, and notes that open the explanation sheet
// (what the export is of, when it was made, how figures were worked out).
type Workbook struct {
	Tables []Table
	Notes  []string
	// Explanation names the explanation sheet; "" is "Columns".
	Explanation string
}

// dateOf reads a Date cell, which the domain holds either as a time or as a calendar date.
func dateOf(v any) (time.Time, bool) {
	switch d := v.(type) {
	case time.Time:
		return d, !d.IsZero()
	case string:
		t, err := time.Parse(time.DateOnly, d)
		return t, err == nil
	}
	return time.Time{}, false
}
