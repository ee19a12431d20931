// Lists recall cases, newest first, filtered by kind, state and opening time (each filter
// null: any).
// Parameters: $kind, $state, $from, $to (datetimes; from inclusive, to exclusive), $limit.
// Returns per case: case (node), customers (affected customers in its current scope),
//   active_holds (holds not released), steps (steps recorded).
MATCH (c:RecallCase)
WHERE ($kind IS NULL OR c.kind = $kind) AND ($state IS NULL OR c.state = $state)
  AND ($from IS NULL OR c.opened_at >= $from) AND ($to IS NULL OR c.opened_at < $to)
WITH c ORDER BY c.opened_at DESC, c.id LIMIT $limit
RETURN c AS case,
       COLLECT { MATCH (c)-[:SCOPED]->(s:RecallScope) RETURN size(s.customers) AS n ORDER BY s.version DESC LIMIT 1 } AS customers,
       COUNT { MATCH (c)-[h:HOLDS]->() WHERE h.released_at IS NULL } AS active_holds,
       COUNT { MATCH (c)-[:STEP]->() } AS steps
