// One recall case with every scope version, hold and step.
// Parameters: $id (case id).
// Returns one row, or none when the case does not exist: case (node), scopes (list of
//   {version, started_at, computed_at, snapshot}, oldest first), holds (list of {lot,
//   enforced, placed_at, released_at, released_by, release_reason}, by lot), steps (list of
//   {id, kind, at, by, customer, on_hand, returned, destroyed, unit, note}, in the order
//   recorded).
MATCH (c:RecallCase {id: $id})
RETURN c AS case,
       COLLECT {
         MATCH (c)-[:SCOPED]->(s:RecallScope)
         RETURN s {.version, .started_at, .computed_at, .snapshot} ORDER BY s.version
       } AS scopes,
       COLLECT {
         MATCH (c)-[h:HOLDS]->(l:Lot)
         RETURN {lot: l.code, enforced: h.enforced, placed_at: h.placed_at, released_at: h.released_at,
                 released_by: h.released_by, release_reason: h.release_reason} ORDER BY l.code
       } AS holds,
       COLLECT {
         MATCH (c)-[:STEP]->(s:RecallStep)
         RETURN s {.id, .kind, .at, .by, .customer, .on_hand, .returned, .destroyed, .unit, .note} ORDER BY s.at, s.id
       } AS steps
