package ingest

import (
	"context"
	"errors"
	"io"
	"math"
	"sort"

	"github.com/lot-trace/lot-trace/graph"
)

// Recorder stores runs of events; *neo4j.Store satisfies it. A Loader calls it from several
// goroutines at once (Loader.Parallel), so it must be safe for concurrent use.
type Recorder interface {
	RecordEvents(ctx context.Context, events []graph.Event) ([]graph.Outcome, error)
}

// Source yields events one at a time with the 1-based line they start on. A bad line comes
// back as an error of type *graph.Error; io.EOF ends the source; any other error (the reader
// failed) ends the load.
type Source interface {
	Next() (line int, ev graph.Event, err error)
}

// Rejection is one line that was not stored, and why.
type Rejection struct {
	Line    int
	Code    string // the graph error code; the API shows it as a status
	Message string
	Errors  []graph.FieldError
}

// Counts says what a load did with its lines.
type Counts struct {
	Accepted  int `json:"accepted"`  // stored now
	Unchanged int `json:"unchanged"` // already stored, identical
	Rejected  int `json:"rejected"`
}

// Lines is the number of events the load has dealt with.
func (c Counts) Lines() int { return c.Accepted + c.Unchanged + c.Rejected }

// DefaultBatchSize is how many events go into one transaction: large enough that bulk loads
// are fast, small enough that one transaction stays well inside Neo4j's memory.
const DefaultBatchSize = 5000

// DefaultParallel is how many runs are stored at once. A run's transaction leaves Neo4j idle
// while the service plans it and between its statements; a second run fills that time.
const DefaultParallel = 2

// Loader feeds a Source into a Recorder in runs of events, as if one by one in line order.
type Loader struct {
	Recorder  Recorder
	BatchSize int
	// Parallel is how many runs may be stored at once (DefaultParallel when 0; 1 stores one
	// run after the other). Runs stored at once never depend on each other: an event that
	// depends on a run still being stored is held back to a later run (see keyTracker).
	Parallel int
	// OnReject is called for every line that is not stored (optional), in line order.
	OnReject func(Rejection)
	// OnBatch is called after each stored run with the running counts (optional).
	OnBatch func(Counts)
}

// Load reads src to its end. Lines are stored, found unchanged or rejected one by one; a bad
// line never takes good lines down with it. It stops early only when the source cannot be
// read or the database fails, and then returns the counts of what was done before.
//
// Reading and decoding run one batch ahead of the database, so that the two overlap, and up to
// Parallel runs are stored at once.
func (l *Loader) Load(ctx context.Context, src Source) (Counts, error) {
	size := l.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 1)
	go readBatches(ctx, src, size, batches)

	s := &scheduler{loader: l, ctx: ctx, size: size, parallel: l.Parallel, done: make(chan runResult), inFlight: map[*run]bool{}}
	if s.parallel <= 0 {
		s.parallel = DefaultParallel
	}
	tracker := newKeyTracker() // sees every event, in line order
	var readErr error
	for b := range batches {
		s.rejections = append(s.rejections, b.rejected...)
		s.report(s.firstPendingLine())
		// A rejection waits for the lines before it; a body of bad lines behind a run in
		// flight must not pile them up, so memory stays flat whatever the input.
		for s.err == nil && len(s.rejections) > size && (len(s.inFlight) > 0 || len(s.held) > 0) {
			if len(s.inFlight) == 0 {
				s.startRun()
			} else {
				s.finishOne()
			}
		}
		for i, ev := range b.events {
			s.held = append(s.held, heldEvent{ev: ev, line: b.lines[i], keys: tracker.keys(ev)})
		}
		// One run a batch read keeps both sides busy; more when events were held back, so
		// that what is held stays under a batch and memory stays flat whatever the input.
		s.startRun()
		for s.err == nil && len(s.held) >= size {
			s.startRun()
		}
		if b.err != nil {
			readErr = b.err
			break
		}
		if s.err != nil {
			break
		}
	}
	// What is left was held back or arrived last: store it as the runs before it finish.
	for s.err == nil && len(s.held) > 0 {
		s.startRun()
	}
	if s.err != nil {
		cancel() // the load has failed: the runs in flight and the reader need not go on
	}
	for len(s.inFlight) > 0 {
		s.finishOne()
	}
	s.report(math.MaxInt)
	if s.err != nil {
		return s.counts, s.err
	}
	if readErr != nil {
		return s.counts, readErr
	}
	return s.counts, ctx.Err()
}

// scheduler runs the Recorder on runs of held events, up to parallel at once.
type scheduler struct {
	loader   *Loader
	ctx      context.Context
	size     int // most events in a run
	parallel int

	held       []heldEvent // read, not yet given to a run; in line order
	inFlight   map[*run]bool
	done       chan runResult
	counts     Counts
	rejections []Rejection // not reported yet: lines before them are still being stored
	err        error       // the first failure of the database; no run starts after it
}

// heldEvent is an event waiting for its run, with its line and keys.
type heldEvent struct {
	ev   graph.Event
	line int
	keys eventKeys
}

// run is a group of events stored in one transaction.
type run struct {
	events []graph.Event
	lines  []int
	keys   keySet
}

type runResult struct {
	run      *run
	outcomes []graph.Outcome
	err      error
}

// startRun starts one run as soon as there is room and some held event can be stored: the
// held events, in line order, that depend on no run in flight and on no event held back
// before them. It returns at once when nothing is held or the database has failed.
func (s *scheduler) startRun() {
	for s.err == nil && len(s.held) > 0 {
		if len(s.inFlight) >= s.parallel {
			s.finishOne()
			continue
		}
		r := s.takeRun()
		if r == nil { // every held event waits for a run in flight (never so when none is)
			s.finishOne()
			continue
		}
		s.inFlight[r] = true
		go func() {
			outcomes, err := s.loader.Recorder.RecordEvents(s.ctx, r.events)
			s.done <- runResult{run: r, outcomes: outcomes, err: err}
		}()
		return
	}
}

// takeRun moves the held events that can be stored now into a new run; nil when none can.
func (s *scheduler) takeRun() *run {
	blocked := newKeySet()
	for r := range s.inFlight {
		blocked.addSet(r.keys)
	}
	r := &run{keys: newKeySet()}
	var still []heldEvent
	for i, h := range s.held {
		if len(r.events) == s.size {
			still = append(still, s.held[i:]...)
			break
		}
		if blocked.conflicts(h.keys) {
			blocked.add(h.keys) // whatever depends on a held-back event waits too
			still = append(still, h)
			continue
		}
		r.events = append(r.events, h.ev)
		r.lines = append(r.lines, h.line)
		r.keys.add(h.keys)
	}
	if len(r.events) == 0 {
		return nil
	}
	s.held = still
	return r
}

// finishOne waits for a run in flight to end, counts it, and reports the rejections no line
// still in flight or held comes before.
func (s *scheduler) finishOne() {
	res := <-s.done
	delete(s.inFlight, res.run)
	if res.err != nil {
		if s.err == nil {
			s.err = res.err
		}
		return
	}
	for i, o := range res.outcomes {
		switch {
		case o.Err != nil:
			s.rejections = append(s.rejections, rejection(res.run.lines[i], o.Err))
		case o.Created:
			s.counts.Accepted++
		default:
			s.counts.Unchanged++
		}
	}
	s.report(s.firstPendingLine())
	if s.loader.OnBatch != nil {
		s.loader.OnBatch(s.counts)
	}
}

// firstPendingLine is the first line still held or being stored.
func (s *scheduler) firstPendingLine() int {
	first := math.MaxInt
	if len(s.held) > 0 {
		first = s.held[0].line
	}
	for r := range s.inFlight {
		first = min(first, r.lines[0])
	}
	return first
}

// report counts and hands on, in line order, the rejections of lines before line.
func (s *scheduler) report(line int) {
	sort.SliceStable(s.rejections, func(i, j int) bool { return s.rejections[i].Line < s.rejections[j].Line })
	n := sort.Search(len(s.rejections), func(i int) bool { return s.rejections[i].Line >= line })
	for _, r := range s.rejections[:n] {
		s.counts.Rejected++
		if s.loader.OnReject != nil {
			s.loader.OnReject(r)
		}
	}
	s.rejections = s.rejections[n:]
}

// batch is a run of decoded events with their lines, the lines that did not decode, and the
// error that ended the source early, if any.
type batch struct {
	events   []graph.Event
	lines    []int
	rejected []Rejection
	err      error
}

// readBatches decodes src into batches of up to size events (or size rejected lines) and
// closes out at the end.
func readBatches(ctx context.Context, src Source, size int, out chan<- batch) {
	defer close(out)
	b := batch{}
	for {
		line, ev, err := src.Next()
		var lineErr *graph.Error
		switch {
		case errors.Is(err, io.EOF):
			send(ctx, out, b)
			return
		case errors.As(err, &lineErr):
			b.rejected = append(b.rejected, rejection(line, err))
		case err != nil:
			b.err = err
			send(ctx, out, b)
			return
		default:
			b.events = append(b.events, ev)
			b.lines = append(b.lines, line)
		}
		if len(b.events) == size || len(b.rejected) == size { // a batch holds size lines at most
			if !send(ctx, out, b) {
				return
			}
			b = batch{}
		}
	}
}

func send(ctx context.Context, out chan<- batch, b batch) bool {
	select {
	case out <- b:
		return true
	case <-ctx.Done():
		return false
	}
}

func rejection(line int, err error) Rejection {
	return Rejection{Line: line, Code: graph.ErrorCode(err), Message: graph.ErrorMessage(err), Errors: graph.ErrorFields(err)}
}
