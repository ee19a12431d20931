// Creates a recall case, open, and links it to the lots it recalls (each must exist; the
// caller checks that one RECALLS was created per lot). Its scope and holds follow in the same
// transaction (recall_scope_add, recall_holds_place).
// Parameters: $case, a map {id, kind, reason, lots (list of lot codes), opened_at, opened_by}.
// Returns: nothing; the caller checks the counters.
CREATE (c:RecallCase {id: $case.id, kind: $case.kind, reason: $case.reason, lots: $case.lots,
                      opened_at: $case.opened_at, opened_by: $case.opened_by, state: 'open'})
WITH c
UNWIND $case.lots AS code
MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
CREATE (c)-[:RECALLS]->(l)
