package ingest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
	"github.com/lot-trace/lot-trace/internal/synth"
)

// memRecorder stores runs the way the database does as far as ordering goes: a run plans
// against what runs before it committed (not against runs still in flight), takes a while,
// then commits. A lot that exists is one created by a committed run or earlier in the run.
type memRecorder struct {
	mu          sync.Mutex
	lots        map[graph.LotCode]bool
	ids         map[string]bool // batch and shipment ids
	active, max int             // runs being stored now, and at most
	largest     int             // the most events in one run
	rng         *rand.Rand
}

func newMemRecorder(seed uint64) *memRecorder {
	return &memRecorder{lots: map[graph.LotCode]bool{}, ids: map[string]bool{}, rng: rand.New(rand.NewPCG(seed, seed))}
}

func (m *memRecorder) RecordEvents(ctx context.Context, events []graph.Event) ([]graph.Outcome, error) {
	m.mu.Lock()
	m.active++
	m.max = max(m.max, m.active)
	m.largest = max(m.largest, len(events))
	lots, ids := maps.Clone(m.lots), maps.Clone(m.ids) // the snapshot this run's lookup sees
	pause := time.Duration(m.rng.IntN(500)) * time.Microsecond
	m.mu.Unlock()
	time.Sleep(pause)

	outcomes := make([]graph.Outcome, len(events))
	unknown := func(code graph.LotCode) error {
		if lots[code] {
			return nil
		}
		return graph.Invalid("unknown lot", graph.FieldError{Field: "lot", Message: string(code)})
	}
	for i, ev := range events {
		switch e := ev.(type) {
		case *graph.Receipt:
			outcomes[i].Created = !lots[e.Lot.Code]
			lots[e.Lot.Code] = true
		case *graph.Production:
			if ids["B"+string(e.Batch.ID)] {
				continue
			}
			for _, in := range e.Inputs {
				if err := unknown(in.Lot); err != nil {
					outcomes[i].Err = err
				}
			}
			if outcomes[i].Err == nil {
				ids["B"+string(e.Batch.ID)], outcomes[i].Created = true, true
				for _, out := range e.Outputs {
					lots[out.Code] = true
				}
			}
		case *graph.Shipment:
			if ids["S"+string(e.ID)] {
				continue
			}
			for _, line := range e.Lines {
				if err := unknown(line.Lot); err != nil {
					outcomes[i].Err = err
				}
			}
			if outcomes[i].Err == nil {
				ids["S"+string(e.ID)], outcomes[i].Created = true, true
			}
		}
	}

	m.mu.Lock()
	defer m.mu.Unlock()
	m.active--
	maps.Copy(m.lots, lots)
	maps.Copy(m.ids, ids)
	return outcomes, nil
}

// load runs a Loader over an NDJSON body and returns its counts and rejected lines, checking
// that rejections came in line order.
func load(t *testing.T, body string, rec ingest.Recorder, batchSize, parallel int) (ingest.Counts, []int) {
	t.Helper()
	var rejected []int
	l := ingest.Loader{Recorder: rec, BatchSize: batchSize, Parallel: parallel,
		OnReject: func(r ingest.Rejection) { rejected = append(rejected, r.Line) }}
	counts, err := l.Load(context.Background(), ingest.NewNDJSON(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.IsSorted(rejected) {
		t.Errorf("rejections out of line order: %v", rejected)
	}
	if counts.Rejected != len(rejected) {
		t.Errorf("counted %d rejections, reported %d", counts.Rejected, len(rejected))
	}
	return counts, rejected
}

func history(t *testing.T, lots int, seed uint64) []string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.Options{Seed: seed, Lots: lots}); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(buf.String()), "\n")
}

// TestParallelLoadKeepsLineOrder: stored two runs at a time, a generated history (every line
// uses lots created on earlier lines, often just before) is stored whole, as one by one; and
// runs really were stored at once.
func TestParallelLoadKeepsLineOrder(t *testing.T) {
	lines := history(t, 3000, 3)
	rec := newMemRecorder(1)
	counts, rejected := load(t, strings.Join(lines, "\n"), rec, 100, 2)
	if len(rejected) != 0 || counts.Accepted != len(lines) {
		t.Fatalf("%+v, rejected lines %v; want all %d accepted", counts, rejected, len(lines))
	}
	if rec.max != 2 {
		t.Errorf("at most %d runs at once, want 2", rec.max)
	}
	if rec.largest > 100 {
		t.Errorf("a run of %d events, more than the batch size 100", rec.largest)
	}
}

// TestParallelLoadRejectsAsSequential: with bad lines among good ones (lots used before, or
// without, their creation), the lines rejected are those a one-run-at-a-time load rejects.
func TestParallelLoadRejectsAsSequential(t *testing.T) {
	lines := history(t, 1500, 5)
	r := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 40; i++ {
		// Move a line earlier: what it uses may not exist yet at its new place, and what it
		// creates may now come before a line that uses it.
		from := 1 + r.IntN(len(lines)-1)
		to := max(0, from-1-r.IntN(30))
		line := lines[from]
		lines = slices.Insert(slices.Delete(lines, from, from+1), to, line)
	}
	body := strings.Join(lines, "\n")
	_, want := load(t, body, newMemRecorder(2), 1<<20, 1)
	if len(want) == 0 {
		t.Fatal("the shuffled history has no bad line: the test proves nothing")
	}
	for _, size := range []int{1, 7, 100} {
		t.Run(fmt.Sprintf("runs of %d", size), func(t *testing.T) {
			counts, got := load(t, body, newMemRecorder(uint64(size)), size, 2)
			if !slices.Equal(got, want) {
				t.Errorf("rejected lines %v, want %v", got, want)
			}
			if counts.Lines() != len(lines) {
				t.Errorf("%d lines dealt with, want %d", counts.Lines(), len(lines))
			}
		})
	}
}

// failingRecorder fails every run from the nth on, as a database that went away would.
type failingRecorder struct {
	*memRecorder
	mu   sync.Mutex
	runs int
	from int
}

func (f *failingRecorder) RecordEvents(ctx context.Context, events []graph.Event) ([]graph.Outcome, error) {
	f.mu.Lock()
	f.runs++
	fail := f.runs >= f.from
	f.mu.Unlock()
	if fail {
		return nil, &graph.Error{Code: graph.EUNAVAILABLE, Message: "database unavailable"}
	}
	return f.memRecorder.RecordEvents(ctx, events)
}

// brokenSource yields the lines of an NDJSON body, then fails as a dropped connection would.
type brokenSource struct {
	ingest.Source
	left int
}

func (b *brokenSource) Next() (int, graph.Event, error) {
	if b.left == 0 {
		return 0, nil, errors.New("connection reset")
	}
	b.left--
	return b.Source.Next()
}

// TestParallelLoadStops: when the database fails, the load ends with its error and counts
// only what was stored; when the body breaks off, everything read before is stored.
func TestParallelLoadStops(t *testing.T) {
	lines := history(t, 2000, 7)
	body := strings.Join(lines, "\n")

	rec := &failingRecorder{memRecorder: newMemRecorder(4), from: 5}
	l := ingest.Loader{Recorder: rec, BatchSize: 100, Parallel: 2}
	counts, err := l.Load(context.Background(), ingest.NewNDJSON(strings.NewReader(body)))
	if graph.ErrorCode(err) != graph.EUNAVAILABLE {
		t.Fatalf("database failure: error %v, want it passed on", err)
	}
	if counts.Lines() == 0 || counts.Lines() > 4*100 {
		t.Errorf("database failure: %+v dealt with, want the runs before the failure (at most 400 lines)", counts)
	}

	src := &brokenSource{Source: ingest.NewNDJSON(strings.NewReader(body)), left: 1234}
	counts, err = (&ingest.Loader{Recorder: newMemRecorder(5), BatchSize: 100, Parallel: 2}).Load(context.Background(), src)
	if err == nil || !strings.Contains(err.Error(), "connection reset") {
		t.Fatalf("broken body: error %v, want the reader's", err)
	}
	if counts.Accepted != 1234 || counts.Lines() != 1234 {
		t.Errorf("broken body: %+v, want the 1234 lines read before the break stored", counts)
	}
}

// countingSource counts the lines its source has handed out.
type countingSource struct {
	ingest.Source
	read atomic.Int64 // Next runs on the loader's reading goroutine
}

func (c *countingSource) Next() (int, graph.Event, error) {
	line, ev, err := c.Source.Next()
	if err == nil || !errors.Is(err, io.EOF) {
		c.read.Store(int64(line))
	}
	return line, ev, err
}

// slowRecorder stores every event, slowly, so that runs stay in flight while bad lines arrive.
type slowRecorder struct{}

func (slowRecorder) RecordEvents(ctx context.Context, events []graph.Event) ([]graph.Outcome, error) {
	time.Sleep(20 * time.Millisecond)
	outcomes := make([]graph.Outcome, len(events))
	for i := range outcomes {
		outcomes[i].Created = true
	}
	return outcomes, nil
}

// TestLoadReportsRejectionsAsItGoes feeds a good line and then 300,000 empty objects, behind
// a slow database: the rejections are handed on while the body is read, never held by the
// hundred thousand (a 3 MB body of `{}` lines took the service to 831 MB).
func TestLoadReportsRejectionsAsItGoes(t *testing.T) {
	const bad, size = 300_000, 1000
	var body strings.Builder
	body.WriteString(`{"type": "receipt", "lot": {"code": "L1", "product": "P", "quantity": 1, "unit": "kg"}, "supplier": {"id": "S", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "B", "reference": {"type": "PO", "number": "1"}}` + "\n")
	for range bad {
		body.WriteString("{}\n")
	}
	src := &countingSource{Source: ingest.NewNDJSON(strings.NewReader(body.String()))}
	reported, lag, lastLine := 0, 0, 0
	l := ingest.Loader{Recorder: slowRecorder{}, BatchSize: size, OnReject: func(r ingest.Rejection) {
		if r.Line <= lastLine {
			t.Fatalf("rejection of line %d after line %d", r.Line, lastLine)
		}
		lastLine = r.Line
		reported++
		lag = max(lag, int(src.read.Load())-reported)
	}}
	counts, err := l.Load(context.Background(), src)
	if err != nil || counts.Accepted != 1 || counts.Rejected != bad || reported != bad {
		t.Fatalf("counts %+v, %d reported, err %v", counts, reported, err)
	}
	// Read but not yet reported: a batch being decoded, one waiting, and the rejections
	// allowed to wait behind a run in flight.
	if lag > 4*size {
		t.Errorf("up to %d lines were read and not yet reported, want at most %d", lag, 4*size)
	}
}
