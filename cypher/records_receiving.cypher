// The FDA records request's receipts (21 CFR 1.1455(c)(3)): every RECEIVED_FROM dated in the
// range whose lot is in scope, oldest first, with the columns of kde_rows so that the
// spreadsheet rows are made the same way. A receipt without a date is in no range (the
// completeness report finds it).
// Parameters: $from, $to (datetimes, the range, inclusive), $all (true: every lot is in scope),
//   $products (product ids), $food (a Food Traceability List category, or ''), $tlcs (lot codes).
//   A lot is in scope when it matches any of them.
// Returns: cte, role, event, lot, edge, party, inputs (as kde_rows), in_scope (true).
MATCH (l:Lot)-[r:RECEIVED_FROM]->(s:Supplier)
USING INDEX r:RECEIVED_FROM(received_at)
WHERE r.received_at >= $from AND r.received_at <= $to
  AND ($all OR l.code IN $tlcs OR l.product IN $products
       OR ($food <> '' AND EXISTS { MATCH (p:Product {id: l.product}) WHERE p.ftl_category = $food }))
RETURN 'receiving' AS cte, '' AS role, l.code AS event, properties(l) AS lot, properties(r) AS edge,
       properties(s) AS party, [] AS inputs, true AS in_scope
ORDER BY r.received_at, l.code
