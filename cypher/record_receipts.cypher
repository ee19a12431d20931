// Records receipts: each creates its Lot, RECEIVED_FROM its Supplier (created on first sight).
// The receiving KDEs sit on the lot (what it is, where and when it arrived, its TLC source) and
// on the relationship (the supplier as it was described on this receipt, the reference document).
// Parameters: $receipts, a list of maps {code, product, description, quantity, unit, supplier_lot,
//   expires_at, received_at, location, tlc_source, supplier_id, supplier_name, supplier_location,
//   ref_type, ref_number, fingerprint}.
// Returns: nothing; the caller checks the counters.
UNWIND $receipts AS r
MERGE (s:Supplier {id: r.supplier_id})
  ON CREATE SET s.name = r.supplier_name, s.location = r.supplier_location
  ON MATCH SET s.name = coalesce(r.supplier_name, s.name), s.location = coalesce(r.supplier_location, s.location)
CREATE (l:Lot {code: r.code})
SET l.product = r.product, l.description = r.description,
    l.quantity = r.quantity, l.unit = r.unit,
    l.supplier_lot = r.supplier_lot, l.expires_at = r.expires_at,
    l.origin = 'receipt', l.origin_at = r.received_at, l.location = r.location,
    l.tlc_source = r.tlc_source, l.fingerprint = r.fingerprint
CREATE (l)-[:RECEIVED_FROM {received_at: r.received_at, location: r.location,
                            quantity: r.quantity, unit: r.unit,
                            supplier_name: r.supplier_name, supplier_location: r.supplier_location,
                            ref_type: r.ref_type, ref_number: r.ref_number}]->(s)
