// Says whether the migration to canonical GS1 lot codes has once finished cleanly on this
// database (migrate_gs1_lot_codes_mark): only then is the canonical range's full read
// (migrate_gs1_lot_candidates_canonical) skipped.
// Parameters: $name (the migration's name).
// Returns one row: done (boolean).
RETURN EXISTS { MATCH (m:SchemaMigration {name: $name}) } AS done
