package neo4j

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
	"github.com/lot-trace/lot-trace/internal/synth"
)

// TestBulkRowsAreTheParamsRows writes a generated history, and events with every optional
// value left out, quotes, line breaks and times in a fixed offset, through BulkImport, and
// again from writeParams' rows with the bulk specs' column keys (as the record statements
// read them): every file holds the same rows (writeParams sorts a run's lines by lot).
func TestBulkRowsAreTheParamsRows(t *testing.T) {
	var history bytes.Buffer
	if _, err := synth.Generate(&history, synth.Options{Seed: 5, Lots: 400, Prefix: "R"}); err != nil {
		t.Fatal(err)
	}
	var events []graph.Event
	sc := bufio.NewScanner(&history)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		ev, err := ingest.DecodeEvent(sc.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, ev)
	}
	at := time.Date(2026, 3, 4, 5, 6, 7, 890, time.FixedZone("Offset", -5*3600))
	q := graph.Quantity{Amount: 0.000125, Unit: `"case"`}
	events = append(events,
		&graph.Receipt{Lot: graph.NewLot{Code: "X-1", Product: "flour, \"fine\"", Quantity: q}, Supplier: graph.Supplier{ID: "S-X"},
			ReceivedAt: at, Location: "dock\n2"},
		&graph.Receipt{Lot: graph.NewLot{Code: "X-2", Product: "salt", Description: "d", SupplierLot: "s", ExpiresAt: "2027-02-28",
			Quantity: graph.Quantity{Amount: 1e12, Unit: "kg"}}, Supplier: graph.Supplier{ID: "S-X", Name: "n", Location: "l"},
			ReceivedAt: at.UTC(), Location: "", TLCSource: "t", Reference: graph.Reference{Type: "PO", Number: "1"}},
		&graph.Production{Batch: graph.Batch{ID: "B-X"}, ProducedAt: at, Location: "plant",
			Inputs:  []graph.LotQuantity{{Lot: "X-2", Quantity: graph.Quantity{Amount: 3, Unit: "kg"}}, {Lot: "X-1", Quantity: q}},
			Outputs: []graph.NewLot{{Code: "X-3", Product: "bread", Quantity: graph.Quantity{Amount: 2, Unit: "each"}}}},
		&graph.Shipment{ID: "SH-X", Customer: graph.Customer{ID: "C-X"}, ShippedAt: at, From: "plant",
			Lines: []graph.LotQuantity{{Lot: "X-3", Quantity: graph.Quantity{Amount: 1, Unit: "each"}}, {Lot: "X-1", Quantity: q}}},
	)

	fast, err := NewBulkImport(filepath.Join(t.TempDir(), "fast"))
	if err != nil {
		t.Fatal(err)
	}
	byParams := &paramsRecorder{t: t, b: newTestBulkImport(t, filepath.Join(t.TempDir(), "params"))}
	for run := range slices.Chunk(events, 700) {
		got, err := fast.RecordEvents(context.Background(), run)
		if err != nil {
			t.Fatal(err)
		}
		want := byParams.record(run)
		for i := range got {
			if got[i].Created != want[i].Created || (got[i].Err == nil) != (want[i].Err == nil) {
				t.Fatalf("event %d: %+v, planned by the params path %+v", i, got[i], want[i])
			}
		}
	}
	fastFiles, err := fast.Finish()
	if err != nil {
		t.Fatal(err)
	}
	paramsFiles, err := byParams.b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if !fastFiles.Multiline || !paramsFiles.Multiline {
		t.Errorf("a line break in a value: multiline %v, by the params %v", fastFiles.Multiline, paramsFiles.Multiline)
	}
	for i, f := range append(fastFiles.Nodes, fastFiles.Relationships...) {
		p := append(paramsFiles.Nodes, paramsFiles.Relationships...)[i]
		got, want := sortedRows(t, f.Path), sortedRows(t, p.Path)
		if len(want) < 2 {
			t.Errorf("%s: only %d rows: the history made none", p.Path, len(want))
		}
		if !slices.Equal(got, want) {
			t.Errorf("%s differs from the rows of writeParams:\n%s\nwant\n%s", filepath.Base(f.Path), strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// paramsRecorder plans as BulkImport does and writes writeParams' rows with the specs' keys.
type paramsRecorder struct {
	t *testing.T
	b *BulkImport
}

func newTestBulkImport(t *testing.T, dir string) *BulkImport {
	b, err := NewBulkImport(dir)
	if err != nil {
		t.Fatal(err)
	}
	b.stopWriter() // this recorder writes itself
	return b
}

func (r *paramsRecorder) record(events []graph.Event) []graph.Outcome {
	outcomes, w := plan(events, fingerprints(events), r.b.have)
	w.parties = nil
	p := writeParams(w)
	for _, rc := range p.receipts {
		r.b.write(bulkReceivedLots, rc, nil)
		r.b.write(bulkReceivedFrom, rc, nil)
	}
	for _, pr := range p.productions {
		r.b.write(bulkBatches, pr, nil)
		for _, o := range pr["outputs"].([]map[string]any) {
			r.b.write(bulkProducedLots, o, pr)
			r.b.write(bulkProduced, o, pr)
		}
	}
	for _, c := range p.consumptions {
		r.b.write(bulkConsumedIn, c, nil)
	}
	for _, l := range p.lines {
		r.b.write(bulkShippedTo, l, nil)
	}
	if err := r.b.err(); err != nil {
		r.t.Fatal(err)
	}
	return outcomes
}

func sortedRows(t *testing.T, path string) []string {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	slices.Sort(rows[1:])
	return rows
}
