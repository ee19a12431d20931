-- Forward trace, full answer: the walk of trace_forward, answered as every node reached with
-- its properties and every link walked, one row each, as the service's full answer holds.
-- Parameters: $1 (root lot code).
-- Returns one row a node or link: kind ('lot', 'batch', 'customer', 'CONSUMED_IN', 'PRODUCED',
--   'SHIPPED_TO'), item (json: the table row). No such lot: no rows.
WITH RECURSIVE walk(lot) AS (
    SELECT code FROM lots WHERE code = $1
  UNION
    SELECT p.lot
    FROM walk w
    JOIN consumed c ON c.lot = w.lot
    JOIN produced p ON p.batch = c.batch
), reached_batches AS (
    SELECT DISTINCT c.batch FROM walk w JOIN consumed c ON c.lot = w.lot
)
          SELECT 'lot' AS kind, to_json(l) AS item FROM walk w JOIN lots l ON l.code = w.lot
UNION ALL SELECT 'batch', to_json(b) FROM reached_batches rb JOIN batches b ON b.id = rb.batch
UNION ALL SELECT 'customer', to_json(cu) FROM customers cu
          WHERE cu.id IN (SELECT s.customer FROM walk w JOIN shipped_to s ON s.lot = w.lot)
UNION ALL SELECT 'CONSUMED_IN', to_json(c) FROM walk w JOIN consumed c ON c.lot = w.lot
UNION ALL SELECT 'PRODUCED', to_json(p) FROM reached_batches rb JOIN produced p ON p.batch = rb.batch
UNION ALL SELECT 'SHIPPED_TO', to_json(s) FROM walk w JOIN shipped_to s ON s.lot = w.lot;
