// Lists the products, by id.
// Parameters: $limit.
// Returns one row per product: product (its properties: id, description, ftl_category, updated_at).
MATCH (p:Product)
RETURN properties(p) AS product
ORDER BY p.id
LIMIT $limit
