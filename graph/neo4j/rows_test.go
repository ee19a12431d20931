package neo4j

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// TestRowNamesMissingColumn: a row is read by column name; the first column that is missing
// or of another type is the error, naming the statement and the column, and a null reads as
// the zero value.
func TestRowNamesMissingColumn(t *testing.T) {
	rec := &driver.Record{
		Keys:   []string{"code", "quantity", "count", "lots", "at", "gone"},
		Values: []any{"FG-1", int64(12), int64(3), []any{"A", nil, "B"}, time.Date(2026, 10, 1, 9, 0, 0, 0, time.FixedZone("CEST", 7200)), nil},
	}
	r := &row{st: cypher.LotUsage, rec: rec}
	if got := r.Str("code"); got != "FG-1" {
		t.Errorf("Str(code) = %q", got)
	}
	if got := r.Float("quantity"); got != 12 {
		t.Errorf("Float(quantity) = %v: an integer reads as a float", got)
	}
	if got := r.Int("count"); got != 3 {
		t.Errorf("Int(count) = %v", got)
	}
	if got := r.Strs("lots"); strings.Join(got, ",") != "A,B" {
		t.Errorf("Strs(lots) = %v, want A,B in order without the null", got)
	}
	if got := r.Time("at"); !got.Equal(time.Date(2026, 10, 1, 7, 0, 0, 0, time.UTC)) || got.Location() != time.UTC {
		t.Errorf("Time(at) = %v, want 07:00 UTC", got)
	}
	if got := r.Str("gone"); got != "" || r.err != nil {
		t.Errorf("Str of a null = %q, %v: want the zero value and no error", got, r.err)
	}

	if got := r.Str("product"); got != "" {
		t.Errorf("Str of a missing column = %q", got)
	}
	if r.err == nil || !strings.Contains(r.err.Error(), "lot_usage") || !strings.Contains(r.err.Error(), `"product"`) {
		t.Fatalf("missing column: error %v, want one naming lot_usage and \"product\"", r.err)
	}
	first := r.err
	if got := r.Str("code"); got != "" || r.err != first {
		t.Errorf("after the first error: Str(code) = %q, error %v; want zero values and the first error kept", got, r.err)
	}

	wrong := &row{st: cypher.LotUsage, rec: rec}
	wrong.Int("code")
	wrong.Str("missing")
	if wrong.err == nil || !strings.Contains(wrong.err.Error(), `"code"`) || strings.Contains(wrong.err.Error(), "missing") {
		t.Errorf("a string read as an integer: error %v, want the first one, naming \"code\"", wrong.err)
	}
}

// recordsRunner answers every statement with its records.
type recordsRunner struct{ recs []*driver.Record }

func (f recordsRunner) Run(context.Context, string, map[string]any) (driver.ResultWithContext, error) {
	return &recordsResult{recs: f.recs}, nil
}

type recordsResult struct {
	driver.ResultWithContext
	recs []*driver.Record
	at   int
}

func (r *recordsResult) Next(context.Context) bool { r.at++; return r.at <= len(r.recs) }
func (r *recordsResult) Record() *driver.Record    { return r.recs[r.at-1] }
func (r *recordsResult) Err() error                { return nil }

// TestEachStopsAtTheFirstError: each hands rows over one at a time; a row that fails to decode
// ends it with the row's error, an error of fn is returned as it is, and nothing after either
// is read.
func TestEachStopsAtTheFirstError(t *testing.T) {
	keys := []string{"code"}
	recs := []*driver.Record{{Keys: keys, Values: []any{"A"}}, {Keys: keys, Values: []any{int64(2)}}, {Keys: keys, Values: []any{"C"}}}
	tx := txn{tx: recordsRunner{recs}}
	var got []string
	err := each(context.Background(), tx, cypher.LotUsage, nil, func(r *row) error {
		code := r.Str("code")
		if r.err != nil {
			return r.err
		}
		got = append(got, code)
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), `"code"`) || strings.Join(got, ",") != "A" {
		t.Errorf("a bad second row: got %v, error %v; want A only and an error naming \"code\"", got, err)
	}

	calls := 0
	err = each(context.Background(), tx, cypher.LotUsage, nil, func(r *row) error { calls++; r.Str("code"); return nil })
	if err == nil || calls != 2 {
		t.Errorf("fn ignoring a bad row: %v after %d calls, want the row's error after two", err, calls)
	}

	stop := errors.New("the client went away")
	calls = 0
	err = each(context.Background(), tx, cypher.LotUsage, nil, func(r *row) error { calls++; return stop })
	if err != stop || calls != 1 {
		t.Errorf("fn's error: %v after %d calls, want it as it is after one", err, calls)
	}
}
