-- Backward trace, summary: every lot the root lot was made from, to received lots, with the
-- batches that made them and the suppliers of the lots reached. The recursive step goes from
-- a lot to the batch that produced it and on to that batch's inputs. UNION (not UNION ALL)
-- drops a lot already reached, so that shared ingredients are walked once and cycles in bad
-- data end. No depth bound: the answer is complete.
-- Parameters: $1 (root lot code).
-- Returns one row: lots, batches, suppliers, customers (text[], sorted; customers empty).
--   No such lot: every list empty.
WITH RECURSIVE walk(lot) AS (
    SELECT code FROM lots WHERE code = $1
  UNION
    SELECT c.lot
    FROM walk w
    JOIN produced p ON p.lot = w.lot
    JOIN consumed c ON c.batch = p.batch
)
SELECT ARRAY(SELECT lot FROM walk ORDER BY 1) AS lots,
       ARRAY(SELECT DISTINCT p.batch FROM walk w JOIN produced p ON p.lot = w.lot ORDER BY 1) AS batches,
       ARRAY(SELECT DISTINCT r.supplier FROM walk w JOIN received_from r ON r.lot = w.lot ORDER BY 1) AS suppliers,
       ARRAY[]::text[] AS customers;
