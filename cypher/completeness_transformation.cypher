// The transformation lines in scope that lack a Key Data Element of §1.1350(a)(2), oldest
// first, each with the keys of what it lacks: the rules of graph.KDERules for its role, in
// their order. An input line needs its lot's code and description and the quantity used; an
// output line its new lot's code, TLC source (or the transformation's location), date,
// description, quantity, the batch's reference document, and the batch some input. Complete
// lines are not returned (completeness_counts counts them all).
// Parameters: $open, $from, $to, $all, $products, $food, $tlcs (as completeness_receiving); a
//   batch is in scope when one of its lines' lots is.
// Returns: event (the batch id), role ('input' or 'output'), line, lot, date (or null),
//   missing (list of keys).
MATCH (b:Batch)
WHERE ($open OR (b.produced_at >= $from AND b.produced_at <= $to))
  AND ($all OR EXISTS {
    MATCH (b)-[:CONSUMED_IN|PRODUCED]-(x:Lot)
    WHERE x.code IN $tlcs OR x.product IN $products
       OR ($food <> '' AND EXISTS { MATCH (p:Product {id: x.product}) WHERE p.ftl_category = $food })
  })
MATCH (b)-[r:CONSUMED_IN|PRODUCED]-(l:Lot)
WITH b, r, l, type(r) = 'PRODUCED' AS output,
     CASE WHEN coalesce(r.quantity, 0) <= 0 OR trim(coalesce(r.unit, '')) = '' THEN 'quantity_unit' END AS quantity,
     CASE WHEN trim(coalesce(l.code, '')) = '' THEN 'tlc' END AS tlc,
     CASE WHEN trim(coalesce(l.description, '')) = '' THEN 'description' END AS description
WITH b, r, l, output, [k IN CASE WHEN output THEN [
    CASE WHEN NOT EXISTS { (b)<-[:CONSUMED_IN]-(:Lot) } THEN 'inputs' END,
    tlc,
    CASE WHEN trim(coalesce(l.tlc_source, '')) = '' AND trim(coalesce(b.location, '')) = '' THEN 'tlc_source' END,
    CASE WHEN b.produced_at IS NULL THEN 'date' END,
    description,
    quantity,
    CASE WHEN trim(coalesce(b.ref_type, '')) = '' OR trim(coalesce(b.ref_number, '')) = '' THEN 'reference' END
  ] ELSE [tlc, description, quantity] END WHERE k IS NOT NULL] AS missing
WHERE size(missing) > 0
RETURN b.id AS event, CASE WHEN output THEN 'output' ELSE 'input' END AS role, coalesce(r.line, 0) AS line,
       l.code AS lot, b.produced_at AS date, missing
ORDER BY b.produced_at, event, role, line, lot
