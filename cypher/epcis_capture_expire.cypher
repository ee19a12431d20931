// Ends, as failed, the capture jobs whose worker stopped (the service was stopped or died):
// running, but not heard of since $stale. A rollback job's transaction died with it; a proceed
// job stored the events before the cut.
// Parameters: $stale (datetime), $errors (JSON text, the reason given each job).
// Returns one row: expired (how many jobs).
OPTIONAL MATCH (j:EpcisCapture) WHERE j.running AND j.heartbeat_at < $stale
SET j.running = false, j.success = false, j.finished_at = datetime(), j.errors = $errors, j.notes = coalesce(j.notes, '[]')
RETURN count(j) AS expired
