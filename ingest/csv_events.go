package ingest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lot-trace/lot-trace/graph"
)

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
