package cypher

// The migration of lots stored under a GS1 code that is not canonical (neo4j.Store.MigrateGS1LotCodes).
var (
	MigrateGS1LotCandidates          = load("migrate_gs1_lot_candidates.cypher")
	MigrateGS1LotCandidatesCanonical = load("migrate_gs1_lot_candidates_canonical.cypher")
	MigrateGS1LotCodes               = load("migrate_gs1_lot_codes.cypher")
	MigrateGS1LotCodesDone           = load("migrate_gs1_lot_codes_done.cypher")
	MigrateGS1LotCodesMark           = load("migrate_gs1_lot_codes_mark.cypher")
)
