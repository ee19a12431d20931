// Backward trace, keys only: the same walk as trace_backward, answered as one row of keys, so
// that a trace of tens of thousands of nodes stays small and quick (one row, not a row a node).
// The walk is cut where a bound stops it: `beyond` says some node reached has a further step
// that was not reached (the node cap or the depth bound cut the walk). `NOT m IN ns` is
// answered from a set Neo4j builds once for the list.
// Placeholder: {{hops}}, the hop bound, a validated integer inserted by the store.
// Parameters: $codes (list of lot codes to start from), $limit (most lots and batches).
// Returns one row: lots (codes), batches (ids), beyond (boolean), suppliers (ids of the
//   suppliers the lots reached were received from). No start lot: empty lists.
UNWIND $codes AS code
MATCH (start:Lot {code: code}) USING INDEX SEEK start:Lot(code)
MATCH (start)<-[:PRODUCED|CONSUMED_IN*0..{{hops}}]-(n)
WITH DISTINCT n
LIMIT $limit
WITH collect(n) AS ns
RETURN [x IN ns WHERE x:Lot | x.code] AS lots,
       [x IN ns WHERE x:Batch | x.id] AS batches,
       EXISTS { UNWIND ns AS x MATCH (x)<-[:PRODUCED|CONSUMED_IN]-(m) WHERE NOT m IN ns RETURN m } AS beyond,
       COLLECT { UNWIND ns AS x MATCH (x)-[:RECEIVED_FROM]->(s:Supplier) RETURN DISTINCT s.id } AS suppliers
