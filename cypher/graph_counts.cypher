// Counts every node and relationship (from Neo4j's count store, without a scan): an
// initial import checks that the database holds what it wrote.
// Parameters: none.
// Returns one row: nodes, relationships (integers).
CALL { MATCH (n) RETURN count(n) AS nodes }
CALL { MATCH ()-[r]->() RETURN count(r) AS relationships }
RETURN nodes, relationships
