package neo4j

import (
	"context"
	"fmt"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/dbtype"

	"github.com/lot-trace/lot-trace/cypher"
)

// row is one record of a statement's answer, read by column name, never by position: the
// names are those the .cypher file's header lists. A null reads as the zero value. The first
// column that is missing or holds another type sets err, naming the statement and the
// column; reads after it return zero values, so a decoder reads every column and its caller
// checks err once.
type row struct {
	st  cypher.Statement
	rec *driver.Record
	err error
}

// value is column col's value, nil when it is null or the row has already failed.
func (r *row) value(col string) any {
	if r.err != nil {
		return nil
	}
	v, ok := r.rec.Get(col)
	if !ok {
		r.err = fmt.Errorf("%s: no column %q (columns %v)", r.st.Name, col, r.rec.Keys)
	}
	return v
}

// column reads col as a T: nil is T's zero value, any other type an error.
func column[T any](r *row, col string) T {
	var zero T
	v := r.value(col)
	if v == nil {
		return zero
	}
	t, ok := v.(T)
	if !ok {
		r.fail(col, v, fmt.Sprintf("%T", zero))
	}
	return t
}

// fail records, unless the row has already failed, that col holds v where want was expected.
func (r *row) fail(col string, v any, want string) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: column %q holds %T, want %s", r.st.Name, col, v, want)
	}
}

// Str reads a string column.
func (r *row) Str(col string) string { return column[string](r, col) }

// Bool reads a boolean column.
func (r *row) Bool(col string) bool { return column[bool](r, col) }

// Int reads an integer column.
func (r *row) Int(col string) int64 { return column[int64](r, col) }

// Float reads a number column; an integer is read as a float (quantities written as
// integers by an earlier version).
func (r *row) Float(col string) float64 {
	switch n := r.value(col).(type) {
	case nil:
	case float64:
		return n
	case int64:
		return float64(n)
	default:
		r.fail(col, n, "a number")
	}
	return 0
}

// Time reads a datetime column, in UTC.
func (r *row) Time(col string) time.Time { return column[time.Time](r, col).UTC() }

// List reads a list column.
func (r *row) List(col string) []any { return column[[]any](r, col) }

// Strs reads a list of strings, in the statement's order.
func (r *row) Strs(col string) []string {
	list := r.List(col)
	out := make([]string, 0, len(list))
	for _, v := range list {
		switch s := v.(type) {
		case string:
			out = append(out, s)
		case nil: // a missing property collected: nothing to read
		default:
			r.fail(col, v, "strings in its list")
		}
	}
	return out
}

// Maps reads a list of maps (a COLLECT of map projections).
func (r *row) Maps(col string) []map[string]any {
	list := r.List(col)
	out := make([]map[string]any, 0, len(list))
	for _, v := range list {
		m, ok := v.(map[string]any)
		if !ok {
			r.fail(col, v, "maps in its list")
			continue
		}
		out = append(out, m)
	}
	return out
}

// Map reads a map column.
func (r *row) Map(col string) map[string]any { return column[map[string]any](r, col) }

// Node reads a node column.
func (r *row) Node(col string) dbtype.Node { return column[dbtype.Node](r, col) }

// Rel reads a relationship column.
func (r *row) Rel(col string) dbtype.Relationship { return column[dbtype.Relationship](r, col) }

// collect runs st and decodes every row; the first error of a row ends it.
func collect[T any](ctx context.Context, t txn, st cypher.Statement, params map[string]any, decode func(*row) T) ([]T, error) {
	res, err := t.run(ctx, st, params)
	if err != nil {
		return nil, err
	}
	return driver.CollectTWithContext(ctx, res, func(rec *driver.Record) (T, error) {
		r := row{st: st, rec: rec}
		v := decode(&r)
		return v, r.err
	})
}

// single runs st, which answers one row or none, and decodes the row; false: no row.
func single[T any](ctx context.Context, t txn, st cypher.Statement, params map[string]any, decode func(*row) T) (T, bool, error) {
	var zero T
	rows, err := collect(ctx, t, st, params, decode)
	switch {
	case err != nil:
		return zero, false, err
	case len(rows) == 0:
		return zero, false, nil
	case len(rows) > 1:
		return zero, false, fmt.Errorf("%s: %d rows, want one at most", st.Name, len(rows))
	}
	return rows[0], true, nil
}

// each runs st and hands every row to fn as it arrives, holding none: for answers too large to
// collect. fn decodes the row and, once r.err is nil, uses what it read; the first error,
// fn's or a row's, ends it and is returned as it is.
func each(ctx context.Context, t txn, st cypher.Statement, params map[string]any, fn func(*row) error) error {
	res, err := t.run(ctx, st, params)
	if err != nil {
		return err
	}
	for res.Next(ctx) {
		r := row{st: st, rec: res.Record()}
		if err := fn(&r); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
	}
	return res.Err()
}

// consume runs st for what it does and returns its summary (counters, notifications).
func consume(ctx context.Context, t txn, st cypher.Statement, params map[string]any) (driver.ResultSummary, error) {
	res, err := t.run(ctx, st, params)
	if err != nil {
		return nil, err
	}
	return res.Consume(ctx)
}
