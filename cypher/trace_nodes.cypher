// The nodes of a streamed trace with their properties, in node id order ("batch:…" <
// "customer:…" < "lot:…" < "supplier:…", each kind by key), read by key once the keys walk
// (trace_*_keys) has said which nodes the trace reached. Each UNWIND keeps the order of its
// sorted list and each part of the UNION ALL follows the one before, so the service can write
// the rows to the answer as they come; it checks the order and fails rather than answer
// unsorted.
// Parameters: $batches, $customers, $lots, $suppliers (sorted lists of keys; a key that names
//   no node gives no row).
// Returns one row per node: kind ('batch', 'customer', 'lot' or 'supplier'), key, properties
//   (the node's stored properties).
CALL {
  UNWIND $batches AS key
  MATCH (n:Batch {id: key}) USING INDEX SEEK n:Batch(id)
  RETURN 'batch' AS kind, key, properties(n) AS properties
  UNION ALL
  UNWIND $customers AS key
  MATCH (n:Customer {id: key}) USING INDEX SEEK n:Customer(id)
  RETURN 'customer' AS kind, key, properties(n) AS properties
  UNION ALL
  UNWIND $lots AS key
  MATCH (n:Lot {code: key}) USING INDEX SEEK n:Lot(code)
  RETURN 'lot' AS kind, key, properties(n) AS properties
  UNION ALL
  UNWIND $suppliers AS key
  MATCH (n:Supplier {id: key}) USING INDEX SEEK n:Supplier(id)
  RETURN 'supplier' AS kind, key, properties(n) AS properties
}
RETURN kind, key, properties
