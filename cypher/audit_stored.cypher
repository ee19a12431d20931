// Whether the database holds audit entries (LOT_TRACE_AUDIT_SINKS=neo4j, now or before): the
// console then refuses the operators that reach nodes of any label. A count from the count
// store, so it costs nothing whatever the size of the trail.
// Parameters: none.
// Returns: stored (boolean), one row.
MATCH (e:AuditEntry)
RETURN count(e) > 0 AS stored
