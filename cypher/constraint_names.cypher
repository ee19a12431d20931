// Lists the names of the uniqueness constraints in place; readiness checks them.
// Parameters: none.
// Returns: name (string), one row per constraint.
SHOW CONSTRAINTS YIELD name, type
WHERE type = 'UNIQUENESS'
RETURN name
