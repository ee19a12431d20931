// The shipment lines in scope that lack a Key Data Element of §1.1340(a), oldest first, each
// with the keys of what it lacks: the rules of graph.KDERules for shipping, in their order, on
// the values the spreadsheet shows (the recipient's location as on the shipment, else as
// stored). Complete lines are not returned (completeness_counts counts them all).
// Parameters: $open, $from, $to, $all, $products, $food, $tlcs (as completeness_receiving).
// Returns: event (the shipment id), role (''), line, lot, date (or null), missing (list of keys).
MATCH (l:Lot)-[r:SHIPPED_TO]->(c:Customer)
WHERE ($open OR (r.shipped_at >= $from AND r.shipped_at <= $to))
  AND ($all OR l.code IN $tlcs OR l.product IN $products
       OR ($food <> '' AND EXISTS { MATCH (p:Product {id: l.product}) WHERE p.ftl_category = $food }))
WITH l, r, [k IN [
    CASE WHEN trim(coalesce(l.code, '')) = '' THEN 'tlc' END,
    CASE WHEN coalesce(r.quantity, 0) <= 0 OR trim(coalesce(r.unit, '')) = '' THEN 'quantity_unit' END,
    CASE WHEN trim(coalesce(l.description, '')) = '' THEN 'description' END,
    CASE WHEN trim(coalesce(r.customer_location, '')) = '' AND trim(coalesce(c.location, '')) = '' THEN 'recipient_location' END,
    CASE WHEN trim(coalesce(r.from, '')) = '' THEN 'location' END,
    CASE WHEN r.shipped_at IS NULL THEN 'date' END,
    CASE WHEN trim(coalesce(l.tlc_source, '')) = '' THEN 'tlc_source' END,
    CASE WHEN trim(coalesce(r.ref_type, '')) = '' OR trim(coalesce(r.ref_number, '')) = '' THEN 'reference' END
  ] WHERE k IS NOT NULL] AS missing
WHERE size(missing) > 0
RETURN coalesce(r.shipment_id, '') AS event, '' AS role, coalesce(r.line, 0) AS line, l.code AS lot,
       r.shipped_at AS date, missing
ORDER BY r.shipped_at, event, line, l.code
