-- Backward trace, full answer: the walk of trace_backward, answered as every node reached with
-- its properties and every link walked, one row each, as the service's full answer holds.
-- Parameters: $1 (root lot code).
-- Returns one row a node or link: kind ('lot', 'batch', 'supplier', 'PRODUCED', 'CONSUMED_IN',
--   'RECEIVED_FROM'), item (json: the table row). No such lot: no rows.
WITH RECURSIVE walk(lot) AS (
    SELECT code FROM lots WHERE code = $1
  UNION
    SELECT c.lot
    FROM walk w
    JOIN produced p ON p.lot = w.lot
    JOIN consumed c ON c.batch = p.batch
), reached_batches AS (
    SELECT DISTINCT p.batch FROM walk w JOIN produced p ON p.lot = w.lot
)
          SELECT 'lot' AS kind, to_json(l) AS item FROM walk w JOIN lots l ON l.code = w.lot
UNION ALL SELECT 'batch', to_json(b) FROM reached_batches rb JOIN batches b ON b.id = rb.batch
UNION ALL SELECT 'supplier', to_json(s) FROM suppliers s
          WHERE s.id IN (SELECT r.supplier FROM walk w JOIN received_from r ON r.lot = w.lot)
UNION ALL SELECT 'PRODUCED', to_json(p) FROM walk w JOIN produced p ON p.lot = w.lot
UNION ALL SELECT 'CONSUMED_IN', to_json(c) FROM reached_batches rb JOIN consumed c ON c.batch = rb.batch
UNION ALL SELECT 'RECEIVED_FROM', to_json(r) FROM walk w JOIN received_from r ON r.lot = w.lot;
