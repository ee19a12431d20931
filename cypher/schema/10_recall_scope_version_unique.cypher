// A recall case keeps every scope it computed, one node per version: two rescopes racing
// cannot both store the same version.
CREATE CONSTRAINT recall_scope_version_unique IF NOT EXISTS
FOR (s:RecallScope) REQUIRE (s.case_id, s.version) IS UNIQUE
