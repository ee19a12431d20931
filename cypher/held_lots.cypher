// Of the lots a run of events ships or consumes, those on an enforced recall hold. The write
// path runs it after its record statements, in the same transaction. It first takes each
// lot's write lock, which recall_holds_place also takes: a hold committed before this point
// is read here, and one placed later waits until the run has committed. Removing a property
// the lot never has takes the lock and changes nothing (creating a relationship does not lock
// its nodes; setting a property and removing it again cost a change per lot, 13% of a bulk
// load's statement time). TestHoldPlacedWhileShippingIsSeen fails if it stops locking. The
// lots come sorted, as every writer takes them, so that writers rarely deadlock.
// The lots are found by their element ids, answered earlier in the same transaction.
// Parameters: $lots (list of the lots' element ids, sorted by lot code).
// Returns: lot, held_by (list of case ids), one row per held lot.
UNWIND $lots AS ref
MATCH (l:Lot) WHERE elementId(l) = ref
REMOVE l.write_lock
WITH l WHERE size(coalesce(l.held_by, [])) > 0
RETURN l.code AS lot, l.held_by AS held_by
