// The FSMA 204 spreadsheet's rows of a trace or recall, one per event line, oldest first, for
// the service to write to the download as they come: the receipts of the lots a backward walk
// reached, every input and output line of every batch reached (a transformation is read as
// its whole record, 21 CFR 1.1350, so lines off the traced path are rows too), and the
// shipment lines of the lots a forward walk reached. Neo4j sorts the rows, so that the service
// holds one at a time. The order is the spreadsheet's: date, then receiving, transformation,
// shipping, then event id, inputs before outputs, line and lot; a missing date sorts first.
// Parameters: $received (lot codes whose receipts are rows), $batches (batch ids whose lines
//   are rows), $shipped (lot codes whose shipment lines are rows).
// Returns one row per event line: cte ('receiving', 'transformation' or 'shipping'), role
//   ('input', 'output' or ''), event (the lot code of a receipt, the batch id of a
//   transformation, the shipment id of a shipment), lot (the line's Lot: its properties),
//   edge (the line's RECEIVED_FROM, CONSUMED_IN, PRODUCED or SHIPPED_TO: its properties),
//   party (the Supplier, Batch or Customer at the other end: its properties), inputs (on an
//   output line, every input line of the batch as [lot code, quantity, unit], by line; else []).
CALL {
  UNWIND $received AS code
  MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
  MATCH (l)-[r:RECEIVED_FROM]->(s:Supplier)
  RETURN 0 AS rank, r.received_at AS date, 'receiving' AS cte, '' AS role, code AS event, 0 AS line,
         l, r, s AS party, [] AS inputs
  UNION ALL
  UNWIND $batches AS id
  MATCH (b:Batch {id: id}) USING INDEX SEEK b:Batch(id)
  MATCH (b)-[r:CONSUMED_IN|PRODUCED]-(l:Lot)
  RETURN 1 AS rank, b.produced_at AS date, 'transformation' AS cte,
         CASE type(r) WHEN 'CONSUMED_IN' THEN 'input' ELSE 'output' END AS role, id AS event,
         coalesce(r.line, 0) AS line, l, r, b AS party,
         CASE type(r) WHEN 'PRODUCED' THEN COLLECT {
           MATCH (b)<-[c:CONSUMED_IN]-(i:Lot)
           WITH i, c ORDER BY coalesce(c.line, 0), i.code
           RETURN [i.code, c.quantity, c.unit]
         } ELSE [] END AS inputs
  UNION ALL
  UNWIND $shipped AS code
  MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
  MATCH (l)-[r:SHIPPED_TO]->(c:Customer)
  RETURN 2 AS rank, r.shipped_at AS date, 'shipping' AS cte, '' AS role, r.shipment_id AS event,
         coalesce(r.line, 0) AS line, l, r, c AS party, [] AS inputs
}
WITH rank, date, cte, role, event, line, l, r, party, inputs
ORDER BY coalesce(date, datetime('0001-01-01T00:00:00Z')), rank, event, role, line, l.code
RETURN cte, role, event, properties(l) AS lot, properties(r) AS edge, properties(party) AS party, inputs
