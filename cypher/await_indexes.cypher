// Waits until every index (the constraints' included) is online: after an initial import
// the schema is created on a full database, and its indexes are populated in the background.
// Parameters: $seconds, the longest wait; Neo4j fails the call when it runs out.
// Returns: nothing.
CALL db.awaitIndexes($seconds)
