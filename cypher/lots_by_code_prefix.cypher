// Lot search by lot code prefix, through the uniqueness index on Lot.code (a range index,
// which serves STARTS WITH). Ordered by code, as suggestions for a search box are.
// Parameters: $q (lot code prefix), and the optional filters $product, $from, $to, $limit.
// Returns: lot (node), one row per lot.
MATCH (l:Lot)
WHERE l.code STARTS WITH $q
  AND ($product IS NULL OR l.product = $product)
  AND ($from IS NULL OR l.origin_at >= $from) AND ($to IS NULL OR l.origin_at < $to)
RETURN l AS lot
ORDER BY l.code
LIMIT $limit
