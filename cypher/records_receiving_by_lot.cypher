// records_receiving for a request that names lots only (tlc=): the receipts of those lots
// dated in the range, found from each lot by its code rather than by scanning the dates.
// Parameters: $tlcs (lot codes), $from, $to (datetimes, inclusive).
// Returns: the columns of records_receiving.
UNWIND $tlcs AS code
MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
MATCH (l)-[r:RECEIVED_FROM]->(s:Supplier)
WHERE r.received_at >= $from AND r.received_at <= $to
RETURN 'receiving' AS cte, '' AS role, l.code AS event, properties(l) AS lot, properties(r) AS edge,
       properties(s) AS party, [] AS inputs, true AS in_scope
ORDER BY r.received_at, l.code
