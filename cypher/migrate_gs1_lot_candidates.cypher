// Finds the lots an earlier version may have stored under a GS1 code that is not canonical
// (graph/gs1.Canonical): since GS1 lots are stored under their canonical Digital Link
// (https://id.gs1.org/01/<GTIN-14>/10/<lot>), an older lot named by an LGTIN URN or another
// spelling of its Digital Link is found by no route. migrate_gs1_lot_codes renames them.
// Every part is a range seek of lot_code_unique's index over codes no canonical GS1 lot has:
// LGTIN URNs, http:// links, and https:// links outside the canonical resolver's
// 'https://id.gs1.org/01/' (the ranges below and above it). On a database without such lots
// it reads no index entry but the boundaries; a database whose own lot codes are URLs pays a
// read of those. The canonical range itself is read by migrate_gs1_lot_candidates_canonical,
// once.
// The program decides which candidates are GS1 lots and what their canonical codes are.
// Parameters: none.
// Returns: code, one row per candidate.
CALL {
  MATCH (l:Lot) USING INDEX SEEK l:Lot(code)
  WHERE l.code STARTS WITH 'urn:epc:class:lgtin:'
  RETURN l.code AS code
  UNION ALL
  MATCH (l:Lot) USING INDEX SEEK l:Lot(code)
  WHERE l.code STARTS WITH 'http://'
  RETURN l.code AS code
  UNION ALL
  MATCH (l:Lot) USING INDEX SEEK l:Lot(code)
  WHERE l.code >= 'https://' AND l.code < 'https://id.gs1.org/01/'
  RETURN l.code AS code
  UNION ALL
  // 'https://id.gs1.org/010' is the first string after every one that starts with
  // 'https://id.gs1.org/01/' ('0' follows '/'), and 'https:/0' the first after every https:// link.
  MATCH (l:Lot) USING INDEX SEEK l:Lot(code)
  WHERE l.code >= 'https://id.gs1.org/010' AND l.code < 'https:/0'
  RETURN l.code AS code
}
RETURN code
