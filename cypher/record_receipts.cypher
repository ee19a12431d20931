// Records receipts: each creates its Lot, RECEIVED_FROM its Supplier (record_suppliers has
// created or updated the suppliers first). The receiving KDEs sit on the lot (what it is,
// where and when it arrived, its TLC source) and on the relationship (the supplier as it was
// described on this receipt, the reference document).
// The supplier is found by its element id, which lookup_existing or record_suppliers answered
// in this same transaction: a seek by id, where a seek of the supplier-id constraint's index
// in a writing statement takes a lock and a fresh index reader per row (see record_shipments).
// Parameters: $receipts, a list of maps {code, product, description, quantity, unit, supplier_lot,
//   expires_at, received_at, location, tlc_source, supplier_ref, supplier_name, supplier_location,
//   ref_type, ref_number, fingerprint}.
// Returns: code, ref (the new lot's element id), one row per receipt recorded; the caller
//   checks that every receipt has its row.
UNWIND $receipts AS r
MATCH (s:Supplier) WHERE elementId(s) = r.supplier_ref
CREATE (l:Lot {code: r.code, product: r.product, description: r.description,
               quantity: r.quantity, unit: r.unit, supplier_lot: r.supplier_lot, expires_at: r.expires_at,
               origin: 'receipt', origin_at: r.received_at, location: r.location,
               tlc_source: r.tlc_source, fingerprint: r.fingerprint})
CREATE (l)-[:RECEIVED_FROM {received_at: r.received_at, location: r.location,
                            quantity: r.quantity, unit: r.unit,
                            supplier_name: r.supplier_name, supplier_location: r.supplier_location,
                            ref_type: r.ref_type, ref_number: r.ref_number}]->(s)
RETURN l.code AS code, elementId(l) AS ref
