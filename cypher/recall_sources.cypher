// The starting points of a recall: the batches that produced the lot, the lots those batches
// consumed (where the ingredient side starts) and the lots they produced (the lot and its
// siblings, where the affected side starts).
// Parameters: $code (the complained-about lot's code).
// Returns one row, or none when the lot does not exist: batches (list of batch ids),
//   inputs (list of lot codes), outputs (list of lot codes).
MATCH (lot:Lot {code: $code})
RETURN COLLECT { MATCH (lot)<-[:PRODUCED]-(b:Batch) RETURN b.id } AS batches,
       COLLECT { MATCH (lot)<-[:PRODUCED]-(:Batch)<-[:CONSUMED_IN]-(in:Lot) RETURN DISTINCT in.code } AS inputs,
       // Two MATCH clauses, not one pattern: within one pattern the second PRODUCED could not
       // be the first one again, and the lot itself would be missing from its own siblings.
       COLLECT { MATCH (lot)<-[:PRODUCED]-(b:Batch) MATCH (b)-[:PRODUCED]->(out:Lot) RETURN DISTINCT out.code } AS outputs
