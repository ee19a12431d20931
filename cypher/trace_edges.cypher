// The edges of a streamed trace, one row each, in the order of the trace's edges: by the node
// they leave (batches, then lots, each by key; customers and suppliers leave by no edge), then
// by the node they reach and their type. They are read by key once the keys walk
// (trace_*_keys) has said which nodes the trace reached; each UNWIND keeps the order of its
// sorted list, the UNION ALL parts follow one another, and one node's edges are sorted by
// Neo4j, so the service holds one row at a time (it checks the order and fails rather than
// answer unsorted). A lot–batch edge whose far end was not reached is left out here (`IN` a
// list parameter is answered from a set Neo4j builds once), so that a hub lot reached
// backward does not send its thousands of CONSUMED_IN lines; the service keeps, of the rest,
// the lot–batch edges whose ends one walk reached, the receipts of lots reached backward and
// the shipment lines of lots reached forward.
// Parameters: $batches, $lots (sorted lists of the batch ids and lot codes reached),
//   $properties (true: each edge's stored properties; false: only what orders shipments).
// Returns one row per edge: kind ('batch' or 'lot') and key of the node it leaves, id (its
//   element id), type, far_kind ('lot', 'batch', 'customer' or 'supplier') and far (key) of
//   the node it reaches, properties.
CALL {
  UNWIND $batches AS key
  MATCH (n:Batch {id: key}) USING INDEX SEEK n:Batch(id)
  CALL (n) {
    MATCH (n)-[r:PRODUCED]->(m:Lot)
    WHERE m.code IN $lots
    RETURN r, 'lot' AS far_kind, m.code AS far
  }
  RETURN 'batch' AS kind, key, r, far_kind, far
  UNION ALL
  UNWIND $lots AS key
  MATCH (n:Lot {code: key}) USING INDEX SEEK n:Lot(code)
  CALL (n) {
    MATCH (n)-[r:CONSUMED_IN|SHIPPED_TO|RECEIVED_FROM]->(m)
    WHERE NOT m:Batch OR m.id IN $batches
    RETURN r, CASE WHEN m:Batch THEN 'batch' WHEN m:Customer THEN 'customer' ELSE 'supplier' END AS far_kind, m.id AS far
  }
  RETURN 'lot' AS kind, key, r, far_kind, far
}
RETURN kind, key, elementId(r) AS id, type(r) AS type, far_kind, far,
       CASE WHEN $properties THEN properties(r) ELSE {shipment_id: r.shipment_id, line: r.line} END AS properties
