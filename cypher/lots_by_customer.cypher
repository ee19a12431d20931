// Lot search anchored on a customer: the lots shipped to them, newest first.
// Parameters: $customer (customer id), and the optional filters $q (lot code prefix),
//   $product (product code), $from and $to (origin date range, received or produced), $limit.
// Returns: lot (node), one row per lot.
MATCH (:Customer {id: $customer})<-[:SHIPPED_TO]-(l:Lot)
WITH DISTINCT l
WHERE ($q IS NULL OR l.code STARTS WITH $q)
  AND ($product IS NULL OR l.product = $product)
  AND ($from IS NULL OR l.origin_at >= $from) AND ($to IS NULL OR l.origin_at < $to)
RETURN l AS lot
ORDER BY l.origin_at DESC, l.code
LIMIT $limit
