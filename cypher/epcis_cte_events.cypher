// Reads whole critical tracking events as recorded, for an EPCIS export: receipts by their
// lot, productions by batch with every line, shipments by id with every line.
// Parameters: $lots (received lot codes), $batches (batch ids), $shipments (shipment ids).
// Returns one row per event: kind ('receipt', 'production' or 'shipment'), key (the lot code,
//   batch id or shipment id), node (the Lot or Batch: properties; the Customer for a
//   shipment), edge (a receipt's RECEIVED_FROM: properties; else null), party (the Supplier
//   or Customer: properties; null for a production), lines (inputs or shipment lines: list of
//   {lot, rel}, by line), outputs (a production's: list of {lot, rel}, by line; else []).
CALL {
  UNWIND $lots AS code
  MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
  MATCH (l)-[r:RECEIVED_FROM]->(s:Supplier)
  RETURN 'receipt' AS kind, code AS key, properties(l) AS node, properties(r) AS edge, properties(s) AS party,
         [] AS lines, [] AS outputs
  UNION ALL
  UNWIND $batches AS id
  MATCH (b:Batch {id: id}) USING INDEX SEEK b:Batch(id)
  RETURN 'production' AS kind, id AS key, properties(b) AS node, null AS edge, null AS party,
         COLLECT { MATCH (i:Lot)-[c:CONSUMED_IN]->(b) WITH i, c ORDER BY c.line, i.code
                   RETURN {lot: properties(i), rel: properties(c)} } AS lines,
         COLLECT { MATCH (b)-[p:PRODUCED]->(o:Lot) WITH o, p ORDER BY p.line, o.code
                   RETURN {lot: properties(o), rel: properties(p)} } AS outputs
  UNION ALL
  UNWIND $shipments AS id
  MATCH (l:Lot)-[r:SHIPPED_TO {shipment_id: id}]->(c:Customer)
  WITH id, c, l, r ORDER BY r.line, l.code
  RETURN 'shipment' AS kind, id AS key, properties(c) AS node, null AS edge, properties(c) AS party,
         collect({lot: properties(l), rel: properties(r)}) AS lines, [] AS outputs
}
RETURN kind, key, node, edge, party, lines, outputs
