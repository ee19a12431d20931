package neo4j

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/db"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/console"
)

// ReadOnlyQuery runs an analyst's query, read-only by construction: the text rules of
// console.Query.Validate first (bounds, and a first net); then EXPLAIN, and CheckPlan over the
// complete plan tree, which decides (an allow-list of read operators and procedures, over
// the query as Neo4j parsed it); then the query itself, in a READ access-mode transaction
// (Neo4j refuses any write in it) with a server-side timeout, a row cap and a byte cap. A
// refusal is EFORBIDDEN and changes nothing.
//
// It uses one explicit transaction, not a managed one: the driver retries a managed
// transaction for as long as MaxTransactionRetryTime on connection failures, and a query that
// breaks Neo4j's connection would then be sent again and again. A console query that fails
// answers at once, and the analyst decides whether to send it again.
func (s *Store) ReadOnlyQuery(ctx context.Context, q console.Query, lim console.Limits) (*console.Result, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("graph.ReadOnlyQuery: %w", err)
	}
	lim = lim.WithDefaults()
	// The server enforces lim.Timeout; this deadline is the backstop for a connection that
	// stops answering altogether.
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout+5*time.Second)
	defer cancel()
	sess := s.consoleSession(ctx)
	defer sess.Close(ctx)
	result, err := func() (*console.Result, error) {
		tx, err := sess.BeginTransaction(ctx, driver.WithTxTimeout(lim.Timeout))
		if err != nil {
			return nil, err
		}
		defer tx.Close(ctx) // rolls back: the transaction only read
		t := s.txn(tx)
		if err := explainReadOnly(ctx, t, q); err != nil {
			return nil, err
		}
		return collectRows(ctx, t, q, lim)
	}()
	if err != nil {
		return nil, fmt.Errorf("graph.ReadOnlyQuery: %w", classifyQuery(ctx, err, lim.Timeout))
	}
	return result, nil
}

// explainPrefix puts EXPLAIN on a line of its own, so that Neo4j's error positions keep the
// analyst's columns; unshiftPosition corrects the line and offset.
const explainPrefix = "EXPLAIN\n"

func explainReadOnly(ctx context.Context, t txn, q console.Query) error {
	res, err := t.runText(ctx, explainPrefix+q.Text, q.Params)
	if err != nil {
		return unshiftPosition(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return unshiftPosition(err)
	}
	if t := sum.StatementType(); t != driver.StatementTypeReadOnly {
		return console.Refusedf("EXPLAIN classifies it as %s", statementKind(t))
	}
	plan, err := PlanOf(sum.Plan())
	if err != nil {
		return err
	}
	stored, _, err := single(ctx, t, cypher.AuditStored, nil, func(r *row) bool { return r.Bool("stored") })
	if err != nil {
		return err
	}
	return console.CheckPlan(plan, stored)
}

func statementKind(t driver.StatementType) string {
	switch t {
	case driver.StatementTypeReadWrite, driver.StatementTypeWriteOnly:
		return "a write"
	case driver.StatementTypeSchemaWrite:
		return "a schema or administration command"
	default:
		return "of unknown kind"
	}
}

// PlanOf returns the complete plan tree of an EXPLAIN, read from the driver's raw plan.
//
// It does not use Plan.Children: in neo4j-go-driver v5 (up to v5.28.4, the newest v5),
// neo4j/resultsummary.go's (*plan).Children takes the address of the range variable
// (children[i] = &plan{plan: &c}) and the module is built with Go 1.18 loop semantics, so
// every child is the last one: the first branch of a UNION, of an Apply (CALL {}, EXISTS,
// COUNT and COLLECT subqueries) or of a join is never seen. The raw *db.Plan behind the
// driver's plan is read instead, by its type, and a driver whose plan no longer holds one
// makes the console refuse every query rather than check part of a plan.
func PlanOf(p driver.Plan) (console.PlanOperator, error) {
	raw := rawPlan(p)
	if raw == nil {
		return console.PlanOperator{}, console.Refusedf("EXPLAIN gave no plan the console can read")
	}
	return planOperator(raw), nil
}

var rawPlanType = reflect.TypeFor[*db.Plan]()

// rawPlan finds the *db.Plan field of the driver's plan value, or nil.
func rawPlan(p driver.Plan) *db.Plan {
	v := reflect.ValueOf(p)
	if p == nil || v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
		return nil
	}
	v = v.Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Type() == rawPlanType && !f.IsNil() {
			// The field is unexported, so reflect will not hand it over as a value; its type
			// is checked above, which makes the conversion safe.
			return (*db.Plan)(f.UnsafePointer())
		}
	}
	return nil
}

func planOperator(p *db.Plan) console.PlanOperator {
	details, _ := p.Arguments["Details"].(string)
	out := console.PlanOperator{Operator: p.Operator, Details: details, Children: make([]console.PlanOperator, len(p.Children))}
	for i := range p.Children {
		out.Children[i] = planOperator(&p.Children[i])
	}
	return out
}

// collectRows runs the query and converts rows until the row cap or the byte cap: one more
// row than MaxRows, or a row that would take the answer past MaxBytes, sets Truncated and
// ends the read (rolling back discards the rest). A first row alone larger than MaxBytes is
// refused, since no part of it can be answered faithfully. The conversion stops within the
// row as soon as the estimate passes the cap, so that a huge value is not copied.
func collectRows(ctx context.Context, t txn, q console.Query, lim console.Limits) (*console.Result, error) {
	res, err := t.runText(ctx, q.Text, q.Params)
	if err != nil {
		return nil, err
	}
	keys, err := res.Keys()
	if err != nil {
		return nil, err
	}
	out := &console.Result{Columns: keys, Rows: [][]console.Value{}}
	budget := lim.MaxBytes
	for res.Next(ctx) {
		if len(out.Rows) == lim.MaxRows {
			out.Truncated, out.CutBy = true, console.CutByMaxRows
			break
		}
		row, left, ok := resultRow(res.Record().Values, budget)
		if !ok {
			if len(out.Rows) == 0 {
				return nil, &graph.Error{Code: graph.EINVALID, Message: fmt.Sprintf(
					"the first row alone is larger than the console's %s answer limit: return fewer or smaller values (a LIMIT, slice a list with [..n])", byteSize(lim.MaxBytes))}
			}
			out.Truncated, out.CutBy = true, console.CutByMaxBytes
			break
		}
		budget = left
		out.Rows = append(out.Rows, row)
	}
	return out, res.Err()
}

// byteSize writes a byte count for people: "8 MiB", "512 KiB", "100 bytes".
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	default:
		return fmt.Sprintf("%d bytes", n)
	}
}

// converter turns driver values into the driver-free values console.Result promises, and
// estimates the size of their JSON as it goes: left is what remains of the byte budget, and
// once it is negative the conversion stops, so that a huge value is never copied whole.
type converter struct{ left int }

// resultRow converts one record within budget bytes; ok is false when it does not fit.
func resultRow(values []any, budget int) (row []console.Value, left int, ok bool) {
	c := converter{left: budget - 3} // brackets and the comma between rows
	row = make([]console.Value, len(values))
	for i, v := range values {
		row[i] = c.value(v)
		c.left--
		if c.left < 0 {
			return nil, 0, false
		}
	}
	return row, c.left, true
}

func (c *converter) value(v any) console.Value {
	if c.left < 0 {
		return nil
	}
	switch x := v.(type) {
	case dbtype.Node:
		return c.node(x)
	case dbtype.Relationship:
		return c.relationship(x)
	case dbtype.Path:
		c.left -= 32
		p := console.Path{Nodes: make([]console.Node, 0, len(x.Nodes)), Relationships: make([]console.Relationship, 0, len(x.Relationships))}
		for i := 0; i < len(x.Nodes) && c.left >= 0; i++ {
			p.Nodes = append(p.Nodes, c.node(x.Nodes[i]))
		}
		for i := 0; i < len(x.Relationships) && c.left >= 0; i++ {
			p.Relationships = append(p.Relationships, c.relationship(x.Relationships[i]))
		}
		return p
	case time.Time:
		return c.temporal(isoDateTime(x))
	case dbtype.Date:
		return c.temporal(x.String())
	case dbtype.LocalTime:
		return c.temporal(x.String())
	case dbtype.LocalDateTime:
		return c.temporal(x.String())
	case dbtype.Time:
		return c.temporal(x.String())
	case dbtype.Duration:
		return c.temporal(x.String())
	case dbtype.Point2D:
		c.left -= 64
		return console.Point{SRID: x.SpatialRefId, X: x.X, Y: x.Y}
	case dbtype.Point3D:
		c.left -= 88
		z := x.Z
		return console.Point{SRID: x.SpatialRefId, X: x.X, Y: x.Y, Z: &z}
	case []any:
		c.left -= 2
		out := make([]console.Value, 0, min(len(x), 1024))
		for i := 0; i < len(x) && c.left >= 0; i++ {
			out = append(out, c.value(x[i]))
			c.left--
		}
		return out
	case map[string]any:
		return c.properties(x)
	case nil, bool:
		c.left -= 5
		return v // v, not x: no new interface value for each element of a long list
	case int64:
		c.left -= 20
		return v
	case float64:
		c.left -= 24
		return v
	case string:
		c.left -= jsonStringSize(x)
		return v
	case []byte:
		c.left -= 4*(len(x)+2)/3 + 2 // base64
		return v
	default:
		s := fmt.Sprint(x) // a type this driver version added; text rather than a failure
		c.left -= jsonStringSize(s)
		return s
	}
}

func (c *converter) temporal(s string) console.Temporal {
	c.left -= len(s) + 2
	return console.Temporal(s)
}

func (c *converter) node(n dbtype.Node) console.Node {
	c.left -= 40 + len(n.ElementId)
	for _, l := range n.Labels {
		c.left -= jsonStringSize(l) + 1
	}
	return console.Node{ID: n.ElementId, Labels: n.Labels, Properties: c.properties(n.Props)}
}

func (c *converter) relationship(r dbtype.Relationship) console.Relationship {
	c.left -= 60 + len(r.ElementId) + len(r.StartElementId) + len(r.EndElementId) + jsonStringSize(r.Type)
	return console.Relationship{ID: r.ElementId, Type: r.Type, Start: r.StartElementId, End: r.EndElementId, Properties: c.properties(r.Props)}
}

func (c *converter) properties(props map[string]any) console.Map {
	c.left -= 2
	out := make(console.Map, len(props))
	for k, v := range props {
		if c.left < 0 {
			break
		}
		c.left -= jsonStringSize(k) + 2
		out[k] = c.value(v)
	}
	return out
}

// jsonStringSize is the size of s as a JSON string written by encoding/json, which escapes
// control characters, quotes, backslashes and <, > and & (six bytes each at most).
func jsonStringSize(s string) int {
	n := len(s) + 2
	for i := 0; i < len(s); i++ {
		switch b := s[i]; {
		case b < 0x20, b == '<', b == '>', b == '&':
			n += 5
		case b == '"', b == '\\':
			n++
		}
	}
	return n
}

// isoDateTime writes a datetime as Neo4j does: RFC 3339, plus the zone name in brackets
// when the value has a named zone ("2026-10-01T09:00:00+02:00[Europe/Paris]").
func isoDateTime(t time.Time) string {
	s := t.Format(time.RFC3339Nano)
	if name := t.Location().String(); strings.Contains(name, "/") {
		s += "[" + name + "]"
	}
	return s
}

// classifyQuery turns a console query's failure into the error vocabulary: Neo4j's own
// complaints about the query (syntax, types, unknown procedures) are the caller's to fix and
// carry Neo4j's message; a timeout says which limit it hit.
func classifyQuery(ctx context.Context, err error, timeout time.Duration) error {
	var known *graph.Error
	if errors.As(err, &known) {
		return err
	}
	var ne *driver.Neo4jError
	switch {
	case errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut"),
		errors.Is(ctx.Err(), context.DeadlineExceeded):
		// Past the deadline, whatever the driver says is the timeout's doing: it may report a
		// connection it cut at the deadline as a connectivity error, which is no 503.
		return &graph.Error{Code: graph.EINVALID, Err: err, Message: fmt.Sprintf(
			"the query did not finish within the %s limit: narrow it (a LIMIT, a start from an indexed property such as Lot.code)", timeout)}
	case ne == nil:
		return classify("", err)
	case ne.Code == "Neo.ClientError.Statement.AccessMode", strings.HasPrefix(ne.Code, "Neo.ClientError.Security."):
		return &graph.Error{Code: graph.EFORBIDDEN, Err: err, Message: "the console runs read-only queries only: " + ne.Msg}
	case strings.HasPrefix(ne.Code, "Neo.ClientError.Statement."), strings.HasPrefix(ne.Code, "Neo.ClientError.Procedure."),
		ne.Code == "Neo.ClientError.Request.Invalid":
		return &graph.Error{Code: graph.EMALFORMED, Err: err, Message: "Neo4j: " + ne.Msg}
	case strings.Contains(ne.Code, "MemoryPoolOutOfMemory"), strings.Contains(ne.Code, "TransactionMemoryLimit"):
		return &graph.Error{Code: graph.EINVALID, Err: err, Message: "the query needs more memory than one transaction may use: narrow it"}
	case strings.HasPrefix(ne.Code, "Neo.DatabaseError."):
		// Neo4j failed on this query (RETURN 1 \u0043ALL breaks its parser): the query is what
		// to change, and sending it again would fail the same way.
		return &graph.Error{Code: graph.EMALFORMED, Err: err, Message: "Neo4j could not run the query: " + ne.Msg}
	case strings.HasPrefix(ne.Code, "Neo.TransientError."):
		return &graph.Error{Code: graph.EUNAVAILABLE, Err: err, Message: "Neo4j cannot run the query right now, try again: " + ne.Msg}
	default:
		return classify("", err)
	}
}

// explainPosition matches the position Neo4j puts in its error messages.
var explainPosition = regexp.MustCompile(`line (\d+), column (\d+) \(offset: (\d+)\)`)

// unshiftPosition rewrites the position in an error from the EXPLAIN run so that it points
// into the analyst's text, without the explainPrefix line.
func unshiftPosition(err error) error {
	var ne *driver.Neo4jError
	if !errors.As(err, &ne) {
		return err
	}
	fixed := *ne
	fixed.Msg = explainPosition.ReplaceAllStringFunc(ne.Msg, func(m string) string {
		parts := explainPosition.FindStringSubmatch(m)
		line, _ := strconv.Atoi(parts[1])
		offset, _ := strconv.Atoi(parts[3])
		if line > 1 {
			line--
		}
		offset = max(offset-len(explainPrefix), 0)
		return fmt.Sprintf("line %d, column %s (offset: %d)", line, parts[2], offset)
	})
	return &fixed
}
