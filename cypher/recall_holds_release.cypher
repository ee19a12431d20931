// Releases a recall case's holds on the lots given that it still holds: the HOLDS keeps who
// released it, when and why, and an enforced hold's case leaves the lot's held_by.
// Parameters: $case_id, $lots (list of lot codes), $released_at, $released_by, $reason.
// Returns: lot, one row per hold released (a lot the case does not hold gives none).
MATCH (c:RecallCase {id: $case_id})
UNWIND $lots AS code
MATCH (c)-[h:HOLDS]->(l:Lot {code: code})
WHERE h.released_at IS NULL
SET l.write_lock = true // the lot's lock first, as recall_holds_place takes it
REMOVE l.write_lock
SET h.released_at = $released_at, h.released_by = $released_by, h.release_reason = $reason
FOREACH (_ IN CASE WHEN h.enforced THEN [1] ELSE [] END | SET l.held_by = [x IN coalesce(l.held_by, []) WHERE x <> c.id])
RETURN l.code AS lot
