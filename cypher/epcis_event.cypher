// Reads one captured EPCIS event.
// Parameters: $id (event id).
// Returns at most one row: json (the event as captured).
MATCH (e:EpcisEvent {event_id: $id}) USING INDEX SEEK e:EpcisEvent(event_id)
RETURN e.json AS json
