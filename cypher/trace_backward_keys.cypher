// Backward trace, keys only: the same walk as trace_backward, answering with the keys of what
// it reaches and no properties, so that a trace of tens of thousands of nodes stays small.
// Placeholder: {{hops}}, the hop bound, a validated integer inserted by the store.
// Parameters: $codes (list of lot codes to start from), $limit (most nodes to return).
// Returns one row per lot or batch reached: id (element id), is_lot (boolean), key (lot code
//   or batch id), next (element ids of the nodes one step further back), suppliers (ids of the
//   suppliers the lot was received from).
UNWIND $codes AS code
MATCH (start:Lot {code: code})
MATCH (start)<-[:PRODUCED|CONSUMED_IN*0..{{hops}}]-(n)
WITH DISTINCT n
LIMIT $limit
RETURN elementId(n) AS id, n:Lot AS is_lot, coalesce(n.code, n.id) AS key,
       [(n)<-[:PRODUCED|CONSUMED_IN]-(m) | elementId(m)] AS next,
       [(n)-[:RECEIVED_FROM]->(s:Supplier) | s.id] AS suppliers
