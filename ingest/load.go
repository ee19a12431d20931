package ingest

import (
	"context"
	"errors"
	"io"

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
const DefaultBatchSize = 1000

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
func (l *Loader) Load(ctx context.Context, src Source) (Counts, error) {
	size := l.BatchSize
	if size <= 0 {
		size = DefaultBatchSize
	}
	var counts Counts
	batch := make([]graph.Event, 0, size)
	lines := make([]int, 0, size)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		outcomes, err := l.Recorder.RecordEvents(ctx, batch)
		if err != nil {
			return err
		}
		for i, o := range outcomes {
			switch {
			case o.Err != nil:
				l.reject(&counts, lines[i], o.Err)
			case o.Created:
				counts.Accepted++
			default:
				counts.Unchanged++
			}
		}
		batch, lines = batch[:0], lines[:0]
		if l.OnBatch != nil {
			l.OnBatch(counts)
		}
		return nil
	}
	for {
		if err := ctx.Err(); err != nil {
			return counts, err
		}
		line, ev, err := src.Next()
		if errors.Is(err, io.EOF) {
			return counts, flush()
		}
		var lineErr *graph.Error
		if errors.As(err, &lineErr) {
			l.reject(&counts, line, err)
			continue
		}
		if err != nil {
			if ferr := flush(); ferr != nil {
				return counts, ferr
			}
			return counts, err
		}
		batch = append(batch, ev)
		lines = append(lines, line)
		if len(batch) == size {
			if err := flush(); err != nil {
				return counts, err
			}
		}
	}
}

func (l *Loader) reject(counts *Counts, line int, err error) {
	counts.Rejected++
	if l.OnReject != nil {
		l.OnReject(Rejection{Line: line, Code: graph.ErrorCode(err), Message: graph.ErrorMessage(err), Errors: graph.ErrorFields(err)})
	}
}
