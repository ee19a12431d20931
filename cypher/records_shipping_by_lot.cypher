// records_shipping for a request that names lots only (tlc=): the shipment lines of those lots
// dated in the range, found from each lot.
// Parameters: $tlcs (lot codes), $from, $to (datetimes, inclusive).
// Returns: the columns of records_shipping.
UNWIND $tlcs AS code
MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
MATCH (l)-[r:SHIPPED_TO]->(c:Customer)
WHERE r.shipped_at >= $from AND r.shipped_at <= $to
RETURN 'shipping' AS cte, '' AS role, r.shipment_id AS event, properties(l) AS lot, properties(r) AS edge,
       properties(c) AS party, [] AS inputs, true AS in_scope
ORDER BY r.shipped_at, r.shipment_id, coalesce(r.line, 0), l.code
