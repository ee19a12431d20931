// Finds, among the lots whose code starts like a canonical GS1 Digital Link
// ('https://id.gs1.org/01/'), those that are not canonical: a GTIN of 8, 12 or 13 digits not
// padded to 14, other AIs after the lot, a query. These sort among the canonical codes, so no
// index range isolates them: this reads the whole range (every canonical GS1 lot), which is
// why neo4j.Store.MigrateGS1LotCodes runs it only until the migration has once finished
// cleanly (its mark is the index lot_former_code: migrate_gs1_lot_codes_done).
// Parameters: none.
// Returns: code, one row per lot of the range that is not of the canonical shape.
MATCH (l:Lot) USING INDEX SEEK l:Lot(code)
WHERE l.code STARTS WITH 'https://id.gs1.org/01/'
  AND NOT l.code =~ 'https://id\\.gs1\\.org/01/[0-9]{14}/10/[^/?#]+'
RETURN l.code AS code
