package graph

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"
)

// ReadOnlyQuery runs an analyst's query, read-only by construction: the text rules of
// AnalystQuery.Validate first; then EXPLAIN, refusing anything Neo4j does not classify as
// read-only ("r") and any LoadCSV, Show, Terminate or disallowed procedure operator in the
// plan; then the query itself, in a READ access-mode transaction (Neo4j refuses any write in
// it) with a server-side timeout and a row cap. A refusal is EFORBIDDEN and changes nothing.
func (s *Store) ReadOnlyQuery(ctx context.Context, q AnalystQuery, lim QueryLimits) (*QueryResult, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("graph.ReadOnlyQuery: %w", err)
	}
	lim = lim.withDefaults()
	// The server enforces lim.Timeout; this deadline is the backstop for a connection that
	// stops answering altogether.
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout+5*time.Second)
	defer cancel()
	sess := s.session(ctx, neo4j.AccessModeRead)
	defer sess.Close(ctx)
	result, err := sess.ExecuteRead(ctx, func(tx neo4j.ManagedTransaction) (any, error) {
		if err := explainReadOnly(ctx, tx, q); err != nil {
			return nil, err
		}
		return collectRows(ctx, tx, q, lim.MaxRows)
	}, neo4j.WithTxTimeout(lim.Timeout))
	if err != nil {
		return nil, fmt.Errorf("graph.ReadOnlyQuery: %w", classifyQuery(ctx, err, lim.Timeout))
	}
	return result.(*QueryResult), nil
}

// explainPrefix puts EXPLAIN on a line of its own, so that Neo4j's error positions keep the
// analyst's columns; unshiftPosition corrects the line and offset.
const explainPrefix = "EXPLAIN\n"

func explainReadOnly(ctx context.Context, tx neo4j.ManagedTransaction, q AnalystQuery) error {
	res, err := tx.Run(ctx, explainPrefix+q.Text, q.Params)
	if err != nil {
		return unshiftPosition(err)
	}
	sum, err := res.Consume(ctx)
	if err != nil {
		return unshiftPosition(err)
	}
	if t := sum.StatementType(); t != neo4j.StatementTypeReadOnly {
		return refused("EXPLAIN classifies it as %s", statementKind(t))
	}
	if sum.Plan() == nil {
		return refused("EXPLAIN gave no plan to check")
	}
	return checkPlan(sum.Plan())
}

func statementKind(t neo4j.StatementType) string {
	switch t {
	case neo4j.StatementTypeReadWrite, neo4j.StatementTypeWriteOnly:
		return "a write"
	case neo4j.StatementTypeSchemaWrite:
		return "a schema or administration command"
	default:
		return "of unknown kind"
	}
}

// checkPlan walks the plan the driver shows. It cannot see every operator (Plan.Children
// repeats the last child of a two-child operator in place of the first), which is why the
// same rules are enforced on the query's tokens first; this is the second net.
func checkPlan(p neo4j.Plan) error {
	details, _ := p.Arguments()["Details"].(string)
	if err := checkOperator(p.Operator(), details); err != nil {
		return err
	}
	for _, c := range p.Children() {
		if err := checkPlan(c); err != nil {
			return err
		}
	}
	return nil
}

// checkOperator refuses one plan operator ("LoadCSV@neo4j") that reads outside the graph or
// reaches the server. details is the operator's Details argument ("db.labels() :: (...)").
func checkOperator(operator, details string) error {
	name, _, _ := strings.Cut(operator, "@")
	switch {
	case name == "LoadCSV":
		return refused("LOAD CSV reads files and URLs")
	case strings.HasPrefix(name, "Show"), strings.HasPrefix(name, "Terminate"):
		return refused("SHOW and TERMINATE commands are not available in the console")
	case strings.Contains(name, "ProcedureCall"):
		proc, _, _ := strings.Cut(details, "(")
		if !slices.Contains(ReadOnlyProcedures, strings.TrimSpace(proc)) {
			return refused("procedure %s is not allowed", strings.TrimSpace(proc))
		}
	}
	return nil
}

// collectRows runs the query and converts up to max rows; one more row sets Truncated and
// ends the read (the driver discards the rest at commit).
func collectRows(ctx context.Context, tx neo4j.ManagedTransaction, q AnalystQuery, max int) (*QueryResult, error) {
	res, err := tx.Run(ctx, q.Text, q.Params)
	if err != nil {
		return nil, err
	}
	keys, err := res.Keys()
	if err != nil {
		return nil, err
	}
	out := &QueryResult{Columns: keys, Rows: [][]any{}}
	for res.Next(ctx) {
		if len(out.Rows) == max {
			out.Truncated = true
			break
		}
		values := res.Record().Values
		row := make([]any, len(values))
		for i, v := range values {
			row[i] = resultValue(v)
		}
		out.Rows = append(out.Rows, row)
	}
	return out, res.Err()
}

// resultValue converts a driver value into the driver-free values QueryResult promises.
func resultValue(v any) any {
	switch x := v.(type) {
	case dbtype.Node:
		return resultNode(x)
	case dbtype.Relationship:
		return resultRelationship(x)
	case dbtype.Path:
		p := ResultPath{Nodes: make([]ResultNode, len(x.Nodes)), Relationships: make([]ResultRelationship, len(x.Relationships))}
		for i, n := range x.Nodes {
			p.Nodes[i] = resultNode(n)
		}
		for i, r := range x.Relationships {
			p.Relationships[i] = resultRelationship(r)
		}
		return p
	case time.Time:
		return Temporal(isoDateTime(x))
	case dbtype.Date:
		return Temporal(x.String())
	case dbtype.LocalTime:
		return Temporal(x.String())
	case dbtype.LocalDateTime:
		return Temporal(x.String())
	case dbtype.Time:
		return Temporal(x.String())
	case dbtype.Duration:
		return Temporal(x.String())
	case dbtype.Point2D:
		return Point{SRID: x.SpatialRefId, X: x.X, Y: x.Y}
	case dbtype.Point3D:
		z := x.Z
		return Point{SRID: x.SpatialRefId, X: x.X, Y: x.Y, Z: &z}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resultValue(e)
		}
		return out
	case map[string]any:
		return resultProperties(x)
	case nil, bool, int64, float64, string, []byte:
		return x
	default:
		return fmt.Sprint(x) // a type this driver version added; text rather than a failure
	}
}

func resultNode(n dbtype.Node) ResultNode {
	return ResultNode{ID: n.ElementId, Labels: n.Labels, Properties: resultProperties(n.Props)}
}

func resultRelationship(r dbtype.Relationship) ResultRelationship {
	return ResultRelationship{ID: r.ElementId, Type: r.Type, Start: r.StartElementId, End: r.EndElementId, Properties: resultProperties(r.Props)}
}

func resultProperties(props map[string]any) map[string]any {
	out := make(map[string]any, len(props))
	for k, v := range props {
		out[k] = resultValue(v)
	}
	return out
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
	var known *Error
	if errors.As(err, &known) {
		return err
	}
	var ne *neo4j.Neo4jError
	switch {
	case errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.ClientError.Transaction.TransactionTimedOut"),
		errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil:
		return &Error{Code: EINVALID, Err: err, Message: fmt.Sprintf(
			"the query did not finish within the %s limit: narrow it (a LIMIT, a start from an indexed property such as Lot.code)", timeout)}
	case ne == nil:
		return classify("", err)
	case ne.Code == "Neo.ClientError.Statement.AccessMode", strings.HasPrefix(ne.Code, "Neo.ClientError.Security."):
		return &Error{Code: EFORBIDDEN, Err: err, Message: "the console runs read-only queries only: " + ne.Msg}
	case strings.HasPrefix(ne.Code, "Neo.ClientError.Statement."), strings.HasPrefix(ne.Code, "Neo.ClientError.Procedure."),
		ne.Code == "Neo.ClientError.Request.Invalid":
		return &Error{Code: EMALFORMED, Err: err, Message: "Neo4j: " + ne.Msg}
	case strings.Contains(ne.Code, "MemoryPoolOutOfMemory"), strings.Contains(ne.Code, "TransactionMemoryLimit"):
		return &Error{Code: EINVALID, Err: err, Message: "the query needs more memory than one transaction may use: narrow it"}
	default:
		return classify("", err)
	}
}

// explainPosition matches the position Neo4j puts in its error messages.
var explainPosition = regexp.MustCompile(`line (\d+), column (\d+) \(offset: (\d+)\)`)

// unshiftPosition rewrites the position in an error from the EXPLAIN run so that it points
// into the analyst's text, without the explainPrefix line.
func unshiftPosition(err error) error {
	var ne *neo4j.Neo4jError
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
