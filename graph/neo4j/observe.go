package neo4j

import (
	"context"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

// QueryObserver is told how long each statement took, by the statement's name (its .cypher
// file's name; OtherQuery for text that is not one of ours), and the error it ended with
// (nil on success). It is called from request goroutines, so it must be safe for concurrent
// use. It lets the command time queries (for metrics) without this package knowing how.
type QueryObserver func(name string, took time.Duration, err error)

// OtherQuery names a statement that is not one of the embedded ones.
const OtherQuery = "other"

// observedResult reports the statement's time the first time its result is exhausted,
// collected, consumed or fails. A result abandoned part-way is not reported; the store reads
// every result to its end.
type observedResult struct {
	driver.ResultWithContext
	finish func(error)
	done   bool
}

func (r *observedResult) end(err error) {
	if !r.done {
		r.done = true
		r.finish(err)
	}
}

func (r *observedResult) Next(ctx context.Context) bool {
	more := r.ResultWithContext.Next(ctx)
	if !more {
		r.end(r.ResultWithContext.Err())
	}
	return more
}

func (r *observedResult) NextRecord(ctx context.Context, record **driver.Record) bool {
	more := r.ResultWithContext.NextRecord(ctx, record)
	if !more {
		r.end(r.ResultWithContext.Err())
	}
	return more
}

func (r *observedResult) Records(ctx context.Context) func(yield func(*driver.Record, error) bool) {
	records := r.ResultWithContext.Records(ctx)
	return func(yield func(*driver.Record, error) bool) {
		var last error
		records(func(rec *driver.Record, err error) bool {
			if err != nil {
				last = err
			}
			return yield(rec, err)
		})
		r.end(last)
	}
}

func (r *observedResult) Collect(ctx context.Context) ([]*driver.Record, error) {
	recs, err := r.ResultWithContext.Collect(ctx)
	r.end(err)
	return recs, err
}

func (r *observedResult) Single(ctx context.Context) (*driver.Record, error) {
	rec, err := r.ResultWithContext.Single(ctx)
	r.end(err)
	return rec, err
}

func (r *observedResult) Consume(ctx context.Context) (driver.ResultSummary, error) {
	summary, err := r.ResultWithContext.Consume(ctx)
	r.end(err)
	return summary, err
}
