// Records productions: each creates its Batch and the lots it PRODUCED. The transformation
// KDEs sit on the batch (when, where, reference document) and on each new lot (what it is,
// how much, its TLC source). Consumed inputs are linked by record_consumptions.
// Parameters: $productions, a list of maps {id, line, produced_at, location, tlc_source,
//   ref_type, ref_number, fingerprint, outputs: list of {code, product, description, quantity,
//   unit, expires_at, line}}.
// Returns: nothing; the caller checks the counters.
UNWIND $productions AS p
CREATE (b:Batch {id: p.id})
SET b.line = p.line, b.produced_at = p.produced_at, b.location = p.location,
    b.tlc_source = p.tlc_source, b.ref_type = p.ref_type, b.ref_number = p.ref_number,
    b.fingerprint = p.fingerprint
WITH b, p
UNWIND p.outputs AS o
CREATE (l:Lot {code: o.code})
SET l.product = o.product, l.description = o.description,
    l.quantity = o.quantity, l.unit = o.unit, l.expires_at = o.expires_at,
    l.origin = 'production', l.origin_at = p.produced_at, l.location = p.location,
    l.tlc_source = p.tlc_source, l.batch_id = p.id, l.fingerprint = p.fingerprint
CREATE (b)-[:PRODUCED {line: o.line, quantity: o.quantity, unit: o.unit}]->(l)
