// Records one audit entry (a call's begin or end). MERGE on (id, phase), the uniqueness
// constraint audit_entry_unique: a write the driver retries after a lost commit answer finds
// its entry stored and leaves it as it is.
// Parameters: $id, $phase ("begin" or "end"), $at (when the call arrived), $ended (when it
//   ended; a begin entry: $at), $key, $route, $status (0 for a begin entry), $line (the
//   entry as one JSON line, audit.Encode: what GET /api/v1/audit answers).
// Returns: nothing.
MERGE (e:AuditEntry {id: $id, phase: $phase})
ON CREATE SET e.at = $at, e.ended = $ended, e.key = $key, e.route = $route, e.status = $status, e.line = $line
