// What became of each lot, for mass balance: its quantity and its consumption and shipping
// totals over all of its relationships (not only those inside a trace), one total per unit.
// Parameters: $codes (list of lot codes).
// Returns one row per lot that exists: code, product, origin, quantity, unit,
//   consumed (list of {unit, quantity}), shipped (list of {unit, quantity}).
UNWIND $codes AS code
MATCH (l:Lot {code: code}) USING INDEX SEEK l:Lot(code)
RETURN l.code AS code, l.product AS product, l.origin AS origin, l.quantity AS quantity, l.unit AS unit,
       COLLECT {
         MATCH (l)-[c:CONSUMED_IN]->(:Batch)
         WITH c.unit AS unit, sum(c.quantity) AS quantity
         RETURN {unit: unit, quantity: quantity}
       } AS consumed,
       COLLECT {
         MATCH (l)-[s:SHIPPED_TO]->(:Customer)
         WITH s.unit AS unit, sum(s.quantity) AS quantity
         RETURN {unit: unit, quantity: quantity}
       } AS shipped
