// records_transformation for a request that names lots only (tlc=): the batches dated in the
// range that used or made one of those lots, found from each lot, with all of their lines.
// Parameters: $tlcs (lot codes), $from, $to (datetimes, inclusive).
// Returns: the columns of records_transformation.
UNWIND $tlcs AS code
MATCH (x:Lot {code: code}) USING INDEX SEEK x:Lot(code)
MATCH (x)-[:CONSUMED_IN|PRODUCED]-(b:Batch)
WHERE b.produced_at >= $from AND b.produced_at <= $to
WITH DISTINCT b
MATCH (b)-[r:CONSUMED_IN|PRODUCED]-(l:Lot)
WITH b, r, l, CASE type(r) WHEN 'CONSUMED_IN' THEN 'input' ELSE 'output' END AS role
RETURN 'transformation' AS cte, role, b.id AS event, properties(l) AS lot, properties(r) AS edge,
       properties(b) AS party,
       CASE role WHEN 'output' THEN COLLECT {
         MATCH (b)<-[c:CONSUMED_IN]-(i:Lot)
         WITH i, c ORDER BY coalesce(c.line, 0), i.code
         RETURN [i.code, c.quantity, c.unit]
       } ELSE [] END AS inputs,
       l.code IN $tlcs AS in_scope
ORDER BY b.produced_at, b.id, role, coalesce(r.line, 0), l.code
