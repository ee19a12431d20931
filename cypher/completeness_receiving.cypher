// The receipts in scope that lack a Key Data Element of §1.1345(a), oldest first, each with
// the keys of what it lacks: the rules of graph.KDERules for receiving, in their order, on the
// values the spreadsheet shows (the source's location as on the receipt, else as stored).
// Complete receipts are not returned (completeness_counts counts them all).
// Parameters: $open (true: every date, a missing one too), $from, $to (datetimes, inclusive),
//   $all (true: every lot), $products, $food, $tlcs (as records_receiving).
// Returns: event (the lot code), role (''), line (0), lot, date (or null), missing (list of keys).
MATCH (l:Lot)-[r:RECEIVED_FROM]->(s:Supplier)
WHERE ($open OR (r.received_at >= $from AND r.received_at <= $to))
  AND ($all OR l.code IN $tlcs OR l.product IN $products
       OR ($food <> '' AND EXISTS { MATCH (p:Product {id: l.product}) WHERE p.ftl_category = $food }))
WITH l, r, [k IN [
    CASE WHEN trim(coalesce(l.code, '')) = '' THEN 'tlc' END,
    CASE WHEN coalesce(r.quantity, 0) <= 0 OR trim(coalesce(r.unit, '')) = '' THEN 'quantity_unit' END,
    CASE WHEN trim(coalesce(l.description, '')) = '' THEN 'description' END,
    CASE WHEN trim(coalesce(r.supplier_location, '')) = '' AND trim(coalesce(s.location, '')) = '' THEN 'source_location' END,
    CASE WHEN trim(coalesce(r.location, '')) = '' THEN 'location' END,
    CASE WHEN r.received_at IS NULL THEN 'date' END,
    CASE WHEN trim(coalesce(l.tlc_source, '')) = '' THEN 'tlc_source' END,
    CASE WHEN trim(coalesce(r.ref_type, '')) = '' OR trim(coalesce(r.ref_number, '')) = '' THEN 'reference' END
  ] WHERE k IS NOT NULL] AS missing
WHERE size(missing) > 0
RETURN l.code AS event, '' AS role, 0 AS line, l.code AS lot, r.received_at AS date, missing
ORDER BY r.received_at, l.code
