// Both directions in one round trip: the walks of trace_backward and trace_forward, each with
// its own node cap, as one UNION ALL. One statement instead of two was 1.25 to 1.4 times the
// walks per second at the driver on small traces (README, Numbers).
//
// Placeholder: {{hops}}, the hop bound: a validated integer inserted by the store, or nothing.
// Parameters: $codes (list of lot codes to start from), $limit (most nodes per direction: one more than the cap).
// Returns one row per node reached in each direction: dir ('backward' or 'forward'), n (Lot or
//   Batch), edges (the PRODUCED and CONSUMED_IN relationships ending at n when backward,
//   starting at n when forward), parties (list of [RECEIVED_FROM, Supplier] when backward,
//   [SHIPPED_TO, Customer] when forward).
CALL {
  UNWIND $codes AS code
  MATCH (start:Lot {code: code}) USING INDEX SEEK start:Lot(code)
  MATCH (start)<-[:PRODUCED|CONSUMED_IN*0..{{hops}}]-(n)
  WITH DISTINCT n
  LIMIT $limit
  RETURN 'backward' AS dir, n,
         [(n)<-[r:PRODUCED|CONSUMED_IN]-() | r] AS edges,
         [(n)-[r:RECEIVED_FROM]->(s:Supplier) | [r, s]] AS parties
  UNION ALL
  UNWIND $codes AS code
  MATCH (start:Lot {code: code}) USING INDEX SEEK start:Lot(code)
  MATCH (start)-[:PRODUCED|CONSUMED_IN*0..{{hops}}]->(n)
  WITH DISTINCT n
  LIMIT $limit
  RETURN 'forward' AS dir, n,
         [(n)-[r:PRODUCED|CONSUMED_IN]->() | r] AS edges,
         [(n)-[r:SHIPPED_TO]->(c:Customer) | [r, c]] AS parties
}
RETURN dir, n, edges, parties
