// The FDA records request's shipment lines (21 CFR 1.1455(c)(3)): every SHIPPED_TO dated in
// the range whose lot is in scope, oldest first, with the columns of kde_rows. A line
// without a date is in no range (the completeness report finds it).
// Parameters: $from, $to (datetimes, inclusive), $all, $products, $food, $tlcs (as
//   records_receiving).
// Returns: cte, role, event (the shipment id), lot, edge, party (the Customer), inputs ([]),
//   in_scope (true).
MATCH (l:Lot)-[r:SHIPPED_TO]->(c:Customer)
USING INDEX r:SHIPPED_TO(shipped_at)
WHERE r.shipped_at >= $from AND r.shipped_at <= $to
  AND ($all OR l.code IN $tlcs OR l.product IN $products
       OR ($food <> '' AND EXISTS { MATCH (p:Product {id: l.product}) WHERE p.ftl_category = $food }))
RETURN 'shipping' AS cte, '' AS role, r.shipment_id AS event, properties(l) AS lot, properties(r) AS edge,
       properties(c) AS party, [] AS inputs, true AS in_scope
ORDER BY r.shipped_at, r.shipment_id, coalesce(r.line, 0), l.code
