// Of the lots a run of events ships or consumes, those on an enforced recall hold. The write
// path runs it after its record statements, in the same transaction. It first takes each
// lot's write lock (setting and removing a property: creating a relationship does not lock
// its nodes), which recall_holds_place also takes: a hold committed before this point is
// read here, and one placed later waits until the run has committed. The lots come sorted,
// as every writer takes them, so that writers rarely deadlock.
// Parameters: $lots (list of lot codes, sorted).
// Returns: lot, held_by (list of case ids), one row per held lot.
UNWIND $lots AS code
MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
SET l.write_lock = true
REMOVE l.write_lock
WITH l WHERE size(coalesce(l.held_by, [])) > 0
RETURN l.code AS lot, l.held_by AS held_by
