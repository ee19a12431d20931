// Closes a recall case (recall_case_lock has checked that it is open).
// Parameters: $id, $closed_at, $closed_by, $conclusion.
// Returns: nothing; the caller checks the counters.
MATCH (c:RecallCase {id: $id})
SET c.state = 'closed', c.closed_at = $closed_at, c.closed_by = $closed_by, c.conclusion = $conclusion
