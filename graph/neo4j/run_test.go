package neo4j

import (
	"context"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
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
