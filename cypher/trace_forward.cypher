// Forward trace: every batch and lot downstream of the start lots, each with the relationships
// that leave it, and every shipment line of every lot reached (the start lots included).
//
// Plan: as in trace_backward, `WITH DISTINCT n` makes the expansion breadth-first with pruning,
// so a hub ingredient consumed in thousands of batches costs one visit per node.
//
// Placeholder: {{hops}}, the hop bound: a validated integer inserted by the store, or nothing.
// Parameters: $codes (list of lot codes to start from), $limit (most nodes to return: one more than the cap, to know it cut).
// Returns one row per node reached: n (Lot or Batch), edges (list of the PRODUCED and
//   CONSUMED_IN relationships starting at n), customers (list of [SHIPPED_TO, Customer]).
UNWIND $codes AS code
MATCH (start:Lot {code: code}) USING INDEX SEEK start:Lot(code)
MATCH (start)-[:PRODUCED|CONSUMED_IN*0..{{hops}}]->(n)
WITH DISTINCT n
LIMIT $limit
RETURN n,
       [(n)-[r:PRODUCED|CONSUMED_IN]->() | r] AS edges,
       [(n)-[r:SHIPPED_TO]->(c:Customer) | [r, c]] AS customers
