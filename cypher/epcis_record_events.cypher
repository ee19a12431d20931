// Stores captured EPCIS events, and links each CTE they recorded to them (the first event
// to record a CTE keeps it).
// Parameters: $events (list of {event_id, type, event_time, biz_step, biz_location, classes,
//   input_classes, output_classes, any_classes, hash, json, note, keys}).
// Returns nothing.
UNWIND $events AS ev
CREATE (e:EpcisEvent {event_id: ev.event_id, type: ev.type, event_time: ev.event_time, biz_step: ev.biz_step,
  biz_location: ev.biz_location, classes: ev.classes, input_classes: ev.input_classes,
  output_classes: ev.output_classes, any_classes: ev.any_classes, hash: ev.hash, json: ev.json,
  note: ev.note, record_time: datetime()})
WITH e, ev
UNWIND ev.keys AS k
MERGE (c:EpcisCte {key: k})
ON CREATE SET c.event_id = e.event_id
