// A recall's affected side, keys only: the forward walk of trace_forward_keys from the lot and
// its siblings, with its customers and, up to $lines of them, the shipment lines of the lots
// reached. A recall with more lines than that streams them instead (recall_shipment_lines),
// so that a hub's hundred thousand lines are never held in one row; a small recall answers in
// this one statement. `over` and `beyond` as in trace_backward_keys.
// Placeholder: {{hops}}, the hop bound: a validated integer inserted by the store, or nothing.
// Parameters: $codes (list of lot codes to start from), $limit (most lots and batches),
//   $lines (most shipment lines to return; one more is returned when there are more).
// Returns one row: lots (codes), batches (ids), beyond (boolean), customers (ids of the
//   customers any lot reached was shipped to), shipments (list of [lot code, shipment_id, line,
//   customer id, quantity, unit, shipped_at], one per SHIPPED_TO, at most $lines + 1),
//   over (boolean).
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
       COLLECT {
         UNWIND ns AS x
         MATCH (x)-[r:SHIPPED_TO]->(c:Customer)
         RETURN [x.code, r.shipment_id, r.line, c.id, r.quantity, r.unit, r.shipped_at]
         LIMIT $lines + 1
       } AS shipments,
       over
