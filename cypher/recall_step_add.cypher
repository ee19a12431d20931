// Records a step of a recall case (recall_case_lock has checked that it is open), linked to
// the customer it concerns when there is one.
// Parameters: $case_id, $step, a map {id, kind, at, by, customer, on_hand, returned,
//   destroyed, unit, note} (absent values null).
// Returns: nothing; the caller checks the counters.
MATCH (c:RecallCase {id: $case_id})
CREATE (c)-[:STEP]->(s:RecallStep {id: $step.id, case_id: c.id, kind: $step.kind, at: $step.at, by: $step.by,
                                    customer: $step.customer, on_hand: $step.on_hand, returned: $step.returned,
                                    destroyed: $step.destroyed, unit: $step.unit, note: $step.note})
WITH s
OPTIONAL MATCH (cu:Customer {id: s.customer})
FOREACH (_ IN CASE WHEN cu IS NULL THEN [] ELSE [1] END | CREATE (s)-[:CONCERNS]->(cu))
