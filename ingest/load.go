package ingest

import (
	"context"
	"errors"
	"io"
	"sort"

	"github.com/lot-trace/lot-trace/graph"
)

// Recorder stores runs of events; *graph.Store satisfies it.
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
	Line    int                `json:"line"`
	Code    string             `json:"-"` // the graph error code; the API shows it as a status
	Message string             `json:"message"`
	Errors  []graph.FieldError `json:"errors,omitempty"`
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

// Loader feeds a Source into a Recorder in batches, in order.
type Loader struct {
	Recorder  Recorder
	BatchSize int
	// OnReject is called for every line that is not stored (optional).
	OnReject func(Rejection)
	// OnBatch is called after each stored batch with the running counts (optional).
	OnBatch func(Counts)
}

// Load reads src to its end. Lines are stored, found unchanged or rejected one by one; a bad
// line never takes good lines down with it. It stops early only when the source cannot be
// read or the database fails, and then returns the counts of what was done before.
//
// Reading and decoding run one batch ahead of the database, so that the two overlap.
func (l *Loader) Load(ctx context.Context, src Source) (Counts, error) {
	size := l.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan batch, 1)
	go readBatches(ctx, src, size, batches)

	var counts Counts
	for b := range batches {
		var outcomes []graph.Outcome
		if len(b.events) > 0 {
			var err error
			if outcomes, err = l.Recorder.RecordEvents(ctx, b.events); err != nil {
				return counts, err
			}
		}
		l.tally(&counts, b, outcomes)
		if b.err != nil {
			return counts, b.err
		}
		if l.OnBatch != nil {
			l.OnBatch(counts)
		}
	}
	return counts, ctx.Err()
}

// batch is a run of decoded events with their lines, the lines that did not decode, and the
// error that ended the source early, if any.
type batch struct {
	events   []graph.Event
	lines    []int
	rejected []Rejection
	err      error
}

// readBatches decodes src into batches of up to size events and closes out at the end.
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
		if len(b.events) == size {
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

// tally counts a recorded batch and reports its rejections in line order.
func (l *Loader) tally(counts *Counts, b batch, outcomes []graph.Outcome) {
	rejected := b.rejected
	for i, o := range outcomes {
		switch {
		case o.Err != nil:
			rejected = append(rejected, rejection(b.lines[i], o.Err))
		case o.Created:
			counts.Accepted++
		default:
			counts.Unchanged++
		}
	}
	sort.SliceStable(rejected, func(i, j int) bool { return rejected[i].Line < rejected[j].Line })
	counts.Rejected += len(rejected)
	if l.OnReject != nil {
		for _, r := range rejected {
			l.OnReject(r)
		}
	}
}

func rejection(line int, err error) Rejection {
	return Rejection{Line: line, Code: graph.ErrorCode(err), Message: graph.ErrorMessage(err), Errors: graph.ErrorFields(err)}
}
