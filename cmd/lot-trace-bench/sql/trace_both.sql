-- Both directions, summary: the union of trace_backward and trace_forward from the root lot
-- (suppliers from the backward walk, customers from the forward walk).
-- Parameters: $1 (root lot code).
-- Returns one row: lots, batches, suppliers, customers (text[], sorted).
--   No such lot: every list empty.
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
)
SELECT ARRAY(SELECT lot FROM up UNION SELECT lot FROM down ORDER BY 1) AS lots,
       ARRAY(SELECT p.batch FROM up w JOIN produced p ON p.lot = w.lot
             UNION
             SELECT c.batch FROM down w JOIN consumed c ON c.lot = w.lot ORDER BY 1) AS batches,
       ARRAY(SELECT DISTINCT r.supplier FROM up w JOIN received_from r ON r.lot = w.lot ORDER BY 1) AS suppliers,
       ARRAY(SELECT DISTINCT s.customer FROM down w JOIN shipped_to s ON s.lot = w.lot ORDER BY 1) AS customers;
