// How many records of each CTE the whole history holds (a completeness report with no scope
// and no dates): read from Neo4j's counts of relationships by type, without a scan.
// Parameters: none.
// Returns one row: receiving, transformation, shipping (counts).
CALL { MATCH ()-[r:RECEIVED_FROM]->() RETURN count(r) AS receiving }
CALL { MATCH ()-[r:CONSUMED_IN]->() RETURN count(r) AS consumed }
CALL { MATCH ()-[r:PRODUCED]->() RETURN count(r) AS produced }
CALL { MATCH ()-[r:SHIPPED_TO]->() RETURN count(r) AS shipping }
RETURN receiving, consumed + produced AS transformation, shipping
