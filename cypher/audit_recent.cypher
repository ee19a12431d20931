// The newest calls of the audit trail: each call's end entry, or its begin entry while it
// has none (the call is running, or its process stopped during it), newest end first. The
// range seek on audit_entry_ended gives the order, so Neo4j stops after $limit entries.
// Parameters: $from (a second before $since: entries that ended before it cannot have
//   arrived at or after $since), $since (calls that arrived at or after it), $limit.
// Returns: line (the entry's JSON line), one row an entry.
MATCH (e:AuditEntry) USING INDEX e:AuditEntry(ended)
WHERE e.ended >= $from AND e.at >= $since
  AND (e.phase = 'end' OR NOT EXISTS { MATCH (x:AuditEntry {id: e.id, phase: 'end'}) })
WITH e ORDER BY e.ended DESC
LIMIT $limit
RETURN e.line AS line
