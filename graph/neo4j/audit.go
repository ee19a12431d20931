package neo4j

import (
	"context"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/cypher"
)

// AppendAudit records one audit entry (LOT_TRACE_AUDIT_SINKS=neo4j) in a write transaction of
// its own: the caller's bookmarks (graph.Bookmarks) are not used, and the answer's bookmark
// does not include it, so that a client's causal chain holds only the data it wrote.
func (s *Store) AppendAudit(ctx context.Context, r audit.Record) error {
	_, err := writeTx(ctx, s, "graph.AppendAudit", func(t txn) (driver.ResultSummary, error) {
		return consume(ctx, t, cypher.AuditAppend, map[string]any{
			"id": r.ID, "phase": r.Phase, "at": r.At, "ended": r.Ended,
			"key": r.Key, "route": r.Route, "status": r.Status, "line": r.Line,
		})
	})
	return err
}

// auditSkew covers entries of calls that ended together and were written in either order, as
// the file's reader does.
const auditSkew = time.Second

// RecentAudit reads the newest calls of the trail. It reads on the leader, in a write-mode
// transaction that only reads: an entry is written by whichever replica served the call,
// with no bookmark the reader could know, and the leader holds every committed entry, where
// a secondary may lag. It is an administrator's rare read, so the leader's load does not
// matter; every other read of the service is a read transaction, routed to secondaries.
func (s *Store) RecentAudit(ctx context.Context, since time.Time, limit int) ([]string, error) {
	lines, err := execute(ctx, s, driver.AccessModeWrite, func(t txn) ([]string, error) {
		return collect(ctx, t, cypher.AuditRecent, map[string]any{
			"from": since.UTC().Add(-auditSkew), "since": since.UTC(), "limit": limit,
		}, func(r *row) string { return r.Str("line") })
	})
	return lines, classify("graph.RecentAudit", err)
}
