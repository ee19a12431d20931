// Ends a capture job.
// Parameters: $id, $success (boolean), $errors and $notes (JSON text: lists of
//   {index, eventID, status, reason}).
// Returns nothing.
MATCH (j:EpcisCapture {id: $id})
SET j.running = false, j.success = $success, j.finished_at = datetime(), j.errors = $errors, j.notes = $notes
