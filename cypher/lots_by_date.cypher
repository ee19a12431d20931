// Lot search by origin date (received or produced), through the index on Lot.origin_at,
// newest first. With no bounds it lists the newest lots.
// Parameters: $from and $to (datetimes; absent bounds are replaced by the store with the
//   widest range so that the index serves the query), $limit.
// Returns: lot (node), one row per lot.
MATCH (l:Lot)
WHERE l.origin_at >= $from AND l.origin_at < $to
RETURN l AS lot
ORDER BY l.origin_at DESC, l.code
LIMIT $limit
