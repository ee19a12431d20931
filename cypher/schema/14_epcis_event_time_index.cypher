// EPCIS queries page through events in (event_time, event_id) order.
CREATE INDEX epcis_event_time IF NOT EXISTS FOR (e:EpcisEvent) ON (e.event_time)
