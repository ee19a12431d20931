package graph

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// AnalystQuery is Cypher sent to the analysts' console, with its parameters (JSON values:
// nil, bool, int64, float64, string, []any, map[string]any).
type AnalystQuery struct {
	Text   string
	Params map[string]any
}

// QueryLimits bound one console query.
type QueryLimits struct {
	// Timeout is the server-side transaction timeout: Neo4j stops the query when it passes.
	Timeout time.Duration
	// MaxRows caps the rows returned; more rows set QueryResult.Truncated.
	MaxRows int
}

// Default console limits.
const (
	DefaultQueryTimeout = 10 * time.Second
	DefaultQueryMaxRows = 10000
)

// withDefaults fills unset limits.
func (l QueryLimits) withDefaults() QueryLimits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultQueryTimeout
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultQueryMaxRows
	}
	return l
}

// ReadOnlyProcedures are the only procedures the console may call: they describe the schema
// and change nothing. Many procedures Neo4j labels READ still have effects (db.stats.collect
// starts a collection, db.resampleIndex rebuilds statistics) or reveal the server
// (dbms.listConfig), so the list names what is allowed rather than what is not.
var ReadOnlyProcedures = []string{
	"db.labels",
	"db.relationshipTypes",
	"db.propertyKeys",
	"db.schema.visualization",
	"db.schema.nodeTypeProperties",
	"db.schema.relTypeProperties",
}

// builtinFunctionNamespaces are the namespaces of Neo4j's own functions. A function in any other
// namespace comes from a plugin, and some plugin functions run Cypher given as a string
// (apoc.cypher.runFirstColumn*), which would hide a LOAD CSV or a procedure call from the checks.
var builtinFunctionNamespaces = []string{
	"date", "datetime", "localdatetime", "localtime", "time", "duration", "point", "vector",
}

// Validate checks the query text before it reaches Neo4j: it must not be empty, and it must
// not use LOAD CSV, a procedure outside ReadOnlyProcedures, a plugin function, or the SHOW,
// TERMINATE and USE commands. EXPLAIN decides the rest (see Store.ReadOnlyQuery).
func (q AnalystQuery) Validate() error {
	if strings.TrimSpace(q.Text) == "" {
		return Invalid("the query is empty", FieldError{Field: "query", Message: "must be a Cypher query"})
	}
	return checkQueryText(q.Text)
}

// refused is the error for a query the console will not run: a 403, as the API promises for
// anything that is not a plain read.
func refused(format string, args ...any) error {
	return &Error{Code: EFORBIDDEN, Message: "the console runs read-only queries only: " + fmt.Sprintf(format, args...)}
}

// checkQueryText applies the text rules to the query's tokens. The plan check after EXPLAIN
// would see most of the same things, but the driver's Plan.Children is wrong for operators
// with two or more children (v5.28.4 repeats the last child in place of the others), so a
// LOAD CSV in the first branch of a UNION or an Apply would be invisible there. The tokens are
// complete, so the rules are enforced here and the plan check is a second net.
func checkQueryText(text string) error {
	toks, err := lexCypher(text)
	if err != nil {
		return err
	}
	for i, t := range toks {
		if t.kind != tokWord && t.kind != tokQuoted {
			continue
		}
		if i > 0 && toks[i-1].isPunct(".", ":", "$") && !(i > 1 && toks[i-2].kind == tokNumber) {
			continue // a property key, label, relationship type or parameter name (never after "1.")
		}
		if t.kind == tokWord {
			if err := checkKeyword(toks, i); err != nil {
				return err
			}
		}
		if err := checkFunctionCall(toks, i); err != nil {
			return err
		}
	}
	return nil
}

// checkKeyword applies the rules for the keywords that can read outside the graph or reach the
// server. Each word may also be a variable name (MATCH (call) RETURN call), told apart by the
// token that follows; a follower that fits neither reading is refused, so an odd spelling
// cannot slip a command past the check.
func checkKeyword(toks []token, i int) error {
	next := tokenAt(toks, i+1)
	word := strings.ToUpper(toks[i].text)
	switch word {
	case "CALL":
		if next.isPunct("{", "(") {
			return nil // a subquery: its own tokens are checked like the rest
		}
		if next.kind == tokQuoted || (next.kind == tokWord && !next.endsVariable()) {
			name, _ := dottedName(toks, i+1)
			if !slices.Contains(ReadOnlyProcedures, name) {
				return refused("procedure %s is not allowed (allowed: %s)", name, strings.Join(ReadOnlyProcedures, ", "))
			}
			return nil
		}
		if next.endsVariable() {
			return nil
		}
		return refused("cannot tell what CALL calls here")
	case "LOAD":
		if next.kind == tokWord && strings.EqualFold(next.text, "CSV") {
			return refused("LOAD CSV reads files and URLs")
		}
		if next.endsVariable() {
			return nil
		}
		return refused("LOAD is not allowed")
	case "SHOW", "TERMINATE":
		if next.endsVariable() {
			return nil
		}
		return refused("%s commands are not available in the console (use the db.schema procedures)", word)
	case "USE":
		if next.endsVariable() {
			return nil
		}
		return refused("USE is not allowed: the console queries lot-trace's database only")
	}
	return nil
}

// checkFunctionCall refuses a call of a function outside Neo4j's own namespaces.
func checkFunctionCall(toks []token, i int) error {
	if i > 0 && toks[i-1].kind == tokWord && strings.EqualFold(toks[i-1].text, "CALL") {
		return nil // a procedure name, checked by checkKeyword
	}
	name, end := dottedName(toks, i)
	if !tokenAt(toks, end).isPunct("(") {
		return nil
	}
	dot := strings.LastIndex(name, ".")
	if dot < 0 {
		return nil // functions without a namespace are Neo4j's own
	}
	if !slices.Contains(builtinFunctionNamespaces, strings.ToLower(name[:dot])) {
		return refused("function %s is not one of Neo4j's built-in functions", name)
	}
	return nil
}

// dottedName joins the name starting at toks[i] (a.b.c, parts possibly quoted) and returns it
// with the index of the first token after it.
func dottedName(toks []token, i int) (string, int) {
	var parts []string
	for i < len(toks) && (toks[i].kind == tokWord || toks[i].kind == tokQuoted) {
		parts = append(parts, toks[i].text)
		if !tokenAt(toks, i+1).isPunct(".") {
			i++
			break
		}
		i += 2
	}
	return strings.Join(parts, "."), i
}
