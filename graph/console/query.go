package console

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lot-trace/lot-trace/graph"
)

// Query is Cypher sent to the analysts' console, with its parameters (JSON values:
// nil, bool, int64, float64, string, []any, map[string]any).
type Query struct {
	Text   string
	Params map[string]any
}

// Limits bound one console query.
type Limits struct {
	// Timeout is the server-side transaction timeout: Neo4j stops the query when it passes.
	Timeout time.Duration
	// MaxRows caps the rows returned; more rows set Result.Truncated.
	MaxRows int
	// MaxBytes caps the answer's estimated JSON size; rows past it set Result.Truncated,
	// and a first row larger than it is refused.
	MaxBytes int
}

// Default console limits.
const (
	DefaultTimeout  = 10 * time.Second
	DefaultMaxRows  = 10000
	DefaultMaxBytes = 8 << 20
)

// Bounds on what the console sends to Neo4j at all: larger or deeper input is refused with
// EMALFORMED before it reaches the database, whose parser fails on very deep input
// (StackOverflowError) without answering.
const (
	MaxQueryChars   = 64 << 10 // the query text, in characters
	MaxQueryNesting = maxNesting
	MaxQueryClauses = maxClauses // MATCH, WITH, RETURN, WHERE, ... each count one
	MaxQueryUnions  = maxUnions
	MaxParamsBytes  = 1 << 20 // the parameters, as estimated JSON
	MaxParamsDepth  = 32      // lists and maps in lists and maps
)

// WithDefaults fills unset limits.
func (l Limits) WithDefaults() Limits {
	if l.Timeout <= 0 {
		l.Timeout = DefaultTimeout
	}
	if l.MaxRows <= 0 {
		l.MaxRows = DefaultMaxRows
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
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

// Validate checks the query before it reaches Neo4j: it must not be empty; the text, its
// nesting, its clauses and the parameters must stay within MaxQueryChars, MaxQueryNesting,
// MaxQueryClauses, MaxQueryUnions, MaxParamsBytes and MaxParamsDepth (EMALFORMED); and the text rules refuse LOAD CSV, a procedure outside
// ReadOnlyProcedures, a plugin function, and the SHOW, TERMINATE and USE commands
// (EFORBIDDEN). The text rules are a first net with clear messages; what decides is CheckPlan,
// over the plan Neo4j makes of the query (see neo4j.Store.ReadOnlyQuery).
func (q Query) Validate() error {
	if strings.TrimSpace(q.Text) == "" {
		return graph.Invalid("the query is empty", graph.FieldError{Field: "query", Message: "must be a Cypher query"})
	}
	if n := utf8.RuneCountInString(q.Text); n > MaxQueryChars {
		return malformed("query", "is %d characters long; the console takes at most %d", n, MaxQueryChars)
	}
	if err := checkParams(q.Params); err != nil {
		return err
	}
	toks, err := lexCypher(q.Text)
	if err != nil {
		return err
	}
	if d := nestingDepth(toks); d > MaxQueryNesting {
		return malformed("query", "nests about %d deep (brackets, and operators in a row); the console takes at most %d: split it, or use a list parameter", d, MaxQueryNesting)
	}
	if clauses, unions := countClauses(toks); clauses > MaxQueryClauses || unions > MaxQueryUnions {
		return malformed("query", "has %d clauses and %d UNIONs; the console takes at most %d clauses and %d UNIONs: split it", clauses, unions, MaxQueryClauses, MaxQueryUnions)
	}
	return checkTokens(toks)
}

// malformed is the error for input the console will not send to Neo4j at all.
func malformed(field, format string, args ...any) error {
	msg := field + " " + fmt.Sprintf(format, args...)
	return &graph.Error{Code: graph.EMALFORMED, Message: msg, Fields: []graph.FieldError{{Field: field, Message: fmt.Sprintf(format, args...)}}}
}

// checkParams bounds the parameters' size and depth, and refuses values that are not JSON
// values (Neo4j would get a NaN or an infinity from no JSON text).
func checkParams(params map[string]any) error {
	size, err := paramSize("params", params, -1) // the parameters themselves are not nesting
	if err != nil {
		return err
	}
	if size > MaxParamsBytes {
		return malformed("params", "are about %d bytes; the console takes at most %d", size, MaxParamsBytes)
	}
	return nil
}

// paramSize estimates v's JSON size, failing past MaxParamsDepth or MaxParamsBytes.
func paramSize(field string, v any, depth int) (int, error) {
	if depth > MaxParamsDepth {
		return 0, malformed("params", "nest lists and maps more than %d deep (at %s)", MaxParamsDepth, field)
	}
	switch x := v.(type) {
	case nil, bool:
		return 5, nil
	case int64:
		return 20, nil
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, malformed("params", "%s is not a finite number", field)
		}
		return 24, nil
	case string:
		return len(x) + 2, nil
	case []any:
		n := 2
		for i, e := range x {
			m, err := paramSize(fmt.Sprintf("%s[%d]", field, i), e, depth+1)
			if n += m + 1; err != nil || n > MaxParamsBytes {
				return n, err
			}
		}
		return n, nil
	case map[string]any:
		n := 2
		for k, e := range x {
			m, err := paramSize(field+"."+k, e, depth+1)
			if n += m + len(k) + 4; err != nil || n > MaxParamsBytes {
				return n, err
			}
		}
		return n, nil
	default:
		return 0, malformed("params", "%s is a %T, not a JSON value", field, v)
	}
}

// Refusedf is the error for a query the console will not run: a 403, as the API promises for
// anything that is not a plain read.
func Refusedf(format string, args ...any) error {
	return &graph.Error{Code: graph.EFORBIDDEN, Message: "the console runs read-only queries only: " + fmt.Sprintf(format, args...)}
}

// checkTokens applies the text rules to the query's tokens, escapes decoded.
func checkTokens(toks []token) error {
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
				return Refusedf("procedure %s is not allowed (allowed: %s)", name, strings.Join(ReadOnlyProcedures, ", "))
			}
			return nil
		}
		if next.endsVariable() {
			return nil
		}
		return Refusedf("cannot tell what CALL calls here")
	case "LOAD":
		if next.kind == tokWord && strings.EqualFold(next.text, "CSV") {
			return Refusedf("LOAD CSV reads files and URLs")
		}
		if next.endsVariable() {
			return nil
		}
		return Refusedf("LOAD is not allowed")
	case "SHOW", "TERMINATE":
		if next.endsVariable() {
			return nil
		}
		return Refusedf("%s commands are not available in the console (use the db.schema procedures)", word)
	case "USE":
		if next.endsVariable() {
			return nil
		}
		return Refusedf("USE is not allowed: the console queries lot-trace's database only")
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
		return Refusedf("function %s is not one of Neo4j's built-in functions", name)
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
