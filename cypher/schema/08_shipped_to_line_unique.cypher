// A shipment line is recorded once: no two SHIPPED_TO relationships share a shipment id and a
// line number. Recording is exactly-once because of it: of two transactions writing the same
// shipment at once, the second waits for the first and is then refused, and records nothing
// (graph.RecordEvents plans it again and finds it stored). Neo4j Community enforces
// relationship property uniqueness (not relationship keys). migrate_shipment_line_copies runs
// first on a database that lacks it.
CREATE CONSTRAINT shipped_to_line_unique IF NOT EXISTS
FOR ()-[s:SHIPPED_TO]-() REQUIRE (s.shipment_id, s.line) IS UNIQUE
