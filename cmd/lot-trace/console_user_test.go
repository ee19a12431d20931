package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/graph/console"
)

// TestConsoleUserScript keeps scripts/neo4j/console-user.cypher in step with the service: it
// cannot run here (Neo4j Community has no roles), so this checks what can be checked without
// an Enterprise server: the label it denies is the audit trail's, the role reads and is denied
// every write, and the password is a parameter, never text in the file.
func TestConsoleUserScript(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "scripts", "neo4j", "console-user.cypher"))
	if err != nil {
		t.Fatal(err)
	}
	var statements []string
	for _, line := range strings.Split(string(raw), "\n") {
		if !strings.HasPrefix(strings.TrimSpace(line), "//") {
			statements = append(statements, line)
		}
	}
	script := strings.Join(statements, "\n")
	for _, want := range []string{
		"DENY MATCH {*} ON GRAPH neo4j NODES " + console.AuditLabel + " TO lot_trace_console;",
		"GRANT MATCH {*} ON GRAPH neo4j ELEMENTS * TO lot_trace_console;",
		"DENY WRITE ON GRAPH neo4j TO lot_trace_console;",
		"DENY LOAD ON ALL DATA TO lot_trace_console;",
		"SET PASSWORD $password CHANGE NOT REQUIRED",
		"GRANT ROLE lot_trace_console TO lot_trace_console;",
	} {
		if !strings.Contains(script, want) {
			t.Errorf("the script lacks %q", want)
		}
	}
	for _, stmt := range strings.Split(script, ";") {
		stmt = strings.Join(strings.Fields(stmt), " ")
		if stmt != "" && !regexp.MustCompile(`^(CREATE (ROLE|USER) \w+ IF NOT EXISTS|GRANT|DENY)( |$)`).MatchString(stmt) {
			t.Errorf("statement %q is neither an idempotent CREATE nor a GRANT or DENY", stmt)
		}
	}
	// The service writes the trail under the same label.
	cypherFile, err := os.ReadFile(filepath.Join("..", "..", "cypher", "audit_append.cypher"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(cypherFile), "MERGE (e:"+console.AuditLabel+" ") {
		t.Errorf("cypher/audit_append.cypher does not write the trail under %s", console.AuditLabel)
	}
}
