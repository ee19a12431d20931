// Finds indexes named like one of lot-trace's uniqueness constraints that no constraint owns.
// Neo4j creates a constraint in two steps, its index first and then the constraint; a creation
// cut in between (the client went away, as a readiness check past its deadline once did) leaves
// the index until Neo4j restarts, and every later CREATE CONSTRAINT ... IF NOT EXISTS of that
// name then fails with IndexWithNameAlreadyExists. The store drops these (drop_index) and
// creates the constraint again. An index still being populated is left alone: it may be
// another replica's constraint creation in progress (the same error answers a creation that
// meets it), which owns its index once the index is online.
// Parameters: $names (list of constraint names).
// Returns: name (string), one row per such index.
SHOW INDEXES YIELD name, owningConstraint, state
WHERE name IN $names AND owningConstraint IS NULL AND state <> 'POPULATING'
RETURN name
