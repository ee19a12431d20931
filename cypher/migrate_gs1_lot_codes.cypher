// Renames lots stored under a GS1 code that is not canonical (LGTIN URN, another spelling of
// the Digital Link) to their canonical Digital Link, the code every route now stores and looks
// a GS1 lot up by (graph/gs1.Canonical). Idempotent: a lot already renamed is not found.
//
// What is rewritten, and what is not:
// - Lot.code (the lot's key); the code it had is kept in Lot.former_code, so that the entries
//   of the audit trail and the records that name it can still be matched to it.
// - RecallCase.lots: the lots a case recalls are traced again by a rescope, by these codes.
// - EpcisCte "receipt:<code>": how an export finds the captured event that recorded a receipt.
// - Nothing else holds a lot code as a string that is read by code: SHIPPED_TO, CONSUMED_IN,
//   PRODUCED, RECEIVED_FROM, RECALLS and HOLDS hang on the node; Lot.batch_id and
//   Lot.held_by hold batch and case ids.
// - Left as they are, as history: the recall scopes' snapshots and affected_lots (what a case
//   found at the time; the next rescope names the new code), the audit trail, the FDA records
//   requests' log, the captured EPCIS events (kept as captured; their classes are matched in
//   either form).
// - The fingerprints of the events that recorded the lot are not recomputed (they cannot be
//   from the graph): an old event sent again with the old code is now a 409 conflict, not a
//   200 unchanged (before this migration it recorded a second lot under the canonical code).
//
// Two lots that are one GS1 lot stored under two spellings are not merged: a lot whose
// canonical code is taken is left as it is and returned with taken = true; the program
// leaves alone those whose canonical codes collide among themselves, and reports both.
// Parameters: $renames (list of {from, to}; no two with the same `to`).
// Returns: from, to, taken (boolean), one row per lot found under `from`.
UNWIND $renames AS r
MATCH (l:Lot {code: r.from}) USING INDEX SEEK l:Lot(code)
WITH r, l, EXISTS { MATCH (o:Lot {code: r.to}) } AS taken
CALL (r, l, taken) {
  WITH r, l WHERE NOT taken
  SET l.code = r.to, l.former_code = r.from
  WITH r, l
  OPTIONAL MATCH (c:RecallCase)-[:RECALLS]->(l)
  FOREACH (x IN CASE WHEN c IS NULL THEN [] ELSE [c] END |
    SET x.lots = [code IN x.lots | CASE code WHEN r.from THEN r.to ELSE code END])
  WITH DISTINCT r
  OPTIONAL MATCH (k:EpcisCte {key: 'receipt:' + r.from})
  FOREACH (x IN CASE WHEN k IS NULL OR EXISTS { MATCH (:EpcisCte {key: 'receipt:' + r.to}) } THEN [] ELSE [k] END |
    SET x.key = 'receipt:' + r.to)
  RETURN count(*) AS done
}
RETURN r.from AS from, r.to AS to, taken
