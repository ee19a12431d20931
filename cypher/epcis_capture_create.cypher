// Starts an EPCIS capture job.
// Parameters: $id, $behaviour ('rollback' or 'proceed'), $events (how many the document holds).
// Returns nothing.
CREATE (:EpcisCapture {id: $id, created_at: datetime(), heartbeat_at: datetime(), running: true,
  success: false, behaviour: $behaviour, events: $events})
