package ingest

import (
	"fmt"
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
