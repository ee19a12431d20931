// Forward trace, keys only: the same walk as trace_forward, answered as one row of keys, so
// that a hub ingredient's trace stays small and quick. `over` and `beyond` as in
// trace_backward_keys.
// Placeholder: {{hops}}, the hop bound: a validated integer inserted by the store, or nothing.
// Parameters: $codes (list of lot codes to start from), $limit (most lots and batches).
// Returns one row: lots (codes), batches (ids), beyond (boolean), customers (ids of the
//   customers any lot reached was shipped to), over (boolean). No start lot: empty lists.
UNWIND $codes AS code
MATCH (start:Lot {code: code}) USING INDEX SEEK start:Lot(code)
MATCH (start)-[:PRODUCED|CONSUMED_IN*0..{{hops}}]->(n)
WITH DISTINCT n
LIMIT $limit + 1
WITH collect(n) AS found
WITH found[..$limit] AS ns, size(found) > $limit AS over
RETURN [x IN ns WHERE x:Lot | x.code] AS lots,
       [x IN ns WHERE x:Batch | x.id] AS batches,
       EXISTS { UNWIND ns AS x MATCH (x)-[:PRODUCED|CONSUMED_IN]->(m) WHERE NOT m IN ns RETURN m } AS beyond,
       COLLECT { UNWIND ns AS x MATCH (x)-[:SHIPPED_TO]->(c:Customer) RETURN DISTINCT c.id } AS customers,
       over
