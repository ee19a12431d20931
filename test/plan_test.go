package test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/cypher"
)

// operators lists a profiled plan's operators, depth first. (PROFILE, not EXPLAIN: the
// driver's Plan.Children repeats its last child in place of the others; ProfiledPlan's is right.)
func operators(p driver.ProfiledPlan) []string {
	ops := []string{fmt.Sprintf("%s rows=%d", p.Operator(), p.Records())}
	for _, c := range p.Children() {
		ops = append(ops, operators(c)...)
	}
	return ops
}

// TestTracePlansNeverEnumeratePaths profiles every walk on the bakery history, with a depth
// bound and without one (`*0..`, the default): each must start from the unique index on
// Lot.code and expand breadth-first with pruning (one visit per node); a plain
// VarLengthExpand would enumerate every path, exponentially many in a history full of shared
// ingredients, and an unbounded one would never end on a cycle.
func TestTracePlansNeverEnumeratePaths(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	for _, tt := range []struct {
		st  cypher.Statement
		lot string
	}{{cypher.TraceBackward, "FG-3"}, {cypher.TraceForward, "FLOUR-A"}, {cypher.TraceBoth, "FG-2"},
		{cypher.TraceBackwardKeys, "FG-3"}, {cypher.TraceForwardKeys, "FLOUR-A"}, {cypher.RecallAffectedKeys, "FLOUR-A"}} {
		for _, hops := range []int{0, 2, 50} {
			text := "PROFILE " + tt.st.WithHops(hops).Text
			res, err := driver.ExecuteQuery(context.Background(), shared.driver, text,
				map[string]any{"codes": []string{tg + tt.lot}, "limit": 1000, "lines": 1000}, driver.EagerResultTransformer)
			if err != nil {
				t.Fatal(err)
			}
			what := fmt.Sprintf("%s with at most %d hops (0: unbounded)", tt.st.Name, hops)
			plan := strings.Join(operators(res.Summary.Profile()), " | ")
			t.Logf("%s plan: %s", what, plan)
			if !strings.Contains(plan, "VarLengthExpand(Pruning,BFS") {
				t.Errorf("%s: no pruning breadth-first variable-length expand in the plan: %s", what, plan)
			}
			if strings.Contains(plan, "VarLengthExpand(All)") {
				t.Errorf("%s: a path-enumerating VarLengthExpand(All) in the plan: %s", what, plan)
			}
			if !strings.Contains(plan, "NodeUniqueIndexSeek") {
				t.Errorf("%s: the start lots are not found through the unique index: %s", what, plan)
			}
		}
	}
}

// TestLookupPlanSeeksEveryName profiles the lookup that plans every write. Its plan is cached
// on first use, often while the database is nearly empty; a plan that scanned the shipment
// index once per id (seen during bulk loads before the seek hints) grows with the history.
func TestLookupPlanSeeksEveryName(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	res, err := driver.ExecuteQuery(context.Background(), shared.driver, "PROFILE "+cypher.LookupExisting.Text,
		map[string]any{"lots": []string{tg + "FG-1", tg + "FLOUR-A"}, "batches": []string{tg + "B-1"}, "shipments": []string{tg + "SH-1"},
			"suppliers": []string{tg + "SUP-MILL"}, "customers": []string{tg + "CUST-A"}},
		driver.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	plan := strings.Join(operators(res.Summary.Profile()), " | ")
	t.Logf("lookup_existing plan: %s", plan)
	if strings.Contains(plan, "Scan") {
		t.Errorf("lookup_existing scans instead of seeking: %s", plan)
	}
	if n := strings.Count(plan, "NodeUniqueIndexSeek"); n != 4 {
		t.Errorf("lookup_existing: %d unique index seeks, want 4 (lots, batches, suppliers, customers): %s", n, plan)
	}
	if !strings.Contains(plan, "RelationshipUniqueIndexSeek") {
		t.Errorf("lookup_existing: shipments are not found through the shipment-line constraint's index: %s", plan)
	}
}

// TestRecordPlansFindNodesByElementId profiles the write path's statements (with nothing to
// write): each finds the nodes it joins by element id. A seek of a constraint's index from a
// writing statement is a locking seek, a lock and a fresh index reader per row, which cost
// about a tenth of Neo4j's time in a bulk load; and a scan would grow with the history.
func TestRecordPlansFindNodesByElementId(t *testing.T) {
	t.Parallel()
	sharedStore(t)
	for _, tt := range []struct {
		st    cypher.Statement
		param string
		seeks int
	}{{cypher.RecordReceipts, "receipts", 1}, {cypher.RecordConsumptions, "consumptions", 2},
		{cypher.RecordShipments, "lines", 2}, {cypher.HeldLots, "lots", 1}} {
		res, err := driver.ExecuteQuery(context.Background(), shared.driver, "PROFILE "+tt.st.Text,
			map[string]any{tt.param: []any{}}, driver.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		plan := strings.Join(operators(res.Summary.Profile()), " | ")
		t.Logf("%s plan: %s", tt.st.Name, plan)
		if strings.Contains(plan, "IndexSeek") || strings.Contains(plan, "Scan") {
			t.Errorf("%s seeks an index or scans: %s", tt.st.Name, plan)
		}
		if n := strings.Count(plan, "NodeByElementIdSeek"); n != tt.seeks {
			t.Errorf("%s: %d seeks by element id, want %d: %s", tt.st.Name, n, tt.seeks, plan)
		}
	}
}
