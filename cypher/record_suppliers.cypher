// Creates or updates the suppliers a run of receipts names: one row per supplier, with its
// latest description (a name or location left out keeps the stored one).
// Parameters: $suppliers, a list of maps {id, name, location}.
// Returns: id, ref (the supplier's element id, which record_receipts finds it by), one row per
//   supplier.
UNWIND $suppliers AS s
MERGE (x:Supplier {id: s.id})
SET x.name = coalesce(s.name, x.name), x.location = coalesce(s.location, x.location)
RETURN x.id AS id, elementId(x) AS ref
