// Records shipment lines: one SHIPPED_TO per line, from the lot to the Customer (record_customers
// has created or updated the customers first). The shipping KDEs sit on the relationship: the
// shipment, when, from where, how much, the customer as described on this shipment, and the
// reference document.
// Parameters: $lines, a list of maps {shipment_id, line, lot, quantity, unit, shipped_at, from,
//   customer_id, customer_name, customer_location, ref_type, ref_number, fingerprint}.
// Returns: nothing; the caller checks that one relationship was created per map.
UNWIND $lines AS x
MATCH (c:Customer {id: x.customer_id}) USING INDEX SEEK c:Customer(id)
MATCH (l:Lot {code: x.lot}) USING INDEX SEEK l:Lot(code)
CREATE (l)-[:SHIPPED_TO {shipment_id: x.shipment_id, line: x.line, shipped_at: x.shipped_at, from: x.from,
                         quantity: x.quantity, unit: x.unit,
                         customer_name: x.customer_name, customer_location: x.customer_location,
                         ref_type: x.ref_type, ref_number: x.ref_number, fingerprint: x.fingerprint}]->(c)
