package ingest

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/lot-trace/lot-trace/graph"
)

// csvRow is one record, its cells placed by column and trimmed.
type csvRow struct {
	line   int
	kind   string // the type cell in lower case, or the file's fixed type
	id     string // the event_id cell
	cells  [numColumns]string
	broken string // why the record cannot be read as CSV; then it has no cells
}

// CSV reads events from a CSV export with one row per lot: a receipt is one row; a production
// or a shipment is several consecutive rows that share its event_id. docs/csv-import.md
// describes the columns. It streams: only the rows of the event being gathered are in memory.
type CSV struct {
	src    io.Reader
	kind   graph.EventKind // the type of every row of a per-type file, or ""
	r      *csv.Reader
	header *csvHeader
	open   *csvGroup // the event whose rows are being gathered
	line   int       // the line of the last record read
	failed error     // a header problem, returned again by every later call
}

// NewCSV returns a Source over r. kind is "" for a file with a type column, or the type of
// every row of a per-type file, which may then leave the type column out.
func NewCSV(r io.Reader, kind graph.EventKind) *CSV {
	return &CSV{src: r, kind: kind}
}

// Next returns the next event with the line of its first row, a *graph.Error for an event
// that cannot be recorded (naming the line and column of every problem), io.EOF at the end,
// a *HeaderError when the header is unusable, or the reader's own error.
func (c *CSV) Next() (int, graph.Event, error) {
	if c.failed != nil {
		return c.line, nil, c.failed
	}
	if c.header == nil {
		if err := c.readHeader(); err != nil {
			c.failed = err
			return c.line, nil, err
		}
	}
	for {
		row, err := c.readRow()
		if errors.Is(err, io.EOF) && c.open != nil {
			done := c.open
			c.open = nil
			return done.emit(c.header, c.kind)
		}
		if err != nil {
			return c.line, nil, err
		}
		if c.open != nil && c.open.takes(row) {
			c.open.add(row)
			continue
		}
		// The row starts the next event, so the one gathered so far is complete.
		done := c.open
		c.open = newGroup(row, done)
		if done != nil {
			return done.emit(c.header, c.kind)
		}
	}
}

func (c *CSV) readHeader() error {
	switch c.kind {
	case "", graph.KindReceipt, graph.KindProduction, graph.KindShipment:
	default:
		return fmt.Errorf("ingest.NewCSV: unknown event type %q", c.kind)
	}
	c.r = csv.NewReader(skipBOM(c.src))
	names, err := c.r.Read()
	var perr *csv.ParseError
	switch {
	case errors.Is(err, io.EOF):
		return headerError(1, "the file is empty: a header row naming the columns is required")
	case errors.As(err, &perr):
		return headerError(perr.StartLine, "the header cannot be read as CSV: %v", perr.Err)
	case err != nil:
		return err
	}
	c.line, _ = c.r.FieldPos(0)
	c.header, err = parseHeader(names, c.line, c.kind)
	return err
}

// skipBOM drops the byte order mark that spreadsheets put before UTF-8 CSV: left in, it
// would become part of the first column's name.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, []byte("\uFEFF")) {
		_, _ = br.Discard(3)
	}
	return br
}

// readRow returns the next record that has a value, or a broken row for a record that is not
// valid CSV, or io.EOF.
func (c *CSV) readRow() (csvRow, error) {
	for {
		record, err := c.r.Read()
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			c.line = perr.StartLine
			return csvRow{line: perr.StartLine, broken: unreadable(perr, len(record), c.header.cells)}, nil
		}
		if err != nil {
			return csvRow{}, err
		}
		c.line, _ = c.r.FieldPos(0)
		row := csvRow{line: c.line}
		blank := true
		for col, i := range c.header.pos {
			if i >= 0 {
				row.cells[col] = strings.TrimSpace(record[i])
				blank = blank && row.cells[col] == ""
			}
		}
		if blank {
			continue // spreadsheets export empty rows as ",,,,"
		}
		row.id = row.cells[colEventID]
		row.kind = strings.ToLower(row.cells[colType])
		if row.kind == "" {
			row.kind = string(c.kind)
		}
		return row, nil
	}
}

func unreadable(perr *csv.ParseError, cells, headerCells int) string {
	if errors.Is(perr.Err, csv.ErrFieldCount) {
		return fmt.Sprintf("cannot be read: it has %d cells, the header has %d", cells, headerCells)
	}
	return fmt.Sprintf("cannot be read as CSV (line %d, character %d): %v", perr.Line, perr.Column, perr.Err)
}

// csvGroup is the rows of one event.
type csvGroup struct {
	kind     string
	id       string
	rows     []csvRow
	problems []cellProblem // found while gathering: unreadable rows, mixed types
}

// newGroup starts an event at its first row. prev is the event before it, if any: when that
// one ended in an unreadable row, the row may have been this event's first, so a production
// or shipment is refused rather than stored without it.
func newGroup(first csvRow, prev *csvGroup) *csvGroup {
	g := &csvGroup{kind: first.kind, id: first.id, rows: []csvRow{first}}
	if first.broken != "" {
		g.problems = append(g.problems, cellProblem{first.line, noColumn, first.broken})
		return g
	}
	if prev != nil && g.kind != string(graph.KindReceipt) {
		if last := prev.rows[len(prev.rows)-1]; last.broken != "" {
			g.problems = append(g.problems, cellProblem{first.line, noColumn,
				fmt.Sprintf("line %d, just before this event, cannot be read and may be one of its rows", last.line)})
		}
	}
	return g
}

// takes reports whether row belongs to this event: consecutive rows with the same event_id
// are one event, except receipts, which are one row each. An unreadable row joins the event
// it interrupts, since it may be one of its rows.
func (g *csvGroup) takes(row csvRow) bool {
	receipt := string(graph.KindReceipt)
	switch {
	case row.broken != "":
		return g.kind != receipt
	case g.rows[0].broken != "":
		return false
	default:
		return row.id != "" && row.id == g.id && (g.kind != receipt || row.kind != receipt)
	}
}

func (g *csvGroup) add(row csvRow) {
	switch {
	case row.broken != "":
		g.problems = append(g.problems, cellProblem{row.line, noColumn, row.broken})
	case row.kind != g.kind:
		g.problems = append(g.problems, cellProblem{row.line, colType,
			fmt.Sprintf("%q differs from %q on line %d: rows that share event_id %s must have the same type", row.kind, g.kind, g.rows[0].line, g.id)})
	}
	g.rows = append(g.rows, row)
}

// lines says where the event is: "line 5" or "lines 5-8".
func (g *csvGroup) lines() string {
	first, last := g.rows[0].line, g.rows[len(g.rows)-1].line
	if last == first {
		return fmt.Sprintf("line %d", first)
	}
	return fmt.Sprintf("lines %d-%d", first, last)
}

// name says which event this is, for messages: "production B-1 (lines 5-8)".
func (g *csvGroup) name() string {
	lines := g.lines()
	switch graph.EventKind(g.kind) {
	case graph.KindReceipt:
		return fmt.Sprintf("receipt (%s)", lines)
	case graph.KindProduction, graph.KindShipment:
		return fmt.Sprintf("%s %s (%s)", g.kind, g.id, lines)
	default:
		return fmt.Sprintf("rows without a valid type (%s)", lines)
	}
}

func (g *csvGroup) emit(h *csvHeader, fixed graph.EventKind) (int, graph.Event, error) {
	b := &eventBuilder{header: h, group: g, rows: g.rows, problems: g.problems, itemLines: map[string][]int{}}
	if g.rows[0].broken != "" {
		return g.rows[0].line, nil, b.reject(graph.EMALFORMED, "unreadable CSV (%s)", g.lines())
	}
	ev, err := b.event(fixed)
	return g.rows[0].line, ev, err
}

// cellProblem is a problem with one cell (or, with noColumn, one row).
type cellProblem struct {
	line    int
	col     column
	message string
}

func (p cellProblem) field() string {
	if p.col == noColumn {
		return fmt.Sprintf("line %d", p.line)
	}
	return fmt.Sprintf("line %d, column %s", p.line, p.col)
}
