-- Forward trace, summary: every lot made from the root lot, however many batches on, with the
-- batches that consumed the lots reached and the customers any of them (the root included)
-- was shipped to. UNION and no depth bound, as in trace_backward.
-- Parameters: $1 (root lot code).
-- Returns one row: lots, batches, suppliers, customers (text[], sorted; suppliers empty).
--   No such lot: every list empty.
WITH RECURSIVE walk(lot) AS (
    SELECT code FROM lots WHERE code = $1
  UNION
    SELECT p.lot
    FROM walk w
    JOIN consumed c ON c.lot = w.lot
    JOIN produced p ON p.batch = c.batch
)
SELECT ARRAY(SELECT lot FROM walk ORDER BY 1) AS lots,
       ARRAY(SELECT DISTINCT c.batch FROM walk w JOIN consumed c ON c.lot = w.lot ORDER BY 1) AS batches,
       ARRAY[]::text[] AS suppliers,
       ARRAY(SELECT DISTINCT s.customer FROM walk w JOIN shipped_to s ON s.lot = w.lot ORDER BY 1) AS customers;
