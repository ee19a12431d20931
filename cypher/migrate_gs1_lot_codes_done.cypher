// Says whether the migration to canonical GS1 lot codes has once finished cleanly on this
// database: the index on Lot.former_code (migrate_gs1_lot_codes_mark) is its mark, as the
// shipment-line constraint is migrate_shipment_line_copies'. Only then is the canonical
// range's full read (migrate_gs1_lot_candidates_canonical) skipped.
// Parameters: none.
// Returns one row: done (boolean).
SHOW INDEXES YIELD name
WHERE name = 'lot_former_code'
RETURN count(*) > 0 AS done
