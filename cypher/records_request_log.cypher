// Logs one FDA records request answered: its scope, format, who asked, when, the rows per CTE.
// Parameters: $request, a map {id, products, food, tlcs, from, to (datetimes or null), format,
//   key, role, requested_at, rows_shipping, rows_receiving, rows_transformation, complete}.
// Returns: nothing.
CREATE (q:RecordsRequest)
SET q = $request
