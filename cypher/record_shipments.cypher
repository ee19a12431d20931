// Records shipment lines: one SHIPPED_TO per line, from the lot to the Customer (record_customers
// has created or updated the customers first). The shipping KDEs sit on the relationship: the
// shipment, when, from where, how much, the customer as described on this shipment, and the
// reference document.
// The lot and the customer are found by their element ids, which lookup_existing and the
// record statements before this one answered in the same transaction. Element ids are only
// stable within a transaction, which is all this needs; a seek of the lot-code constraint's
// index from a writing statement is a locking seek (a lock and a fresh index reader per row),
// which cost about a tenth of Neo4j's time in a bulk load.
// Parameters: $lines, a list of maps {shipment_id, line, lot_ref, quantity, unit, shipped_at, from,
//   customer_ref, customer_name, customer_location, ref_type, ref_number, fingerprint}.
// Returns: nothing; the caller checks that one relationship was created per map.
UNWIND $lines AS x
MATCH (c:Customer) WHERE elementId(c) = x.customer_ref
MATCH (l:Lot) WHERE elementId(l) = x.lot_ref
CREATE (l)-[:SHIPPED_TO {shipment_id: x.shipment_id, line: x.line, shipped_at: x.shipped_at, from: x.from,
                         quantity: x.quantity, unit: x.unit,
                         customer_name: x.customer_name, customer_location: x.customer_location,
                         ref_type: x.ref_type, ref_number: x.ref_number, fingerprint: x.fingerprint}]->(c)
