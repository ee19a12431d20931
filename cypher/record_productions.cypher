// Records productions: each creates its Batch and the lots it PRODUCED. The transformation
// KDEs sit on the batch (when, where, reference document) and on each new lot (what it is,
// how much, its TLC source). Consumed inputs are linked by record_consumptions.
// Parameters: $productions, a list of maps {id, line, produced_at, location, tlc_source,
//   ref_type, ref_number, fingerprint, outputs: list of {code, product, description, quantity,
//   unit, expires_at, line}}.
// Returns: id, ref (the new batch's element id), lots (list of {code, ref}, its new lots), one
//   row per production; the caller checks that every production and output has its row.
UNWIND $productions AS p
CREATE (b:Batch {id: p.id, line: p.line, produced_at: p.produced_at, location: p.location,
                 tlc_source: p.tlc_source, ref_type: p.ref_type, ref_number: p.ref_number,
                 fingerprint: p.fingerprint})
WITH b, p
CALL {
  WITH b, p
  UNWIND p.outputs AS o
  CREATE (l:Lot {code: o.code, product: o.product, description: o.description,
                 quantity: o.quantity, unit: o.unit, expires_at: o.expires_at,
                 origin: 'production', origin_at: p.produced_at, location: p.location,
                 tlc_source: p.tlc_source, batch_id: p.id, fingerprint: p.fingerprint})
  CREATE (b)-[:PRODUCED {line: o.line, quantity: o.quantity, unit: o.unit}]->(l)
  RETURN collect({code: l.code, ref: elementId(l)}) AS lots
}
RETURN b.id AS id, elementId(b) AS ref, lots
