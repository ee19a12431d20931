// Example queries for analysts, each loaded into the console with a click. The parameters
// name lots of the demo history that `make run` loads; any code of your own works the same.

export interface Example {
  title: string;
  query: string;
  params: Record<string, unknown>;
}

export const EXAMPLES: Example[] = [
  {
    title: 'Lots received from a supplier in a date range',
    query: `MATCH (l:Lot)-[r:RECEIVED_FROM]->(s:Supplier {id: $supplier})
WHERE r.received_at >= datetime($from) AND r.received_at < datetime($to)
RETURN l.code AS lot, l.product AS product, r.quantity AS quantity, r.unit AS unit,
       r.received_at AS received, r.ref_number AS po
ORDER BY received`,
    params: { supplier: 'SUP-001', from: '2026-01-01', to: '2026-02-01' },
  },
  {
    title: 'Batches that consumed a lot',
    query: `MATCH (l:Lot {code: $lot})-[c:CONSUMED_IN]->(b:Batch)
RETURN l, c, b
ORDER BY b.produced_at`,
    params: { lot: 'ING-000001' },
  },
  {
    title: 'Customers who received product made from a lot',
    query: `// Any number of batches downstream (0 steps: the lot itself was shipped).
MATCH (l:Lot {code: $lot})-[:CONSUMED_IN|PRODUCED*0..40]->(p:Lot)-[:SHIPPED_TO]->(c:Customer)
RETURN DISTINCT c.id AS customer, c.name AS name, c.location AS location
ORDER BY customer`,
    params: { lot: 'ING-000001' },
  },
  {
    title: 'Where a lot went, drawn as paths',
    query: `MATCH path = (l:Lot {code: $lot})-[:CONSUMED_IN|PRODUCED*0..6]->(:Lot)-[:SHIPPED_TO]->(:Customer)
RETURN path
LIMIT 200`,
    params: { lot: 'DOUGH-000001' },
  },
  {
    title: 'Mass balance of a lot',
    query: `// In the lot's own unit: lines in another unit are left out.
MATCH (l:Lot {code: $lot})
OPTIONAL MATCH (l)-[c:CONSUMED_IN]->() WHERE c.unit = l.unit
WITH l, coalesce(sum(c.quantity), 0) AS consumed
OPTIONAL MATCH (l)-[s:SHIPPED_TO]->() WHERE s.unit = l.unit
WITH l, consumed, coalesce(sum(s.quantity), 0) AS shipped
RETURN l.code AS lot, l.quantity AS quantity, l.unit AS unit, consumed, shipped,
       l.quantity - consumed - shipped AS remaining,
       round(100.0 * (consumed + shipped) / l.quantity, 1) AS percent_accounted`,
    params: { lot: 'DOUGH-000001' },
  },
  {
    title: 'Products shipped to a customer, by lot',
    query: `MATCH (l:Lot)-[s:SHIPPED_TO]->(c:Customer {id: $customer})
RETURN l.product AS product, l.code AS lot, sum(s.quantity) AS quantity, s.unit AS unit,
       min(s.shipped_at) AS first_shipped
ORDER BY product, lot`,
    params: { customer: 'CUST-0001' },
  },
];
