// Reads capture jobs, newest first: one by id, or the latest ones.
// Parameters: $id (a job id, or null for all), $limit.
// Returns one row per job: id, created_at, finished_at, running, success, behaviour, events,
//   errors, notes (JSON text).
MATCH (j:EpcisCapture)
WHERE $id IS NULL OR j.id = $id
RETURN j.id AS id, j.created_at AS created_at, j.finished_at AS finished_at, j.running AS running,
       j.success AS success, j.behaviour AS behaviour, j.events AS events, j.errors AS errors, j.notes AS notes
ORDER BY j.created_at DESC, j.id
LIMIT $limit
