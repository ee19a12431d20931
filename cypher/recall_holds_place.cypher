// Places a recall case's holds: one HOLDS per lot, kept when released (released_at, _by,
// release_reason). An enforced hold (a real case's) also adds the case to the lot's held_by
// list, which the write path reads (lookup_existing, held_lots). The lot's write lock is
// taken first (as held_lots takes it), so that a shipment or production using the lot either
// commits before the hold or sees it, and two cases holding one lot never lose each other's
// id from held_by.
// Parameters: $case_id, $holds (list of maps {lot, enforced, placed_at}, by lot code).
// Returns: lot, one row per hold placed.
MATCH (c:RecallCase {id: $case_id})
UNWIND $holds AS h
MATCH (l:Lot {code: h.lot}) USING INDEX SEEK l:Lot(code)
SET l.write_lock = true
REMOVE l.write_lock
CREATE (c)-[:HOLDS {enforced: h.enforced, placed_at: h.placed_at}]->(l)
FOREACH (_ IN CASE WHEN h.enforced THEN [1] ELSE [] END | SET l.held_by = coalesce(l.held_by, []) + c.id)
RETURN l.code AS lot
