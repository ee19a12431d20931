// Lists the names of the uniqueness constraints in place, on nodes and on relationships;
// readiness checks them.
// Parameters: none.
// Returns: name (string), one row per constraint.
SHOW CONSTRAINTS YIELD name, type
WHERE type IN ['UNIQUENESS', 'RELATIONSHIP_UNIQUENESS']
RETURN name
