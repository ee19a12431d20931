// Links a critical tracking event recorded from EPCIS ("receipt:LOT", "batch:ID",
// "shipment:ID") to the event it came from, once.
CREATE CONSTRAINT epcis_cte_key_unique IF NOT EXISTS FOR (c:EpcisCte) REQUIRE c.key IS UNIQUE
