// Says a running capture job is still being worked on.
// Parameters: $id.
// Returns nothing.
MATCH (j:EpcisCapture {id: $id}) WHERE j.running
SET j.heartbeat_at = datetime()
