package neo4j

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// TestTxTimeoutFollowsTheDeadline: a context deadline becomes Neo4j's transaction timeout (a
// moment after it, and never zero, which Neo4j reads as none); no deadline, no timeout.
func TestTxTimeoutFollowsTheDeadline(t *testing.T) {
	if opts := txTimeout(context.Background()); len(opts) != 0 {
		t.Errorf("no deadline gave %d options, want none", len(opts))
	}
	for _, left := range []time.Duration{-time.Second, 0, 2 * time.Second} {
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(left))
		var cfg driver.TransactionConfig
		for _, o := range txTimeout(ctx) {
			o(&cfg)
		}
		cancel()
		if cfg.Timeout < txTimeoutMargin/2 || cfg.Timeout > max(left, 0)+txTimeoutMargin {
			t.Errorf("deadline in %v: transaction timeout %v, want up to %v and never near zero", left, cfg.Timeout, max(left, 0)+txTimeoutMargin)
		}
	}
}

// fakeRunner answers every statement with an empty result and remembers the text it ran.
type fakeRunner struct{ texts []string }

func (f *fakeRunner) Run(_ context.Context, text string, _ map[string]any) (driver.ResultWithContext, error) {
	f.texts = append(f.texts, text)
	return emptyResult{}, nil
}

// emptyResult is a result with no rows; only what the store calls on it is implemented.
type emptyResult struct{ driver.ResultWithContext }

func (emptyResult) Consume(context.Context) (driver.ResultSummary, error) { return nil, nil }

// TestTxnTimesStatementsByName: a statement is timed by its name, also with its hop bound
// filled in; text that is not one of ours is OtherQuery.
func TestTxnTimesStatementsByName(t *testing.T) {
	var names []string
	runner := &fakeRunner{}
	tx := txn{tx: runner, observe: func(name string, _ time.Duration, err error) {
		if err != nil {
			t.Errorf("%s reported the error %v", name, err)
		}
		names = append(names, name)
	}}
	ctx := context.Background()
	for _, st := range []cypher.Statement{cypher.LotDetail, cypher.TraceForward.WithHops(3)} {
		if _, err := consume(ctx, tx, st, nil); err != nil {
			t.Fatal(err)
		}
	}
	res, err := tx.runText(ctx, "MATCH (n) RETURN n", nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := res.Consume(ctx); err != nil {
		t.Fatal(err)
	}
	if want := []string{"lot_detail", "trace_forward", OtherQuery}; !slices.Equal(names, want) {
		t.Errorf("reported %v, want %v", names, want)
	}
	if len(runner.texts) != 3 || !strings.Contains(runner.texts[1], "*0..3]") {
		t.Errorf("ran %q, want the trace with its bound filled in", runner.texts)
	}
}
