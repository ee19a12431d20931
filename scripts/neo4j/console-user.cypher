// The analysts' console's own database user, for Neo4j Enterprise (role-based access control).
// The console then runs as this user (NEO4J_CONSOLE_USER, NEO4J_CONSOLE_PASSWORD), and Neo4j
// itself keeps it read-only and blind to the audit trail: a second wall around what the
// console's plan check already refuses (graph/console). Neo4j Community has no roles: there the
// plan check is the only wall (README, "Many replicas on a Neo4j cluster").
//
// Run it once, as an administrator, against the system database, naming the service's database
// (NEO4J_DATABASE; neo4j by default) in the statements below if it is another:
//
//   cypher-shell -a neo4j://primary-1:7687 -u neo4j -p "$NEO4J_PASSWORD" -d system \
//     -P "password => '$NEO4J_CONSOLE_PASSWORD'" -f scripts/neo4j/console-user.cypher
//
// Every statement is idempotent (IF NOT EXISTS, and privileges granted twice are one), so it can
// run again after an upgrade. cmd/lot-trace's TestConsoleUserScript checks that the label
// denied is the one the service writes the trail under.

CREATE ROLE lot_trace_console IF NOT EXISTS;

// Read the graph: find and read every node and relationship...
GRANT ACCESS ON DATABASE neo4j TO lot_trace_console;
GRANT MATCH {*} ON GRAPH neo4j ELEMENTS * TO lot_trace_console;

// ...but never an audit entry: to this user the trail does not exist (a DENY wins over any GRANT,
// including those of the PUBLIC role every user has).
DENY MATCH {*} ON GRAPH neo4j NODES AuditEntry TO lot_trace_console;

// Change nothing: no writes, no new labels, types or property names, no indexes or constraints,
// no LOAD CSV from any source.
DENY WRITE ON GRAPH neo4j TO lot_trace_console;
DENY NAME MANAGEMENT ON DATABASE neo4j TO lot_trace_console;
DENY INDEX MANAGEMENT ON DATABASE neo4j TO lot_trace_console;
DENY CONSTRAINT MANAGEMENT ON DATABASE neo4j TO lot_trace_console;
DENY LOAD ON ALL DATA TO lot_trace_console;

CREATE USER lot_trace_console IF NOT EXISTS
  SET PASSWORD $password CHANGE NOT REQUIRED
  SET HOME DATABASE neo4j;
GRANT ROLE lot_trace_console TO lot_trace_console;
