package neo4j

import (
	"context"
	"errors"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// txn is the transaction store code runs statements in. It never hands out the driver's
// transaction: a statement runs by its cypher.Statement, so that it is timed by its name at
// this one place, whichever store method runs it.
type txn struct {
	tx      runner
	observe QueryObserver // nil: statements are not timed
}

// runner is the part of a driver transaction txn uses: a managed one, or the console's
// explicit one.
type runner interface {
	Run(ctx context.Context, cypher string, params map[string]any) (driver.ResultWithContext, error)
}

// run runs one of our statements; its time is reported under st.Name.
func (t txn) run(ctx context.Context, st cypher.Statement, params map[string]any) (driver.ResultWithContext, error) {
	return t.timed(ctx, st.Name, st.Text, params)
}

// runText runs text that is not one of our statements (an analyst's query); its time is
// reported as OtherQuery.
func (t txn) runText(ctx context.Context, text string, params map[string]any) (driver.ResultWithContext, error) {
	return t.timed(ctx, OtherQuery, text, params)
}

// timed runs text; its time is reported once its result has been read to the end, so that
// it includes streaming the rows, not just the first answer.
func (t txn) timed(ctx context.Context, name, text string, params map[string]any) (driver.ResultWithContext, error) {
	if t.observe == nil {
		return t.tx.Run(ctx, text, params)
	}
	start := time.Now()
	res, err := t.tx.Run(ctx, text, params)
	if err != nil {
		t.observe(name, time.Since(start), err)
		return res, err
	}
	return &observedResult{ResultWithContext: res, finish: func(err error) { t.observe(name, time.Since(start), err) }}, nil
}

// txn wraps a driver transaction for store code.
func (s *Store) txn(tx runner) txn { return txn{tx: tx, observe: s.observe} }

// readTx runs work in one managed read transaction, which the driver retries on transient
// failures, and classifies its error as op's. When ctx has a deadline (the API's per-route
// query timeout), Neo4j is given it as the transaction's timeout too, so that a query the
// caller gave up on stops on the server.
func readTx[T any](ctx context.Context, s *Store, op string, work func(txn) (T, error)) (T, error) {
	out, err := execute(ctx, s, driver.AccessModeRead, work, txTimeout(ctx)...)
	return out, classify(op, err)
}

// writeTx runs work in one managed write transaction, which the driver retries on transient
// failures, and classifies its error as op's. Writes keep the driver's own timeout: a bulk
// run may take longer than any one request's deadline.
func writeTx[T any](ctx context.Context, s *Store, op string, work func(txn) (T, error)) (T, error) {
	out, err := execute(ctx, s, driver.AccessModeWrite, work)
	return out, classify(op, err)
}

// execute runs work in one managed transaction of the mode and returns the driver's error
// as it is.
func execute[T any](ctx context.Context, s *Store, mode driver.AccessMode, work func(txn) (T, error), configurers ...func(*driver.TransactionConfig)) (T, error) {
	sess := s.session(ctx, mode)
	defer sess.Close(ctx)
	managed := func(tx driver.ManagedTransaction) (T, error) { return work(s.txn(tx)) }
	if mode == driver.AccessModeWrite {
		return driver.ExecuteWrite(ctx, sess, managed, configurers...)
	}
	return driver.ExecuteRead(ctx, sess, managed, configurers...)
}

// streamTx runs work in one managed read transaction whose session pulls streamFetchSize
// records at a time, for answers handed on as they are read. The driver retries a transient
// failure only until work has handed something over (it sets guard.started): a retry after
// that is errStreamStarted. An error of the sink work hands rows to (a sinkError) is returned
// as it is, any other classified as op's. It keeps the driver's own timeout, as the streamed
// answers always have.
func streamTx(ctx context.Context, s *Store, op string, work func(txn, *streamGuard) error) error {
	s.connectFirst(ctx)
	sess := s.driver.NewSession(ctx, s.sessionConfig(ctx, driver.AccessModeRead, streamFetchSize))
	defer sess.Close(ctx)
	guard := &streamGuard{}
	_, err := sess.ExecuteRead(ctx, func(tx driver.ManagedTransaction) (any, error) {
		if err := guard.retry(); err != nil {
			return nil, err
		}
		return nil, work(s.txn(tx), guard)
	})
	var se sinkError
	if errors.As(err, &se) {
		return se.err
	}
	return classify(op, err)
}

func (s *Store) session(ctx context.Context, mode driver.AccessMode) driver.SessionWithContext {
	s.connectFirst(ctx)
	return s.driver.NewSession(ctx, s.sessionConfig(ctx, mode, 0))
}

// sessionConfig is a session's configuration: its mode, the database, and the request's
// causal-consistency bookmarks (graph.Bookmarks), which the session waits for and advances
// (bookmarks.go). fetchSize 0 is the driver's default.
func (s *Store) sessionConfig(ctx context.Context, mode driver.AccessMode, fetchSize int) driver.SessionConfig {
	return driver.SessionConfig{AccessMode: mode, DatabaseName: s.database, FetchSize: fetchSize, BookmarkManager: bookmarkManager(ctx)}
}

// txTimeoutMargin lets the caller's own deadline pass first, so that it, not the server's
// error, reports the timeout; the server stops the query a moment later.
const txTimeoutMargin = time.Second

// txTimeout is the transaction timeout for ctx's deadline, none without one. It is never
// zero, which Neo4j would read as "no timeout".
func txTimeout(ctx context.Context) []func(*driver.TransactionConfig) {
	deadline, ok := ctx.Deadline()
	if !ok {
		return nil
	}
	return []func(*driver.TransactionConfig){driver.WithTxTimeout(max(time.Until(deadline), 0) + txTimeoutMargin)}
}
