package neo4j

import (
	"bufio"
	"maps"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
)

// TestBulkColumnsAreTheRecordStatementsProperties reads the record statements and checks that
// every importer file stores the properties its statement stores, each from the same
// parameter: a property added to a record statement (or renamed) without the importer's
// column fails here, before any database is involved. The graph test
// (test/initial_test.go) compares the stored values and types.
func TestBulkColumnsAreTheRecordStatementsProperties(t *testing.T) {
	node := func(label string) *regexp.Regexp {
		return regexp.MustCompile(`CREATE \(\w+:` + label + ` \{([^}]*)\}\)`)
	}
	rel := func(typ string) *regexp.Regexp { return regexp.MustCompile(`-\[:` + typ + ` \{([^}]*)\}\]->`) }
	for _, tt := range []struct {
		spec    bulkSpec
		st      cypher.Statement
		pattern *regexp.Regexp
		row     string // the statement's name for the row a column's key is read from
	}{
		{bulkReceivedLots, cypher.RecordReceipts, node("Lot"), "r"},
		{bulkReceivedFrom, cypher.RecordReceipts, rel("RECEIVED_FROM"), "r"},
		{bulkBatches, cypher.RecordProductions, node("Batch"), "p"},
		{bulkProducedLots, cypher.RecordProductions, node("Lot"), "o"},
		{bulkProduced, cypher.RecordProductions, rel("PRODUCED"), "o"},
		{bulkConsumedIn, cypher.RecordConsumptions, rel("CONSUMED_IN"), "c"},
		{bulkShippedTo, cypher.RecordShipments, rel("SHIPPED_TO"), "x"},
	} {
		m := tt.pattern.FindStringSubmatch(tt.st.Text)
		if m == nil {
			t.Errorf("%s: no %s in %s", tt.spec.file, tt.pattern, tt.st.Name)
			continue
		}
		want := map[string]string{}
		for _, pair := range strings.Split(m[1], ",") {
			name, expr, _ := strings.Cut(strings.TrimSpace(pair), ":")
			expr = strings.TrimSpace(expr)
			want[name] = strings.TrimPrefix(expr, tt.row+".")
		}
		compareColumns(t, tt.spec, want)
	}
	// Suppliers and customers: MERGE on the id, SET of the description.
	set := regexp.MustCompile(`x\.(\w+) = coalesce\(\w\.(\w+), x\.\w+\)`)
	for _, tt := range []struct {
		spec bulkSpec
		st   cypher.Statement
	}{{bulkSuppliers, cypher.RecordSuppliers}, {bulkCustomers, cypher.RecordCustomers}} {
		want := map[string]string{"id": "id"}
		for _, m := range set.FindAllStringSubmatch(tt.st.Text, -1) {
			want[m[1]] = m[2]
		}
		compareColumns(t, tt.spec, want)
	}
}

// compareColumns checks a file's property columns against a statement's properties (name →
// the parameter read, or a quoted constant).
func compareColumns(t *testing.T, spec bulkSpec, want map[string]string) {
	t.Helper()
	got := map[string]string{}
	for _, c := range spec.columns {
		name, _, _ := strings.Cut(c.header, ":")
		if name == "" { // :START_ID, :END_ID
			continue
		}
		got[name] = c.key
	}
	if !maps.Equal(got, want) {
		t.Errorf("%s stores %v; its statement %v", spec.file, sortedPairs(got), sortedPairs(want))
	}
}

func sortedPairs(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, k+"←"+v)
	}
	slices.Sort(out)
	return out
}

// TestBulkFieldsAreWhatTheImporterReads checks the encoding of each kind of value: an absent
// value is an empty field (the importer stores no property), a string is always quoted (so
// an empty one is kept), quotes are doubled, numbers are Go's shortest round trip, and times
// keep their zone.
func TestBulkFieldsAreWhatTheImporterReads(t *testing.T) {
	b := &BulkImport{}
	at := time.Date(2026, 1, 2, 3, 4, 5, 123456789, time.UTC)
	for _, tt := range []struct {
		kind bulkKind
		v    any
		want string
	}{
		{bulkString, nil, ``},
		{bulkString, "", `""`},
		{bulkString, `Corner "Store", Main St\`, `"Corner ""Store"", Main St\"`},
		{bulkDouble, 0.1, `0.1`},
		{bulkDouble, 1e-6, `1e-06`},
		{bulkDouble, 1e12, `1e+12`},
		{bulkDouble, 1250.0, `1250`},
		{bulkLong, 3, `3`},
		{bulkDate, driver.DateOf(time.Date(2027, 2, 28, 0, 0, 0, 0, time.UTC)), `2027-02-28`},
		{bulkDate, nil, ``},
		{bulkDateTime, at, `2026-01-02T03:04:05.123456789Z[UTC]`},
		{bulkDateTime, at.Truncate(time.Second), `2026-01-02T03:04:05Z[UTC]`},
		{bulkDateTime, at.In(time.FixedZone("Offset", 7200)), `2026-01-02T05:04:05.123456789+02:00`},
	} {
		var sb strings.Builder
		w := bufio.NewWriter(&sb)
		if err := b.field(w, bulkColumn{header: "x", kind: tt.kind}, tt.v); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		if sb.String() != tt.want {
			t.Errorf("%v as kind %d: %s, want %s", tt.v, tt.kind, sb.String(), tt.want)
		}
	}
	for _, bad := range []struct {
		kind bulkKind
		v    any
	}{{bulkString, 1}, {bulkDouble, "1"}, {bulkLong, 1.5}, {bulkDate, "2027-01-01"}, {bulkDateTime, "now"}} {
		var sb strings.Builder
		if err := b.field(bufio.NewWriter(&sb), bulkColumn{header: "x", kind: bad.kind}, bad.v); err == nil {
			t.Errorf("%#v accepted as kind %d", bad.v, bad.kind)
		}
	}
}
