package neo4j

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/lot-trace/lot-trace/graph"
)

// BulkImport records events into CSV files for Neo4j's offline bulk importer
// (neo4j-admin database import full) instead of into a database: the first load of an empty
// database at the importer's speed. It plans each run of events exactly as RecordEvents does
// (plan, against what the runs before it created, starting from nothing), so the same lines
// are created, unchanged or refused with the same problems; and it writes the rows
// writeParams makes for the record statements, each property as record_*.cypher stores it
// and with the type the driver gives it (a float64 quantity a double, a line number a long,
// a time a datetime in its zone, an expiry a date, an optional value left out absent).
// TestInitialImportEqualsTheAPI compares the two graphs property by property.
//
// It satisfies ingest.Recorder, but plans one run at a time: give it to a Loader with
// Parallel 1, so that runs are planned in line order.
//
// Planning is sequential, but the rows are made and written on a goroutine of their own, a
// few runs behind: the next run is planned meanwhile.
type BulkImport struct {
	dir   string
	have  stored
	files map[string]*bulkFile
	// multiline is set when a value holds a line break: the importer must then be told
	// that fields may span lines (slower, so only then). The writer sets it.
	multiline bool
	done      bool
	runs      chan writeSet // planned runs, for the writer
	written   chan struct{} // closed when the writer has written every run
	failed    atomic.Pointer[error]
	rowBuf    csvRow // the row being written (by the writer)
}

// writtenAhead is how many planned runs may wait for the writer.
const writtenAhead = 2

// BulkFiles is what a BulkImport wrote: the importer's input files, by label and type.
type BulkFiles struct {
	Dir           string
	Nodes         []BulkFile
	Relationships []BulkFile
	Multiline     bool
}

// BulkFile is one CSV file, with its header line, of nodes of one label or relationships of
// one type.
type BulkFile struct {
	Label string // the node label or relationship type
	Path  string
	Rows  int
}

// NodeCount and RelationshipCount are how many nodes and relationships the files hold.
func (f *BulkFiles) NodeCount() int         { return rowsOf(f.Nodes) }
func (f *BulkFiles) RelationshipCount() int { return rowsOf(f.Relationships) }

func rowsOf(files []BulkFile) int {
	n := 0
	for _, f := range files {
		n += f.Rows
	}
	return n
}

// AdminArgs are the arguments of `neo4j-admin` that import the files into database (which
// must be stopped; it is replaced). The importer writes its report of bad entries to report
// (else import.report in its working folder).
func (f *BulkFiles) AdminArgs(database, report string) []string {
	if database == "" {
		database = "neo4j"
	}
	if report == "" {
		report = filepath.Join(f.Dir, "import.report")
	}
	args := []string{"database", "import", "full", database, "--overwrite-destination=true", "--report-file=" + report,
		"--id-type=string", "--ignore-empty-strings=false", "--skip-bad-relationships=false",
		"--skip-duplicate-nodes=false", "--bad-tolerance=0"}
	if f.Multiline {
		args = append(args, "--multiline-fields=true")
	}
	for _, n := range f.Nodes {
		args = append(args, "--nodes="+n.Label+"="+n.Path)
	}
	for _, r := range f.Relationships {
		args = append(args, "--relationships="+r.Label+"="+r.Path)
	}
	return args
}

// The importer's files. Each row's columns mirror a record statement: a column's name and
// type are the property's, and its key names the writeParams entry that the statement
// stores there (see record_receipts, record_productions, record_consumptions,
// record_shipments, record_suppliers and record_customers).
type bulkColumn struct {
	header string // the importer's header field: name:type, :ID(space), :START_ID(space), ...
	key    string // the parameter row's key; a quoted key ('receipt') is a constant
	kind   bulkKind
}

type bulkKind int

const (
	bulkString   bulkKind = iota // a string, or absent when the parameter is nil
	bulkDouble                   // a float64
	bulkLong                     // an int
	bulkDate                     // a dbtype.Date, or absent
	bulkDateTime                 // a time.Time
)

type bulkSpec struct {
	file    string
	label   string
	node    bool
	columns []bulkColumn
}

var (
	bulkReceivedLots = bulkSpec{"lots_received.csv", "Lot", true, []bulkColumn{
		{"code:ID(Lot)", "code", bulkString}, {"product", "product", bulkString}, {"description", "description", bulkString},
		{"quantity:double", "quantity", bulkDouble}, {"unit", "unit", bulkString}, {"supplier_lot", "supplier_lot", bulkString},
		{"expires_at:date", "expires_at", bulkDate}, {"origin", "'receipt'", bulkString},
		{"origin_at:datetime", "received_at", bulkDateTime}, {"location", "location", bulkString},
		{"tlc_source", "tlc_source", bulkString}, {"fingerprint", "fingerprint", bulkString},
	}}
	bulkReceivedFrom = bulkSpec{"received_from.csv", "RECEIVED_FROM", false, []bulkColumn{
		{":START_ID(Lot)", "code", bulkString}, {":END_ID(Supplier)", "supplier_id", bulkString},
		{"received_at:datetime", "received_at", bulkDateTime}, {"location", "location", bulkString},
		{"quantity:double", "quantity", bulkDouble}, {"unit", "unit", bulkString},
		{"supplier_name", "supplier_name", bulkString}, {"supplier_location", "supplier_location", bulkString},
		{"ref_type", "ref_type", bulkString}, {"ref_number", "ref_number", bulkString},
	}}
	bulkBatches = bulkSpec{"batches.csv", "Batch", true, []bulkColumn{
		{"id:ID(Batch)", "id", bulkString}, {"line", "line", bulkString}, {"produced_at:datetime", "produced_at", bulkDateTime},
		{"location", "location", bulkString}, {"tlc_source", "tlc_source", bulkString},
		{"ref_type", "ref_type", bulkString}, {"ref_number", "ref_number", bulkString}, {"fingerprint", "fingerprint", bulkString},
	}}
	// A produced lot's row is its output's map, then its production's (p.*).
	bulkProducedLots = bulkSpec{"lots_produced.csv", "Lot", true, []bulkColumn{
		{"code:ID(Lot)", "code", bulkString}, {"product", "product", bulkString}, {"description", "description", bulkString},
		{"quantity:double", "quantity", bulkDouble}, {"unit", "unit", bulkString}, {"expires_at:date", "expires_at", bulkDate},
		{"origin", "'production'", bulkString}, {"origin_at:datetime", "p.produced_at", bulkDateTime},
		{"location", "p.location", bulkString}, {"tlc_source", "p.tlc_source", bulkString},
		{"batch_id", "p.id", bulkString}, {"fingerprint", "p.fingerprint", bulkString},
	}}
	bulkProduced = bulkSpec{"produced.csv", "PRODUCED", false, []bulkColumn{
		{":START_ID(Batch)", "p.id", bulkString}, {":END_ID(Lot)", "code", bulkString},
		{"line:long", "line", bulkLong}, {"quantity:double", "quantity", bulkDouble}, {"unit", "unit", bulkString},
	}}
	bulkConsumedIn = bulkSpec{"consumed_in.csv", "CONSUMED_IN", false, []bulkColumn{
		{":START_ID(Lot)", "lot", bulkString}, {":END_ID(Batch)", "batch", bulkString},
		{"line:long", "line", bulkLong}, {"quantity:double", "quantity", bulkDouble}, {"unit", "unit", bulkString},
	}}
	bulkShippedTo = bulkSpec{"shipped_to.csv", "SHIPPED_TO", false, []bulkColumn{
		{":START_ID(Lot)", "lot", bulkString}, {":END_ID(Customer)", "customer_id", bulkString},
		{"shipment_id", "shipment_id", bulkString}, {"line:long", "line", bulkLong},
		{"shipped_at:datetime", "shipped_at", bulkDateTime}, {"from", "from", bulkString},
		{"quantity:double", "quantity", bulkDouble}, {"unit", "unit", bulkString},
		{"customer_name", "customer_name", bulkString}, {"customer_location", "customer_location", bulkString},
		{"ref_type", "ref_type", bulkString}, {"ref_number", "ref_number", bulkString}, {"fingerprint", "fingerprint", bulkString},
	}}
	bulkSuppliers = bulkSpec{"suppliers.csv", "Supplier", true, []bulkColumn{
		{"id:ID(Supplier)", "id", bulkString}, {"name", "name", bulkString}, {"location", "location", bulkString},
	}}
	bulkCustomers = bulkSpec{"customers.csv", "Customer", true, []bulkColumn{
		{"id:ID(Customer)", "id", bulkString}, {"name", "name", bulkString}, {"location", "location", bulkString},
		{"contact", "contact", bulkString},
	}}
	// The files in the order the importer is given them: nodes, then relationships.
	bulkSpecs = []bulkSpec{bulkReceivedLots, bulkProducedLots, bulkBatches, bulkSuppliers, bulkCustomers,
		bulkReceivedFrom, bulkProduced, bulkConsumedIn, bulkShippedTo}
)

// NewBulkImport starts the importer's files in dir, which is created and must hold no file.
func NewBulkImport(dir string) (*BulkImport, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("the import folder %s is not empty: give an empty or new folder", dir)
	}
	b := &BulkImport{dir: dir, have: newStored(), files: map[string]*bulkFile{},
		runs: make(chan writeSet, writtenAhead), written: make(chan struct{})}
	for _, spec := range bulkSpecs {
		f, err := newBulkFile(filepath.Join(dir, spec.file), spec)
		if err != nil {
			for _, f := range b.files {
				_ = f.close()
			}
			return nil, err
		}
		b.files[spec.file] = f
	}
	go b.writer()
	return b, nil
}

// writer writes the planned runs' rows, in order, until the runs are closed; after a
// failure it only drains them.
func (b *BulkImport) writer() {
	defer close(b.written)
	for w := range b.runs {
		if b.failed.Load() != nil {
			continue
		}
		if err := b.writeRun(w); err != nil {
			b.failed.CompareAndSwap(nil, &err)
		}
	}
}

// failure is the writer's error, if it has failed.
func (b *BulkImport) failure() error {
	if err := b.failed.Load(); err != nil {
		return *err
	}
	return nil
}

// stopWriter hands the writer no more runs and waits until it has written those it has.
func (b *BulkImport) stopWriter() {
	if b.runs != nil {
		close(b.runs)
		<-b.written
		b.runs = nil
	}
}

// RecordEvents plans a run of events against what the runs before it created and writes
// what they create. It is not safe for concurrent use (see BulkImport).
func (b *BulkImport) RecordEvents(_ context.Context, events []graph.Event) ([]graph.Outcome, error) {
	if b.done {
		return nil, errors.New("neo4j.BulkImport: the files are already finished")
	}
	if len(events) == 0 {
		return nil, nil
	}
	if err := b.failure(); err != nil {
		return nil, err
	}
	outcomes, w := plan(events, fingerprints(events), b.have)
	if w.empty() {
		return outcomes, nil
	}
	// The suppliers and customers are written once, as the last event describes them, when
	// the files are finished.
	w.parties = nil
	b.runs <- w
	return outcomes, nil
}

// writeRun writes the rows of one planned run, as the record statements would store them.
func (b *BulkImport) writeRun(w writeSet) error {
	for _, r := range w.receipts {
		b.writeReceipt(r, w.fingerprints[r])
	}
	for _, p := range w.productions {
		b.writeProduction(p, w.fingerprints[p])
	}
	for _, s := range w.shipments {
		b.writeShipment(s, w.fingerprints[s])
	}
	return b.err()
}

// Finish writes the suppliers and customers and closes the files. Without an error, the
// files are ready for the importer.
func (b *BulkImport) Finish() (*BulkFiles, error) {
	if b.done {
		return nil, errors.New("neo4j.BulkImport: the files are already finished")
	}
	b.done = true
	b.stopWriter()
	if err := b.failure(); err != nil {
		b.abort()
		return nil, err
	}
	all := make([]party, 0, len(b.have.parties))
	for k, d := range b.have.parties {
		all = append(all, party{partyKey: k, PartyDescription: d})
	}
	p := writeParams(writeSet{parties: all})
	for _, s := range p.suppliers {
		b.write(bulkSuppliers, s, nil)
	}
	for _, c := range p.customers {
		b.write(bulkCustomers, c, nil)
	}
	out := &BulkFiles{Dir: b.dir, Multiline: b.multiline}
	var firstErr error
	for _, spec := range bulkSpecs {
		f := b.files[spec.file]
		if err := f.close(); err != nil && firstErr == nil {
			firstErr = err
		}
		if f.err != nil && firstErr == nil {
			firstErr = f.err
		}
		bf := BulkFile{Label: spec.label, Path: f.path, Rows: f.rows}
		if spec.node {
			out.Nodes = append(out.Nodes, bf)
		} else {
			out.Relationships = append(out.Relationships, bf)
		}
	}
	if firstErr != nil {
		return nil, fmt.Errorf("neo4j.BulkImport: writing the import files: %w", firstErr)
	}
	return out, nil
}

// abort closes the files written so far, after a failure.
func (b *BulkImport) abort() {
	b.stopWriter()
	for _, f := range b.files {
		_ = f.close()
	}
	b.done = true
}

// Abort closes the files without finishing them; the folder is left for the caller to remove.
func (b *BulkImport) Abort() {
	if !b.done {
		b.abort()
	}
}

func (b *BulkImport) err() error {
	for _, f := range b.files {
		if f.err != nil {
			return fmt.Errorf("neo4j.BulkImport: writing %s: %w", f.path, f.err)
		}
	}
	return nil
}

// write appends one row to spec's file: row's values, then outer's for keys "p.*".
func (b *BulkImport) write(spec bulkSpec, row, outer map[string]any) {
	f := b.files[spec.file]
	if f.err != nil {
		return
	}
	for i, col := range spec.columns {
		if i > 0 {
			f.w.WriteByte(',')
		}
		var v any
		switch {
		case strings.HasPrefix(col.key, "'"):
			v = strings.Trim(col.key, "'")
		case strings.HasPrefix(col.key, "p."):
			v = outer[col.key[2:]]
		default:
			v = row[col.key]
		}
		if err := b.field(f.w, col, v); err != nil {
			f.err = err
			return
		}
	}
	if err := f.w.WriteByte('\n'); err != nil {
		f.err = err
		return
	}
	f.rows++
}

// field writes one value as the importer reads the column's type. nil is an empty field,
// which the importer leaves absent, as CREATE leaves a null property; a string is always
// quoted, so an empty string stays a property.
func (b *BulkImport) field(w *bufio.Writer, col bulkColumn, v any) error {
	if v == nil {
		return nil
	}
	var err error
	switch col.kind {
	case bulkString:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("column %s: %T is not a string", col.header, v)
		}
		if strings.IndexByte(s, '\n') >= 0 || strings.IndexByte(s, '\r') >= 0 {
			b.multiline = true
		}
		w.WriteByte('"')
		if strings.IndexByte(s, '"') >= 0 {
			s = strings.ReplaceAll(s, `"`, `""`)
		}
		w.WriteString(s)
		err = w.WriteByte('"')
	case bulkDouble:
		f, ok := v.(float64)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Errorf("column %s: %v is not a finite float64", col.header, v)
		}
		_, err = w.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case bulkLong:
		n, ok := v.(int)
		if !ok {
			return fmt.Errorf("column %s: %T is not an int", col.header, v)
		}
		_, err = w.WriteString(strconv.Itoa(n))
	case bulkDate:
		d, ok := v.(dbtype.Date)
		if !ok {
			return fmt.Errorf("column %s: %T is not a date", col.header, v)
		}
		_, err = w.WriteString(time.Time(d).Format(time.DateOnly))
	case bulkDateTime:
		t, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("column %s: %T is not a time", col.header, v)
		}
		_, err = w.WriteString(bulkDateTimeText(t))
	}
	return err
}

// bulkDateTimeText is a time as the importer parses a datetime into the value the driver
// stores for it: the driver sends a time in a named zone (the decoders give UTC) with the
// zone's name, and a time in a fixed offset ("Offset", as the driver itself reads them back)
// with the offset.
func bulkDateTimeText(t time.Time) string {
	text := t.Format("2006-01-02T15:04:05.999999999Z07:00")
	if name := t.Location().String(); name != "Offset" && name != "" && name != "Local" {
		text += "[" + name + "]"
	}
	return text
}

// bulkFile is one importer file being written.
type bulkFile struct {
	path string
	file *os.File
	w    *bufio.Writer
	rows int
	err  error
}

func newBulkFile(path string, spec bulkSpec) (*bulkFile, error) {
	file, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		return nil, err
	}
	f := &bulkFile{path: path, file: file, w: bufio.NewWriterSize(file, 1<<20)}
	headers := make([]string, len(spec.columns))
	for i, c := range spec.columns {
		headers[i] = c.header
	}
	_, f.err = f.w.WriteString(strings.Join(headers, ",") + "\n")
	return f, nil
}

func (f *bulkFile) close() error {
	if f.file == nil {
		return nil
	}
	err := f.w.Flush()
	if cerr := f.file.Close(); err == nil {
		err = cerr
	}
	f.file = nil
	if errors.Is(err, fs.ErrClosed) {
		return nil
	}
	return err
}
