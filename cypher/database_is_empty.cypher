// Says whether the database holds no node at all: an initial import (lot-trace import
// --initial) replaces the whole database, so it refuses one that holds anything.
// Parameters: none.
// Returns one row: empty (boolean).
RETURN NOT EXISTS { MATCH (n) } AS empty
