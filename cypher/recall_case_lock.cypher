// Takes a recall case's write lock before a step, a release or a close changes it, and reads
// its state under the lock: a step and a close never cross.
// Parameters: $id (case id), $at (the time of the change).
// Returns one row: state, or none when the case does not exist.
MATCH (c:RecallCase {id: $id})
SET c.updated_at = $at
RETURN c.state AS state
