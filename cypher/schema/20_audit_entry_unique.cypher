// The audit trail kept in Neo4j (LOT_TRACE_AUDIT_SINKS=neo4j): each call has one begin and
// one end entry, and a retried write finds its entry stored (audit_append MERGEs on these).
// The entries are nodes without relationships: the console's plan check keeps analysts out
// of them by their label (graph/console/protected.go), and no walk of the genealogy can
// reach one.
CREATE CONSTRAINT audit_entry_unique IF NOT EXISTS
FOR (e:AuditEntry) REQUIRE (e.id, e.phase) IS UNIQUE
