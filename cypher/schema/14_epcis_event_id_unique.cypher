// Every captured EPCIS event is stored once, by its eventID (or its CBV 2.0 event hash).
CREATE CONSTRAINT epcis_event_id_unique IF NOT EXISTS FOR (e:EpcisEvent) REQUIRE e.event_id IS UNIQUE
