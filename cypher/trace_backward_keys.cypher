// Backward trace, keys only: the same walk as trace_backward, answered as one row of keys, so
// that a trace of tens of thousands of nodes stays small and quick (one row, not a row a node).
// The walk is cut where a bound stops it: `over` says the walk reached more than $limit lots
// and batches (the node cap cut it; one more is fetched to know), `beyond` that some node
// reached has a further step that was not reached (a node or depth bound cut the walk).
// `NOT m IN ns` is answered from a set Neo4j builds once for the list.
// Placeholder: {{hops}}, the hop bound: a validated integer inserted by the store, or nothing
//   (`*0..`, no depth bound).
// Parameters: $codes (list of lot codes to start from), $limit (most lots and batches).
// Returns one row: lots (codes), batches (ids), beyond (boolean), suppliers (ids of the
//   suppliers the lots reached were received from), over (boolean). No start lot: empty lists.
UNWIND $codes AS code
MATCH (start:Lot {code: code}) USING INDEX SEEK start:Lot(code)
MATCH (start)<-[:PRODUCED|CONSUMED_IN*0..{{hops}}]-(n)
WITH DISTINCT n
LIMIT $limit + 1
WITH collect(n) AS found
WITH found[..$limit] AS ns, size(found) > $limit AS over
RETURN [x IN ns WHERE x:Lot | x.code] AS lots,
       [x IN ns WHERE x:Batch | x.id] AS batches,
       EXISTS { UNWIND ns AS x MATCH (x)<-[:PRODUCED|CONSUMED_IN]-(m) WHERE NOT m IN ns RETURN m } AS beyond,
       COLLECT { UNWIND ns AS x MATCH (x)-[:RECEIVED_FROM]->(s:Supplier) RETURN DISTINCT s.id } AS suppliers,
       over
