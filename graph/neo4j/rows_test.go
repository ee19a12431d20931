package neo4j

import (
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
