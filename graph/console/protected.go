package console

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/lot-trace/lot-trace/graph"
)

// AuditLabel is the label of the audit trail's entries when the service keeps them in Neo4j
// (cypher/audit_*.cypher). Analysts may query the graph but must neither read nor change the
// trail, and on Neo4j Community, which has no access control, the console's plan check is
// what keeps them out; on Enterprise a console user with a DENY on this label is a second
// wall (scripts/neo4j/console-user.cypher).
const AuditLabel = "AuditEntry"

// The entries are nodes without relationships, so that no expand from another node ever
// reaches one: a query reaches them only through a node scan or seek that is not limited to
// other labels. These operators produce nodes of any label, and the console refuses them.
var anyNodeOperators = map[string]string{
	"AllNodesScan":        "reads every node",
	"NodeByIdSeek":        "finds a node by id, whatever its label",
	"NodeByElementIdSeek": "finds a node by element id, whatever its label",
}

// auditLabelWord matches the audit label as a word of an operator's details ("n:AuditEntry",
// "UNIQUE x:AuditEntry(id, phase)"), in any case: a refusal of a label that merely looks like
// it costs nothing.
var auditLabelWord = regexp.MustCompile(`(?i)(^|[^A-Za-z0-9_])` + AuditLabel + `($|[^A-Za-z0-9_])`)

// checkProtected refuses an operator that may reach the audit trail: one that names its label,
// always; and while the database holds entries (trailStored), one that reads nodes of any
// label, and a count of all nodes (which would count the calls). A database without entries
// (the trail in a file, the default) keeps MATCH (n) for its analysts.
func checkProtected(name, details string, trailStored bool) error {
	if why, ok := anyNodeOperators[name]; ok && trailStored {
		return protectedf("plan operator %s %s, and the audit trail shares the database: start from a label, such as MATCH (l:Lot)", name, why)
	}
	if trailStored && name == "NodeCountFromCountStore" && strings.Contains(strings.ReplaceAll(details, " ", ""), "()") {
		return protectedf("a count of all nodes counts the audit trail's entries too: count one label, such as MATCH (l:Lot) RETURN count(l)")
	}
	if auditLabelWord.MatchString(details) {
		return protectedf("plan operator %s reads the audit trail (label %s)", name, AuditLabel)
	}
	return nil
}

func protectedf(format string, args ...any) error {
	return &graph.Error{Code: graph.EFORBIDDEN, Message: "the console cannot read the audit trail: " + fmt.Sprintf(format, args...)}
}
