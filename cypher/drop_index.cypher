// Drops one index by name (an orphaned constraint index: see orphan_constraint_indexes).
// Parameters: $name (string).
// Returns: nothing.
DROP INDEX $name IF EXISTS
