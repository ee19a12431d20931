package cypher

// The audit trail's statements (LOT_TRACE_AUDIT_SINKS=neo4j), apart from the graph's.
var (
	AuditAppend = load("audit_append.cypher")
	AuditRecent = load("audit_recent.cypher")
	AuditStored = load("audit_stored.cypher")
)
