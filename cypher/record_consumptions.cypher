// Links each consumed lot to the batch that used it, with the quantity used (a transformation
// KDE). Runs after record_receipts and record_productions, so every lot and batch exists.
// Parameters: $consumptions, a list of maps {batch, lot, line, quantity, unit}.
// Returns: nothing; the caller checks that one relationship was created per map.
UNWIND $consumptions AS c
MATCH (l:Lot {code: c.lot}) USING INDEX SEEK l:Lot(code)
MATCH (b:Batch {id: c.batch}) USING INDEX SEEK b:Batch(id)
CREATE (l)-[:CONSUMED_IN {line: c.line, quantity: c.quantity, unit: c.unit}]->(b)
