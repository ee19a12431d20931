// The FDA records requests logged, newest first.
// Parameters: $limit.
// Returns one row per request: request (its properties, as records_request_log stored them).
MATCH (q:RecordsRequest)
RETURN properties(q) AS request
ORDER BY q.requested_at DESC, q.id
LIMIT $limit
