// Finds which of a run's EPCIS events are stored already, and with which content.
// Parameters: $ids (list of event ids).
// Returns one row per stored event: id, hash (its CBV 2.0 event hash).
UNWIND $ids AS id
MATCH (e:EpcisEvent {event_id: id}) USING INDEX SEEK e:EpcisEvent(event_id)
RETURN e.event_id AS id, e.hash AS hash
