// Records that a migration has finished cleanly: one SchemaMigration node per migration
// name. Written only on a database that holds lots, so that an empty database stays empty
// (an initial import refuses any other).
// Parameters: $name (the migration's name).
// Returns nothing.
MERGE (m:SchemaMigration {name: $name})
ON CREATE SET m.finished_at = datetime()
