// Lot search anchored on a supplier: the lots received from them, newest first.
// Parameters: $supplier (supplier id), and the optional filters $q, $product, $from, $to, $limit
//   (see lots_by_customer).
// Returns: lot (node), one row per lot.
MATCH (:Supplier {id: $supplier})<-[:RECEIVED_FROM]-(l:Lot)
WHERE ($q IS NULL OR l.code STARTS WITH $q)
  AND ($product IS NULL OR l.product = $product)
  AND ($from IS NULL OR l.origin_at >= $from) AND ($to IS NULL OR l.origin_at < $to)
RETURN l AS lot
ORDER BY l.origin_at DESC, l.code
LIMIT $limit
