// Links each consumed lot to the batch that used it, with the quantity used (a transformation
// KDE). Runs after record_receipts and record_productions, so every lot and batch exists.
// Lots and batches are found by their element ids, answered earlier in this same transaction
// (lookup_existing, record_receipts, record_productions): see record_shipments.
// Parameters: $consumptions, a list of maps {batch_ref, lot_ref, line, quantity, unit}.
// Returns: nothing; the caller checks that one relationship was created per map.
UNWIND $consumptions AS c
MATCH (l:Lot) WHERE elementId(l) = c.lot_ref
MATCH (b:Batch) WHERE elementId(b) = c.batch_ref
CREATE (l)-[:CONSUMED_IN {line: c.line, quantity: c.quantity, unit: c.unit}]->(b)
