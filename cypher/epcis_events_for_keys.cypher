// The captured EPCIS events that recorded the given CTEs, for an export to hand them on as
// captured.
// Parameters: $keys (list of "receipt:LOT", "batch:ID", "shipment:ID").
// Returns one row per key recorded from EPCIS: key, id (event id), json.
UNWIND $keys AS k
MATCH (c:EpcisCte {key: k}) USING INDEX SEEK c:EpcisCte(key)
MATCH (e:EpcisEvent {event_id: c.event_id})
RETURN k AS key, e.event_id AS id, e.json AS json
