// Every input and output line of some batches, each with its lot, for the FSMA 204 spreadsheet:
// a trace holds only the lines on its path, but a transformation's rows are read as its whole
// record (21 CFR 1.1350), so an export adds the lines its batches' traces lack.
// Parameters: $ids (list of batch ids; an id that names no batch gives no row).
// Returns one row per line, by batch, relationship type and line: batch (the batch id),
//   edge (the CONSUMED_IN relationship from an input lot, or the PRODUCED relationship to an
//   output lot: line, quantity, unit), lot (that Lot: code, product, description, quantity,
//   unit, tlc_source, expires_at, ...).
UNWIND $ids AS id
MATCH (b:Batch {id: id})-[r:CONSUMED_IN|PRODUCED]-(lot:Lot) USING INDEX SEEK b:Batch(id)
RETURN b.id AS batch, r AS edge, lot
ORDER BY batch, type(r), r.line
