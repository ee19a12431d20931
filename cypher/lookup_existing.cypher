// Finds what is already stored for the lots, batches, shipments, suppliers and customers a run
// of events names, so that the run can be planned (created, unchanged, conflict, unknown lot,
// which descriptions change) in one round trip.
// Parameters: $lots (list of lot codes), $batches (list of batch ids), $shipments (list of
//   shipment ids), $suppliers (list of supplier ids), $customers (list of customer ids).
// Seek hints: see cypher.go (without them, one bulk load in three spent 15 of its 42 s here).
// Returns one row: lots (list of {code, ref, unit, origin, batch_id, fingerprint, held_by}),
//   batches (list of {id, ref, fingerprint}), shipments (list of {id, fingerprint}),
//   suppliers (list of {id, ref, name, location}), customers (list of {id, ref, name, location,
//   contact}). ref is the node's element id: the record statements find the nodes by it, in
//   this same transaction.
CALL {
  UNWIND $lots AS code
  MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
  RETURN collect({code: l.code, ref: elementId(l), unit: l.unit, origin: l.origin, batch_id: l.batch_id, fingerprint: l.fingerprint,
                  held_by: l.held_by}) AS lots
}
CALL {
  UNWIND $batches AS id
  MATCH (b:Batch {id: id}) USING INDEX SEEK b:Batch(id)
  RETURN collect({id: b.id, ref: elementId(b), fingerprint: b.fingerprint}) AS batches
}
CALL {
  // Every shipment has a line 1, and every line carries the shipment's fingerprint: one seek
  // of the shipment-line constraint's index per id.
  UNWIND $shipments AS id
  MATCH ()-[s:SHIPPED_TO {shipment_id: id, line: 1}]->() USING INDEX SEEK s:SHIPPED_TO(shipment_id, line)
  RETURN collect({id: id, fingerprint: s.fingerprint}) AS shipments
}
CALL {
  UNWIND $suppliers AS id
  MATCH (s:Supplier {id: id}) USING INDEX SEEK s:Supplier(id)
  RETURN collect(s {.id, ref: elementId(s), .name, .location}) AS suppliers
}
CALL {
  UNWIND $customers AS id
  MATCH (c:Customer {id: id}) USING INDEX SEEK c:Customer(id)
  RETURN collect(c {.id, ref: elementId(c), .name, .location, .contact}) AS customers
}
RETURN lots, batches, shipments, suppliers, customers
