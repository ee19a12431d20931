package neo4j

import (
	"fmt"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
)

func TestIsDeadlock(t *testing.T) {
	deadlock := &driver.Neo4jError{Code: "Neo.TransientError.Transaction.DeadlockDetected"}
	other := &driver.Neo4jError{Code: "Neo.TransientError.General.DatabaseUnavailable"}
	for _, tt := range []struct {
		err  error
		want bool
	}{
		{deadlock, true},
		{fmt.Errorf("wrapped: %w", deadlock), true},
		{&driver.TransactionExecutionLimit{Cause: "timeout", Errors: []error{other, deadlock}}, true},
		{&driver.TransactionExecutionLimit{Cause: "timeout", Errors: []error{deadlock, other}}, false},
		{other, false},
		{nil, false},
	} {
		if got := isDeadlock(tt.err); got != tt.want {
			t.Errorf("isDeadlock(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}
