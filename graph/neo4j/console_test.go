package neo4j

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/console"
)

func TestUnshiftPosition(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Invalid input ')' (line 2, column 14 (offset: 56))", "Invalid input ')' (line 1, column 14 (offset: 48))"},
		{"Invalid input (line 3, column 1 (offset: 70))", "Invalid input (line 2, column 1 (offset: 62))"},
		{"Expected exactly one statement per query but got: 2 (line 0, column 0 (offset: 8))", "Expected exactly one statement per query but got: 2 (line 0, column 0 (offset: 0))"},
	}
	for _, tt := range tests {
		err := unshiftPosition(&driver.Neo4jError{Code: "Neo.ClientError.Statement.SyntaxError", Msg: tt.in})
		var ne *driver.Neo4jError
		if !errors.As(err, &ne) || ne.Msg != tt.want || ne.Code != "Neo.ClientError.Statement.SyntaxError" {
			t.Errorf("unshiftPosition(%q) = %v, want %q", tt.in, err, tt.want)
		}
	}
}

func TestClassifyQuery(t *testing.T) {
	tests := []struct {
		code, want string
	}{
		{"Neo.DatabaseError.General.UnknownError", graph.EMALFORMED}, // RETURN 1 \u0043ALL
		{"Neo.DatabaseError.Statement.ExecutionFailed", graph.EMALFORMED},
		{"Neo.TransientError.General.DatabaseUnavailable", graph.EUNAVAILABLE},
		{"Neo.TransientError.Transaction.LockClientStopped", graph.EUNAVAILABLE},
		{"Neo.ClientError.Statement.SyntaxError", graph.EMALFORMED},
		{"Neo.ClientError.Statement.AccessMode", graph.EFORBIDDEN},
		{"Neo.ClientError.Transaction.TransactionTimedOutClientConfiguration", graph.EINVALID},
	}
	for _, tt := range tests {
		err := classifyQuery(context.Background(), &driver.Neo4jError{Code: tt.code, Msg: "Index 12 out of bounds for length 12"}, time.Second)
		if got := graph.ErrorCode(err); got != tt.want {
			t.Errorf("%s: %v (code %q), want %q", tt.code, err, got, tt.want)
		}
		if tt.want == graph.EMALFORMED && !strings.Contains(graph.ErrorMessage(err), "Index 12 out of bounds") {
			t.Errorf("%s: %q does not carry Neo4j's message", tt.code, graph.ErrorMessage(err))
		}
	}
}

// A console query whose deadline has passed failed because of it, whatever the driver calls
// the connection it cut: a timeout (422), not an unavailable database (503).
func TestClassifyQueryPastTheDeadline(t *testing.T) {
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	cut := &driver.ConnectivityError{Inner: errors.New("read tcp: i/o timeout")}
	if got := graph.ErrorCode(classifyQuery(ctx, cut, time.Second)); got != graph.EINVALID {
		t.Errorf("a connectivity error past the deadline: code %q, want %q", got, graph.EINVALID)
	}
	if got := graph.ErrorCode(classifyQuery(context.Background(), cut, time.Second)); got != graph.EUNAVAILABLE {
		t.Errorf("a connectivity error before the deadline: code %q, want %q", got, graph.EUNAVAILABLE)
	}
}

// TestResultRowStopsAtTheByteCap converts a row holding a list of five million integers (what
// RETURN range(1, 5000000) gives) with an 8 MiB budget: the conversion must fail, and stop
// early rather than copy the whole list first.
func TestResultRowStopsAtTheByteCap(t *testing.T) {
	huge := make([]any, 5_000_000)
	for i := range huge {
		huge[i] = int64(i + 1000)
	}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, _, ok := resultRow([]any{huge}, console.DefaultMaxBytes)
	runtime.ReadMemStats(&after)
	if ok {
		t.Fatal("a row of 5,000,000 integers fits an 8 MiB budget")
	}
	// A whole copy is at least 5,000,000 16-byte interface values (76 MiB); stopping at the
	// budget keeps about 400,000 of them, allocated a few times over as the list grows.
	if grew := after.TotalAlloc - before.TotalAlloc; grew > 48<<20 {
		t.Errorf("converting allocated %d MiB before stopping, want it to stop near the 8 MiB budget", grew>>20)
	}

	// Rows that fit come back whole, with what is left of the budget.
	small := []any{"a<b", int64(42), []any{true, nil, 1.5}, map[string]any{"k": "v"}}
	row, left, ok := resultRow(small, 1000)
	raw, _ := json.Marshal(row)
	if !ok || len(row) != 4 || left <= 0 || 1000-left < len(raw) {
		t.Errorf("a small row: ok=%v left=%d, want it whole with at least its JSON size (%d bytes, %s) spent", ok, left, len(raw), raw)
	}
}

func TestJSONStringSizeCoversEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `q"uote\`, "<script>&", "\x00\x01\n\t", "café ✓"} {
		raw, _ := json.Marshal(s)
		if got := jsonStringSize(s); got < len(raw) {
			t.Errorf("jsonStringSize(%q) = %d, below its JSON size %d", s, got, len(raw))
		}
	}
}
