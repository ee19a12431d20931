// Reads one product.
// Parameters: $id.
// Returns one row, or none for an unknown product: product (its properties: id, description,
//   ftl_category, updated_at).
MATCH (p:Product {id: $id})
RETURN properties(p) AS product
