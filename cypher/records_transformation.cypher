// The FDA records request's transformations (21 CFR 1.1455(c)(3)): every batch dated in the
// range that consumed or produced a lot in scope, with all of its input and output lines (a
// transformation's rows are its whole record, §1.1350), oldest first, with the columns of
// kde_rows. in_scope says whether the line's own lot is in scope. A batch without a date is
// in no range (the completeness report finds it).
// Parameters: $from, $to (datetimes, inclusive), $all, $products, $food, $tlcs (as
//   records_receiving).
// Returns: cte, role, event, lot, edge, party (the Batch), inputs (on an output line, every
//   input line of the batch as [lot code, quantity, unit], by line; else []), in_scope.
MATCH (b:Batch)
USING INDEX b:Batch(produced_at)
WHERE b.produced_at >= $from AND b.produced_at <= $to
  AND EXISTS {
    MATCH (b)-[:CONSUMED_IN|PRODUCED]-(x:Lot)
    WHERE $all OR x.code IN $tlcs OR x.product IN $products
       OR ($food <> '' AND EXISTS { MATCH (p:Product {id: x.product}) WHERE p.ftl_category = $food })
  }
MATCH (b)-[r:CONSUMED_IN|PRODUCED]-(l:Lot)
WITH b, r, l, CASE type(r) WHEN 'CONSUMED_IN' THEN 'input' ELSE 'output' END AS role
RETURN 'transformation' AS cte, role, b.id AS event, properties(l) AS lot, properties(r) AS edge,
       properties(b) AS party,
       CASE role WHEN 'output' THEN COLLECT {
         MATCH (b)<-[c:CONSUMED_IN]-(i:Lot)
         WITH i, c ORDER BY coalesce(c.line, 0), i.code
         RETURN [i.code, c.quantity, c.unit]
       } ELSE [] END AS inputs,
       ($all OR l.code IN $tlcs OR l.product IN $products
        OR ($food <> '' AND EXISTS { MATCH (p:Product {id: l.product}) WHERE p.ftl_category = $food })) AS in_scope
ORDER BY b.produced_at, b.id, role, coalesce(r.line, 0), l.code
