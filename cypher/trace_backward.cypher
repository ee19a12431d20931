// Backward trace: every batch and lot upstream of the start lots, each with the relationships
// that lead into it, and the suppliers of every lot reached.
//
// Plan: `WITH DISTINCT n` after a variable-length pattern lets Neo4j expand breadth-first and
// prune nodes already seen (VarLengthExpand(Pruning,BFS)), so a history full of shared
// ingredients is walked once per node, never once per path. Relationships are collected per
// node afterwards; one whose far end was not reached marks where a bound cut the trace.
//
// Placeholder: {{hops}}, the hop bound: a validated integer inserted by the store (a
//   variable-length bound cannot be a parameter), or nothing (`*0..`: no depth bound, the
//   default; the walk then ends at the ends of the genealogy or at the node cap).
// Parameters: $codes (list of lot codes to start from), $limit (most nodes to return: one more than the cap, to know it cut).
// Returns one row per node reached: n (Lot or Batch), edges (list of the PRODUCED and
//   CONSUMED_IN relationships ending at n), suppliers (list of [RECEIVED_FROM, Supplier]).
UNWIND $codes AS code
MATCH (start:Lot {code: code}) USING INDEX SEEK start:Lot(code)
MATCH (start)<-[:PRODUCED|CONSUMED_IN*0..{{hops}}]-(n)
WITH DISTINCT n
LIMIT $limit
RETURN n,
       [(n)<-[r:PRODUCED|CONSUMED_IN]-() | r] AS edges,
       [(n)-[r:RECEIVED_FROM]->(s:Supplier) | [r, s]] AS suppliers
