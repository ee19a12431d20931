// Finds which of a lot's written forms (as given, then canonical) a lot is stored under.
// Parameters: $codes (list of lot codes, in order of preference).
// Returns at most one row: code.
UNWIND range(0, size($codes) - 1) AS i
MATCH (l:Lot {code: $codes[i]})
RETURN l.code AS code
ORDER BY i
LIMIT 1
