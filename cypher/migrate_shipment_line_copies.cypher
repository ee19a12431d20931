// Prepares a database written before shipped_to_line_unique for that constraint: versions
// without it could store one shipment line more than once when identical requests raced.
// Copies with the same fingerprint are the same event stored twice: all but one are deleted.
// Copies with different fingerprints (two different shipments raced under one id) cannot be
// told apart safely; they are left alone and returned, and the constraint cannot be created
// until someone resolves them.
// Runs only while the constraint is missing (neo4j.Store.ApplySchema); it scans every
// SHIPPED_TO once.
// Parameters: none.
// Returns: removed (integer, copies deleted), conflicts (list of {shipment_id, line}).
CALL {
  MATCH ()-[s:SHIPPED_TO]->()
  WITH s.shipment_id AS id, s.line AS line, count(*) AS n
  WHERE n > 1
  MATCH ()-[c:SHIPPED_TO {shipment_id: id}]->()
  WHERE c.line = line
  WITH id, line, collect(c) AS copies, count(DISTINCT c.fingerprint) AS versions
  RETURN id, line, copies, versions
}
CALL {
  WITH copies, versions
  WITH copies WHERE versions = 1
  UNWIND copies[1..] AS extra
  DELETE extra
  RETURN count(*) AS removed
}
WITH sum(CASE versions WHEN 1 THEN size(copies) - 1 ELSE 0 END) AS removed,
     collect(CASE WHEN versions > 1 THEN {shipment_id: id, line: line} END) AS conflicts
RETURN removed, conflicts
