// One lot with its origin (the receipt from a supplier, or the batch that produced it and that
// batch's inputs), the batches that consumed it, and its shipment lines.
// Parameters: $code (lot code).
// Returns one row, or none when the lot does not exist: lot (node), supplier (node or null),
//   received (RECEIVED_FROM or null), batch (node or null), inputs (list of {lot, line,
//   quantity, unit}), consumed_in (list of {batch, line, quantity, unit, produced_at}),
//   shipments (list of {shipment_id, line, customer_id, customer_name, customer_location,
//   customer_contact, quantity, unit, shipped_at, from, ref_type, ref_number}).
MATCH (l:Lot {code: $code})
OPTIONAL MATCH (l)-[r:RECEIVED_FROM]->(s:Supplier)
OPTIONAL MATCH (b:Batch)-[:PRODUCED]->(l)
RETURN l AS lot, s AS supplier, r AS received, b AS batch,
       COLLECT {
         MATCH (in:Lot)-[c:CONSUMED_IN]->(b)
         RETURN {lot: in.code, line: c.line, quantity: c.quantity, unit: c.unit} ORDER BY c.line
       } AS inputs,
       COLLECT {
         MATCH (l)-[c:CONSUMED_IN]->(used:Batch)
         RETURN {batch: used.id, line: c.line, quantity: c.quantity, unit: c.unit, produced_at: used.produced_at}
         ORDER BY used.produced_at, used.id
       } AS consumed_in,
       COLLECT {
         MATCH (l)-[x:SHIPPED_TO]->(cu:Customer)
         RETURN {shipment_id: x.shipment_id, line: x.line, customer_id: cu.id,
                 customer_name: coalesce(x.customer_name, cu.name), customer_location: x.customer_location,
                 customer_contact: cu.contact, quantity: x.quantity, unit: x.unit, shipped_at: x.shipped_at,
                 from: x.from, ref_type: x.ref_type, ref_number: x.ref_number}
         ORDER BY x.shipped_at, x.shipment_id, x.line
       } AS shipments
