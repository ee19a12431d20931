// Marks the migration to canonical GS1 lot codes as finished cleanly: an index on the code a
// renamed lot had (Lot.former_code, which only renamed lots hold), to find a lot by the code
// the audit trail or an old document names it by. Being schema, not data, the mark leaves an
// empty database empty and an imported one with the nodes it imported.
// Parameters: none.
// Returns nothing.
CREATE INDEX lot_former_code IF NOT EXISTS FOR (l:Lot) ON (l.former_code)
