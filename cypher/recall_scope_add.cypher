// Stores one version of a recall case's scope: the snapshot (JSON written by the store), and
// the affected lots and customers as lists, for the case list and the console.
// Parameters: $case_id, $scope, a map {version, started_at, computed_at, snapshot,
//   affected_lots (list of lot codes), customers (list of customer ids)}.
// Returns one row: version, or none when the case does not exist.
MATCH (c:RecallCase {id: $case_id})
CREATE (c)-[:SCOPED]->(s:RecallScope {case_id: c.id, version: $scope.version, started_at: $scope.started_at,
                                      computed_at: $scope.computed_at, snapshot: $scope.snapshot,
                                      affected_lots: $scope.affected_lots, customers: $scope.customers})
RETURN s.version AS version
