// Creates or replaces a product: its description and its Food Traceability List category
// (null for a food not on the list).
// Parameters: $id, $description (or null), $ftl_category (or null), $now (datetime).
// Returns one row: created (true when the product was not stored before).
OPTIONAL MATCH (old:Product {id: $id})
WITH old IS NULL AS created
MERGE (p:Product {id: $id})
SET p.description = $description, p.ftl_category = $ftl_category, p.updated_at = $now
RETURN created
