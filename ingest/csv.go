package ingest

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/lot-trace/lot-trace/graph"
)

// column is one of the columns of the CSV format (docs/csv-import.md).
type column int

const (
	colType column = iota
	colEventID
	colDate
	colLocation
	colRole
	colLotCode
	colProduct
	colDescription
	colQuantity
	colUnit
	colSupplierLot
	colExpiresAt
	colSupplierID
	colSupplierName
	colSupplierLocation
	colTLCSource
	colCustomerID
	colCustomerName
	colCustomerLocation
	colCustomerContact
	colBatchLine
	colRefType
	colRefNumber
	numColumns
	noColumn = numColumns // a problem with a whole row, not one of its cells
)

var columnNames = [numColumns]string{
	"type", "event_id", "date", "location", "role", "lot_code", "product", "description",
	"quantity", "unit", "supplier_lot", "expires_at", "supplier_id", "supplier_name",
	"supplier_location", "tlc_source", "customer_id", "customer_name", "customer_location",
	"customer_contact", "batch_line", "ref_type", "ref_number",
}

func (c column) String() string { return columnNames[c] }

func columnNamed(name string) (column, bool) {
	i := slices.Index(columnNames[:], name)
	return column(i), i >= 0
}

// columnSet is a set of columns, as a bit mask.
type columnSet uint32

func setOf(cols ...column) columnSet {
	var s columnSet
	for _, c := range cols {
		s |= 1 << c
	}
	return s
}

func (s columnSet) has(c column) bool { return s&(1<<c) != 0 }

// The columns each kind of row may fill: a value anywhere else is refused, as JSON refuses an
// unknown field, so that data in the wrong column is reported instead of silently dropped.
var (
	anyRowColumns    = setOf(colType, colEventID, colDate, colLocation, colRefType, colRefNumber)
	receiptColumns   = anyRowColumns | setOf(colLotCode, colProduct, colDescription, colQuantity, colUnit, colSupplierLot, colExpiresAt, colSupplierID, colSupplierName, colSupplierLocation, colTLCSource)
	inputColumns     = anyRowColumns | setOf(colRole, colTLCSource, colBatchLine, colLotCode, colQuantity, colUnit)
	outputColumns    = inputColumns | setOf(colProduct, colDescription, colExpiresAt)
	shipmentColumns  = anyRowColumns | setOf(colLotCode, colQuantity, colUnit, colCustomerID, colCustomerName, colCustomerLocation, colCustomerContact)
	productionShared = []column{colDate, colLocation, colTLCSource, colBatchLine, colRefType, colRefNumber}
	shipmentShared   = []column{colDate, colLocation, colCustomerID, colCustomerName, colCustomerLocation, colCustomerContact, colRefType, colRefNumber}
)

// requiredColumns are the columns a header must have. A file of mixed types needs only what
// every row needs; a per-type file needs everything its events need, so that a missing column
// stops the file at once instead of rejecting every event in it.
func requiredColumns(kind graph.EventKind) []column {
	always := []column{colDate, colLocation, colLotCode, colQuantity, colUnit}
	switch kind {
	case graph.KindReceipt:
		return append(always, colProduct, colSupplierID, colSupplierLocation, colRefType, colRefNumber)
	case graph.KindProduction:
		return append(always, colEventID, colRole, colProduct)
	case graph.KindShipment:
		return append(always, colEventID, colCustomerID, colCustomerLocation, colRefType, colRefNumber)
	default:
		return append(always, colType)
	}
}

// HeaderError is a CSV header that cannot be used. It ends the load: no row can be read
// without its header.
type HeaderError struct {
	Line    int
	Problem string
	Missing []string // the required columns the header lacks, if that is the problem
}

func (e *HeaderError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Problem) }

func headerError(line int, format string, args ...any) error {
	return &HeaderError{Line: line, Problem: fmt.Sprintf(format, args...)}
}

// csvHeader maps each column to its place in a record.
type csvHeader struct {
	pos   [numColumns]int // -1 when the file has no such column
	cells int             // how many cells the header has, as every record must
}

func (h *csvHeader) has(c column) bool { return h.pos[c] >= 0 }

func parseHeader(names []string, line int, kind graph.EventKind) (*csvHeader, error) {
	h := &csvHeader{cells: len(names)}
	for i := range h.pos {
		h.pos[i] = -1
	}
	for i, name := range names {
		name = strings.ToLower(strings.TrimSpace(name))
		col, known := columnNamed(name)
		switch {
		case name == "":
			return nil, headerError(line, "header cell %d is empty: every column needs a name", i+1)
		case !known:
			return nil, headerError(line, "unknown column %q (header cell %d); the columns are %s", name, i+1, strings.Join(columnNames[:], ", "))
		case h.has(col):
			return nil, headerError(line, "column %q appears twice", name)
		}
		h.pos[col] = i
	}
	var missing []string
	for _, col := range requiredColumns(kind) {
		if !h.has(col) {
			missing = append(missing, col.String())
		}
	}
	if len(missing) > 0 {
		return nil, &HeaderError{Line: line, Problem: "missing column(s) " + strings.Join(missing, ", "), Missing: missing}
	}
	return h, nil
}

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

// eventBuilder fills the wire struct of one event from its rows, so that CSV and JSON go
// through the same validation, and keeps which line each part came from to report problems
// by line and column.
type eventBuilder struct {
	header     *csvHeader
	group      *csvGroup
	rows       []csvRow
	problems   []cellProblem
	itemLines  map[string][]int // "inputs", "outputs", "lines": the line of each item
	sharedLine [numColumns]int  // the line a shared value was taken from
}

// problem records a problem unless its cell already has one: the first is the most precise
// ("not a number" rather than the validator's "is required" for the quantity left unset).
func (b *eventBuilder) problem(line int, col column, message string) {
	for _, p := range b.problems {
		if p.line == line && p.col == col {
			return
		}
	}
	b.problems = append(b.problems, cellProblem{line, col, message})
}

func (b *eventBuilder) reject(code, format string, args ...any) error {
	slices.SortStableFunc(b.problems, func(x, y cellProblem) int {
		return cmp.Or(cmp.Compare(x.line, y.line), cmp.Compare(x.col, y.col))
	})
	fields := make([]graph.FieldError, len(b.problems))
	for i, p := range b.problems {
		fields[i] = graph.FieldError{Field: p.field(), Message: p.message}
	}
	return &graph.Error{Code: code, Message: fmt.Sprintf(format, args...), Fields: fields}
}

func (b *eventBuilder) event(fixed graph.EventKind) (graph.Event, error) {
	b.checkKind(fixed)
	if len(b.problems) > 0 {
		return nil, b.reject(graph.EINVALID, "invalid %s", b.group.name())
	}
	switch graph.EventKind(b.group.kind) {
	case graph.KindReceipt:
		return b.receipt()
	case graph.KindProduction:
		return b.production()
	default:
		return b.shipment()
	}
}

func (b *eventBuilder) checkKind(fixed graph.EventKind) {
	first := b.rows[0]
	switch kind := graph.EventKind(b.group.kind); {
	case fixed != "" && kind != fixed:
		b.problem(first.line, colType, fmt.Sprintf("%q in a file of %ss", kind, fixed))
	case kind == "":
		b.problem(first.line, colType, "is required: receipt, production or shipment")
	case kind != graph.KindReceipt && kind != graph.KindProduction && kind != graph.KindShipment:
		b.problem(first.line, colType, fmt.Sprintf("%q is not receipt, production or shipment", first.cells[colType]))
	}
}

func (b *eventBuilder) receipt() (graph.Event, error) {
	row := b.rows[0]
	b.checkUnused(row, receiptColumns, "receipt")
	c := &row.cells
	w := ReceiptJSON{
		Lot: &LotJSON{Code: c[colLotCode], Product: c[colProduct], Description: c[colDescription],
			Quantity: b.quantity(row), Unit: c[colUnit], SupplierLot: c[colSupplierLot], ExpiresAt: c[colExpiresAt]},
		Supplier:   &SupplierJSON{ID: c[colSupplierID], Name: c[colSupplierName], Location: c[colSupplierLocation]},
		ReceivedAt: c[colDate],
		Location:   c[colLocation],
		TLCSource:  c[colTLCSource],
		Reference:  &ReferenceJSON{Type: c[colRefType], Number: c[colRefNumber]},
	}
	ev, err := w.Event()
	return finish(b, ev, err)
}

func (b *eventBuilder) production() (graph.Event, error) {
	if b.group.id == "" {
		return b.missingID("batch")
	}
	shared := b.shared(productionShared)
	w := ProductionJSON{
		Batch:      &BatchJSON{ID: b.group.id, Line: shared[colBatchLine]},
		ProducedAt: shared[colDate],
		Location:   shared[colLocation],
		TLCSource:  shared[colTLCSource],
	}
	// No reference means the batch log, as in JSON.
	if shared[colRefType] != "" || shared[colRefNumber] != "" {
		w.Reference = &ReferenceJSON{Type: shared[colRefType], Number: shared[colRefNumber]}
	}
	for _, row := range b.rows {
		c := &row.cells
		switch role := strings.ToLower(c[colRole]); role {
		case "input":
			b.checkUnused(row, inputColumns, "production input")
			w.Inputs = append(w.Inputs, LineJSON{Lot: c[colLotCode], Quantity: b.quantity(row), Unit: c[colUnit]})
			b.itemLines["inputs"] = append(b.itemLines["inputs"], row.line)
		case "output":
			b.checkUnused(row, outputColumns, "production output")
			w.Outputs = append(w.Outputs, OutputLotJSON{Code: c[colLotCode], Product: c[colProduct], Description: c[colDescription],
				Quantity: b.quantity(row), Unit: c[colUnit], ExpiresAt: c[colExpiresAt]})
			b.itemLines["outputs"] = append(b.itemLines["outputs"], row.line)
		case "":
			b.problem(row.line, colRole, "is required on production rows: input or output")
		default:
			b.problem(row.line, colRole, fmt.Sprintf("%q is not input or output", c[colRole]))
		}
	}
	ev, err := w.Event()
	return finish(b, ev, err)
}

func (b *eventBuilder) shipment() (graph.Event, error) {
	if b.group.id == "" {
		return b.missingID("shipment")
	}
	shared := b.shared(shipmentShared)
	w := ShipmentJSON{
		ID:        b.group.id,
		Customer:  &CustomerJSON{ID: shared[colCustomerID], Name: shared[colCustomerName], Location: shared[colCustomerLocation], Contact: shared[colCustomerContact]},
		ShippedAt: shared[colDate],
		From:      shared[colLocation],
		Reference: &ReferenceJSON{Type: shared[colRefType], Number: shared[colRefNumber]},
	}
	for _, row := range b.rows {
		b.checkUnused(row, shipmentColumns, "shipment")
		w.Lines = append(w.Lines, LineJSON{Lot: row.cells[colLotCode], Quantity: b.quantity(row), Unit: row.cells[colUnit]})
		b.itemLines["lines"] = append(b.itemLines["lines"], row.line)
	}
	ev, err := w.Event()
	return finish(b, ev, err)
}

// missingID refuses a production or shipment without an event_id at once: without it, its
// rows cannot be told apart from the next event's, and every other problem would be noise.
func (b *eventBuilder) missingID(what string) (graph.Event, error) {
	b.problem(b.rows[0].line, colEventID, fmt.Sprintf("is required: the rows of one %s share its %s id", b.group.kind, what))
	return nil, b.reject(graph.EINVALID, "invalid %s", b.group.name())
}

// finish turns the wire validation's verdict into the CSV's: its field paths become lines and
// columns, and the problems found while reading the cells are added. It is generic so that a
// typed nil event never hides in a non-nil graph.Event.
func finish[E graph.Event](b *eventBuilder, ev E, err error) (graph.Event, error) {
	for _, fe := range graph.ErrorFields(err) {
		b.fieldProblem(fe)
	}
	if err != nil && len(graph.ErrorFields(err)) == 0 {
		b.problem(b.rows[0].line, noColumn, graph.ErrorMessage(err))
	}
	if len(b.problems) > 0 {
		return nil, b.reject(graph.EINVALID, "invalid %s", b.group.name())
	}
	return ev, nil
}

// fieldProblem places a wire field problem ("inputs[1].quantity") on its line and column.
func (b *eventBuilder) fieldProblem(fe graph.FieldError) {
	first := b.rows[0].line
	list, index, leaf := splitField(fe.Field)
	if list != "" && leaf == "" {
		// The list itself: a production without inputs or outputs. A bad role already said why.
		if !slices.ContainsFunc(b.problems, func(p cellProblem) bool { return p.col == colRole }) {
			b.problem(first, colRole, fmt.Sprintf("no row has role %s: a production needs at least one", strings.TrimSuffix(list, "s")))
		}
		return
	}
	col, known := fieldColumns[leaf]
	if !known {
		b.problem(first, noColumn, fe.Field+": "+fe.Message)
		return
	}
	line := first
	switch {
	case list != "" && index < len(b.itemLines[list]):
		line = b.itemLines[list][index]
	case list == "" && b.sharedLine[col] != 0:
		line = b.sharedLine[col]
	}
	message := fe.Message
	if message == messages["required"] && !b.header.has(col) {
		message += fmt.Sprintf(", and the file has no %s column", col)
	}
	b.problem(line, col, message)
}

// quantity parses a row's quantity; nil when it is empty (the validator then says it is
// required) or not a number (a problem here, which names the value).
func (b *eventBuilder) quantity(row csvRow) *float64 {
	s := row.cells[colQuantity]
	if s == "" {
		return nil
	}
	q, err := strconv.ParseFloat(s, 64)
	if err != nil {
		b.problem(row.line, colQuantity, fmt.Sprintf("%q is not a number: write it like 1234.5, with a point for decimals and no thousands separators", s))
		return nil
	}
	return &q
}

// shared returns the values of the columns that every row of a production or shipment has in
// common: each the first one given. Later rows may leave them empty, as ERP exports often do;
// a row that gives another value contradicts the event and is a problem.
func (b *eventBuilder) shared(cols []column) [numColumns]string {
	var values [numColumns]string
	for _, col := range cols {
		for _, row := range b.rows {
			v := row.cells[col]
			switch {
			case v == "" || v == values[col]:
			case values[col] == "":
				values[col], b.sharedLine[col] = v, row.line
			default:
				b.problem(row.line, col, fmt.Sprintf("%q differs from %q on line %d: the rows of one %s must agree (or leave it empty)",
					v, values[col], b.sharedLine[col], b.group.kind))
			}
		}
	}
	return values
}

// checkUnused refuses values in the columns a row of this kind does not use.
func (b *eventBuilder) checkUnused(row csvRow, used columnSet, what string) {
	for col := range numColumns {
		if row.cells[col] != "" && !used.has(col) {
			b.problem(row.line, col, fmt.Sprintf("is not used on %s rows: leave it empty", what))
		}
	}
}

// fieldColumns maps the last part of a wire field path to its CSV column. The names do not
// collide across the three events, so one table serves them all.
var fieldColumns = map[string]column{
	"lot.code": colLotCode, "lot.product": colProduct, "lot.description": colDescription,
	"lot.quantity": colQuantity, "lot.unit": colUnit, "lot.supplier_lot": colSupplierLot, "lot.expires_at": colExpiresAt,
	"supplier.id": colSupplierID, "supplier.name": colSupplierName, "supplier.location": colSupplierLocation,
	"customer.id": colCustomerID, "customer.name": colCustomerName, "customer.location": colCustomerLocation, "customer.contact": colCustomerContact,
	"received_at": colDate, "produced_at": colDate, "shipped_at": colDate,
	"location": colLocation, "from": colLocation, "tlc_source": colTLCSource,
	"reference.type": colRefType, "reference.number": colRefNumber,
	"batch.id": colEventID, "batch.line": colBatchLine, "id": colEventID,

	// Inside inputs[i], outputs[i] and lines[i]:
	"lot": colLotCode, "code": colLotCode, "product": colProduct, "description": colDescription,
	"quantity": colQuantity, "unit": colUnit, "expires_at": colExpiresAt,
}

// splitField splits "inputs[1].quantity" into ("inputs", 1, "quantity"), "inputs" into
// ("inputs", 0, ""), and "lot.code" into ("", 0, "lot.code").
func splitField(field string) (list string, index int, leaf string) {
	head, rest, hasIndex := strings.Cut(field, "[")
	if !hasIndex {
		if field == "inputs" || field == "outputs" || field == "lines" {
			return field, 0, ""
		}
		return "", 0, field
	}
	num, leaf, ok := strings.Cut(rest, "].")
	i, err := strconv.Atoi(num)
	if !ok || err != nil {
		return "", 0, field
	}
	return head, i, leaf
}

// CSVColumnOf names in a CSV file's terms the cell that a wire field path points at, for the
// problems found after an event has left the CSV source (by the store: an unknown input lot,
// a conflict): "inputs[1].lot" becomes "column lot_code of the event's input row 2". Other
// fields come back unchanged.
func CSVColumnOf(field string) string {
	list, index, leaf := splitField(field)
	col, known := fieldColumns[leaf]
	switch {
	case !known:
		return field
	case list == "":
		return "column " + col.String()
	default:
		item := map[string]string{"inputs": "input", "outputs": "output", "lines": "shipment"}[list]
		return fmt.Sprintf("column %s of the event's %s row %d", col, item, index+1)
	}
}
