// Says whether the database holds any lot: the demo history is loaded only into an empty one.
// Parameters: none.
// Returns one row: has_lots (boolean).
RETURN EXISTS { MATCH (:Lot) } AS has_lots
