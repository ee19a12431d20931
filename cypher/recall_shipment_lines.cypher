// A recall's shipment lines, one row each, for the affected lots the keys walk reached
// (recall_affected_keys from the source batches' outputs), when they are more than that walk
// returns in its own row: streamed, so that a hub's hundred thousand lines are never held at
// once. Ordered by shipped_at (a missing one first, as the zero time sorts in Go); the store
// orders the lines shipped at one instant by shipment and line.
// Parameters: $lots (list of lot codes).
// Returns one row per SHIPPED_TO: lot (code), shipment_id, line (integer), customer (id),
//   quantity (number), unit, shipped_at (datetime).
UNWIND $lots AS code
MATCH (x:Lot {code: code}) USING INDEX SEEK x:Lot(code)
MATCH (x)-[r:SHIPPED_TO]->(c:Customer)
RETURN x.code AS lot, r.shipment_id AS shipment_id, r.line AS line, c.id AS customer,
       r.quantity AS quantity, r.unit AS unit, r.shipped_at AS shipped_at
ORDER BY shipped_at IS NOT NULL, shipped_at
