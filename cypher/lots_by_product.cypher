// Lot search by product, through the index on Lot.product, newest first.
// Parameters: $product (product code), and the optional filters $from, $to, $limit.
// Returns: lot (node), one row per lot.
MATCH (l:Lot)
WHERE l.product = $product
  AND ($from IS NULL OR l.origin_at >= $from) AND ($to IS NULL OR l.origin_at < $to)
RETURN l AS lot
ORDER BY l.origin_at DESC, l.code
LIMIT $limit
