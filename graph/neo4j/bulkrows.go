package neo4j

import (
	"bufio"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// The rows of the events' files, written straight from the events: the values writeParams
// gives the record statements, in the columns of the bulk specs, without a map per row (at
// 1M lots, the maps and their garbage were an eighth of the validate phase's CPU).
// TestBulkRowsAreTheParamsRows checks them against rows made from writeParams.

// writeReceipt writes a receipt's lot and its RECEIVED_FROM.
func (b *BulkImport) writeReceipt(r *graph.Receipt, hash string) {
	row := b.row(&bulkReceivedLots)
	row.str(string(r.Lot.Code))
	row.str(r.Lot.Product)
	row.opt(r.Lot.Description)
	row.double(r.Lot.Quantity.Amount)
	row.str(r.Lot.Quantity.Unit)
	row.opt(r.Lot.SupplierLot)
	row.date(r.Lot.ExpiresAt)
	row.str("receipt")
	row.dateTime(r.ReceivedAt)
	row.str(r.Location)
	row.str(r.EffectiveTLCSource())
	row.str(hash)
	row.end()

	row = b.row(&bulkReceivedFrom)
	row.str(string(r.Lot.Code))
	row.str(string(r.Supplier.ID))
	row.dateTime(r.ReceivedAt)
	row.str(r.Location)
	row.double(r.Lot.Quantity.Amount)
	row.str(r.Lot.Quantity.Unit)
	row.opt(r.Supplier.Name)
	row.str(r.Supplier.Location)
	row.str(r.Reference.Type)
	row.str(r.Reference.Number)
	row.end()
}

// writeProduction writes a batch, its output lots and PRODUCED, and its CONSUMED_IN.
func (b *BulkImport) writeProduction(p *graph.Production, hash string) {
	tlcSource := p.EffectiveTLCSource()
	row := b.row(&bulkBatches)
	row.str(string(p.Batch.ID))
	row.opt(p.Batch.Line)
	row.dateTime(p.ProducedAt)
	row.str(p.Location)
	row.str(tlcSource)
	row.str(p.Reference.Type)
	row.str(p.Reference.Number)
	row.str(hash)
	row.end()
	for i, o := range p.Outputs {
		row = b.row(&bulkProducedLots)
		row.str(string(o.Code))
		row.str(o.Product)
		row.opt(o.Description)
		row.double(o.Quantity.Amount)
		row.str(o.Quantity.Unit)
		row.date(o.ExpiresAt)
		row.str("production")
		row.dateTime(p.ProducedAt)
		row.str(p.Location)
		row.str(tlcSource)
		row.str(string(p.Batch.ID))
		row.str(hash)
		row.end()

		row = b.row(&bulkProduced)
		row.str(string(p.Batch.ID))
		row.str(string(o.Code))
		row.long(i + 1)
		row.double(o.Quantity.Amount)
		row.str(o.Quantity.Unit)
		row.end()
	}
	for i, in := range p.Inputs {
		row = b.row(&bulkConsumedIn)
		row.str(string(in.Lot))
		row.str(string(p.Batch.ID))
		row.long(i + 1)
		row.double(in.Quantity.Amount)
		row.str(in.Quantity.Unit)
		row.end()
	}
}

// writeShipment writes a shipment's lines, each a SHIPPED_TO.
func (b *BulkImport) writeShipment(s *graph.Shipment, hash string) {
	for i, l := range s.Lines {
		row := b.row(&bulkShippedTo)
		row.str(string(l.Lot))
		row.str(string(s.Customer.ID))
		row.str(string(s.ID))
		row.long(i + 1)
		row.dateTime(s.ShippedAt)
		row.str(s.From)
		row.double(l.Quantity.Amount)
		row.str(l.Quantity.Unit)
		row.opt(s.Customer.Name)
		row.str(s.Customer.Location)
		row.str(s.Reference.Type)
		row.str(s.Reference.Number)
		row.str(hash)
		row.end()
	}
}

// csvRow writes one row of a file, a field at a time, in its spec's column order; each
// field is written as BulkImport.field writes a value of the column's kind.
type csvRow struct {
	b      *BulkImport
	f      *bulkFile
	spec   *bulkSpec
	fields int
	buf    [64]byte
}

func (b *BulkImport) row(spec *bulkSpec) *csvRow {
	r := &b.rowBuf
	*r = csvRow{b: b, f: b.files[spec.file], spec: spec}
	return r
}

// next writes the separator before a field, and checks the field is a column of the kind.
func (r *csvRow) next(kind bulkKind) *bufio.Writer {
	if r.fields >= len(r.spec.columns) || r.spec.columns[r.fields].kind != kind {
		r.fail(fmt.Errorf("field %d of a row of %s is not a column of kind %d", r.fields+1, r.spec.file, kind))
	}
	if r.fields > 0 {
		r.f.w.WriteByte(',')
	}
	r.fields++
	return r.f.w
}

func (r *csvRow) fail(err error) {
	if r.f.err == nil {
		r.f.err = err
	}
}

// str is a string property, always quoted (so an empty one is kept).
func (r *csvRow) str(s string) {
	w := r.next(bulkString)
	if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
		r.b.multiline = true
	}
	w.WriteByte('"')
	if strings.IndexByte(s, '"') >= 0 {
		s = strings.ReplaceAll(s, `"`, `""`)
	}
	w.WriteString(s)
	w.WriteByte('"')
}

// opt is an optional string: empty is absent (optional()).
func (r *csvRow) opt(s string) {
	if s == "" {
		r.next(bulkString)
		return
	}
	r.str(s)
}

func (r *csvRow) double(f float64) {
	w := r.next(bulkDouble)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		r.fail(fmt.Errorf("%s: %v is not a finite float64", r.spec.file, f))
		return
	}
	w.Write(strconv.AppendFloat(r.buf[:0], f, 'g', -1, 64))
}

func (r *csvRow) long(n int) {
	r.next(bulkLong).Write(strconv.AppendInt(r.buf[:0], int64(n), 10))
}

// date is a validated calendar date, or absent when empty or not one (date()).
func (r *csvRow) date(s string) {
	w := r.next(bulkDate)
	if s == "" {
		return
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return
	}
	w.Write(t.AppendFormat(r.buf[:0], time.DateOnly))
}

func (r *csvRow) dateTime(t time.Time) {
	r.next(bulkDateTime).WriteString(bulkDateTimeText(t))
}

// end ends the row, which must have had every column.
func (r *csvRow) end() {
	if r.fields != len(r.spec.columns) {
		r.fail(fmt.Errorf("a row of %s has %d fields, its header %d", r.spec.file, r.fields, len(r.spec.columns)))
	}
	if err := r.f.w.WriteByte('\n'); err != nil {
		r.fail(err)
	}
	r.f.rows++
}
