// How many records of each CTE a completeness report covers: receipts, transformation lines
// (inputs and outputs) and shipment lines in scope, as completeness_* read them.
// Parameters: $open, $from, $to, $all, $products, $food, $tlcs (as completeness_receiving).
// Returns one row: receiving, transformation, shipping (counts).
CALL {
  MATCH (l:Lot)-[r:RECEIVED_FROM]->(:Supplier)
  WHERE ($open OR (r.received_at >= $from AND r.received_at <= $to))
    AND ($all OR l.code IN $tlcs OR l.product IN $products
         OR ($food <> '' AND EXISTS { MATCH (p:Product {id: l.product}) WHERE p.ftl_category = $food }))
  RETURN count(*) AS receiving
}
CALL {
  MATCH (b:Batch)
  WHERE ($open OR (b.produced_at >= $from AND b.produced_at <= $to))
    AND ($all OR EXISTS {
      MATCH (b)-[:CONSUMED_IN|PRODUCED]-(x:Lot)
      WHERE x.code IN $tlcs OR x.product IN $products
         OR ($food <> '' AND EXISTS { MATCH (p:Product {id: x.product}) WHERE p.ftl_category = $food })
    })
  MATCH (b)-[:CONSUMED_IN|PRODUCED]-(:Lot)
  RETURN count(*) AS transformation
}
CALL {
  MATCH (l:Lot)-[r:SHIPPED_TO]->(:Customer)
  WHERE ($open OR (r.shipped_at >= $from AND r.shipped_at <= $to))
    AND ($all OR l.code IN $tlcs OR l.product IN $products
         OR ($food <> '' AND EXISTS { MATCH (p:Product {id: l.product}) WHERE p.ftl_category = $food }))
  RETURN count(*) AS shipping
}
RETURN receiving, transformation, shipping
