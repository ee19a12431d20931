-- Both directions, full answer: the union of trace_backward_full and trace_forward_full from
-- the root lot. A link walked both ways (only in a cycle) is answered once.
-- Parameters: $1 (root lot code).
-- Returns one row a node or link: kind ('lot', 'batch', 'supplier', 'customer', 'PRODUCED',
--   'CONSUMED_IN', 'RECEIVED_FROM', 'SHIPPED_TO'), item (json: the table row). No such lot: no rows.
WITH RECURSIVE up(lot) AS (
    SELECT code FROM lots WHERE code = $1
  UNION
    SELECT c.lot
    FROM up w
    JOIN produced p ON p.lot = w.lot
    JOIN consumed c ON c.batch = p.batch
), down(lot) AS (
    SELECT code FROM lots WHERE code = $1
  UNION
    SELECT p.lot
    FROM down w
    JOIN consumed c ON c.lot = w.lot
    JOIN produced p ON p.batch = c.batch
), reached AS (
    SELECT lot FROM up UNION SELECT lot FROM down
), up_batches AS (
    SELECT DISTINCT p.batch FROM up w JOIN produced p ON p.lot = w.lot
), down_batches AS (
    SELECT DISTINCT c.batch FROM down w JOIN consumed c ON c.lot = w.lot
), reached_batches AS (
    SELECT batch FROM up_batches UNION SELECT batch FROM down_batches
)
          SELECT 'lot' AS kind, to_json(l) AS item FROM reached r JOIN lots l ON l.code = r.lot
UNION ALL SELECT 'batch', to_json(b) FROM reached_batches rb JOIN batches b ON b.id = rb.batch
UNION ALL SELECT 'supplier', to_json(s) FROM suppliers s
          WHERE s.id IN (SELECT r.supplier FROM up w JOIN received_from r ON r.lot = w.lot)
UNION ALL SELECT 'customer', to_json(cu) FROM customers cu
          WHERE cu.id IN (SELECT s.customer FROM down w JOIN shipped_to s ON s.lot = w.lot)
UNION ALL SELECT 'PRODUCED', to_json(p) FROM (
              SELECT p.* FROM up w JOIN produced p ON p.lot = w.lot
              UNION
              SELECT p.* FROM down_batches db JOIN produced p ON p.batch = db.batch) p
UNION ALL SELECT 'CONSUMED_IN', to_json(c) FROM (
              SELECT c.* FROM up_batches ub JOIN consumed c ON c.batch = ub.batch
              UNION
              SELECT c.* FROM down w JOIN consumed c ON c.lot = w.lot) c
UNION ALL SELECT 'RECEIVED_FROM', to_json(r) FROM up w JOIN received_from r ON r.lot = w.lot
UNION ALL SELECT 'SHIPPED_TO', to_json(s) FROM down w JOIN shipped_to s ON s.lot = w.lot;
