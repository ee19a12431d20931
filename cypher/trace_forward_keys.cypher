// Forward trace, keys only: the same walk as trace_forward, answering with the keys of what it
// reaches and each shipment line's essentials, so that a hub ingredient's trace stays small.
// Placeholder: {{hops}}, the hop bound, a validated integer inserted by the store.
// Parameters: $codes (list of lot codes to start from), $limit (most nodes to return).
// Returns one row per lot or batch reached: id (element id), is_lot (boolean), key (lot code
//   or batch id), next (element ids of the nodes one step further on), shipments (list of
//   [shipment_id, line, customer id, quantity, unit, shipped_at], one per SHIPPED_TO).
UNWIND $codes AS code
MATCH (start:Lot {code: code})
MATCH (start)-[:PRODUCED|CONSUMED_IN*0..{{hops}}]->(n)
WITH DISTINCT n
LIMIT $limit
RETURN elementId(n) AS id, n:Lot AS is_lot, coalesce(n.code, n.id) AS key,
       [(n)-[:PRODUCED|CONSUMED_IN]->(m) | elementId(m)] AS next,
       [(n)-[r:SHIPPED_TO]->(c:Customer) | [r.shipment_id, r.line, c.id, r.quantity, r.unit, r.shipped_at]] AS shipments
