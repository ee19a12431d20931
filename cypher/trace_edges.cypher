// The edges of a streamed trace, grouped by the node they leave, in that node's id order
// (batches, then lots; customers and suppliers leave by no edge), read by key once the keys
// walk (trace_*_keys) has said which nodes the trace reached. A lot–batch edge belongs to the
// trace when both its ends were reached, which is checked here (`IN` a list parameter is
// answered from a set Neo4j builds once), so that a hub lot reached backward does not send its
// thousands of CONSUMED_IN lines; a lot's RECEIVED_FROM and SHIPPED_TO edges are few, and the
// service keeps those of the lots the backward or forward walk reached.
// Parameters: $batches, $lots (sorted lists of the batch ids and lot codes reached),
//   $properties (true: each edge's stored properties; false: only what orders shipments).
// Returns one row per batch and lot: kind ('batch' or 'lot'), key, edges (list of [element
//   id, type, kind of the far end, key of the far end, properties]).
CALL {
  UNWIND $batches AS key
  MATCH (n:Batch {id: key}) USING INDEX SEEK n:Batch(id)
  RETURN 'batch' AS kind, key,
         [(n)-[r:PRODUCED]->(m:Lot) WHERE m.code IN $lots | [elementId(r), type(r), 'lot', m.code, CASE WHEN $properties THEN properties(r) ELSE {} END]] AS edges
  UNION ALL
  UNWIND $lots AS key
  MATCH (n:Lot {code: key}) USING INDEX SEEK n:Lot(code)
  RETURN 'lot' AS kind, key,
         [(n)-[r:CONSUMED_IN]->(m:Batch) WHERE m.id IN $batches | [elementId(r), type(r), 'batch', m.id, CASE WHEN $properties THEN properties(r) ELSE {} END]] +
         [(n)-[r:RECEIVED_FROM]->(m:Supplier) | [elementId(r), type(r), 'supplier', m.id, CASE WHEN $properties THEN properties(r) ELSE {} END]] +
         [(n)-[r:SHIPPED_TO]->(m:Customer) | [elementId(r), type(r), 'customer', m.id, CASE WHEN $properties THEN properties(r) ELSE {shipment_id: r.shipment_id, line: r.line} END]] AS edges
}
RETURN kind, key, edges
