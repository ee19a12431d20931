// Every EPCIS capture job is stored once, by its id.
CREATE CONSTRAINT epcis_capture_id_unique IF NOT EXISTS FOR (j:EpcisCapture) REQUIRE j.id IS UNIQUE
