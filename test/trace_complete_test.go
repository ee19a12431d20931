package test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/api"
)

// cutAnswer is the part of every trace-like answer that says whether, and by what, it was cut.
type cutAnswer struct {
	Truncated bool    `json:"truncated"`
	CutBy     *string `json:"cut_by"`
}

func (a cutAnswer) String() string {
	if a.CutBy == nil {
		return "whole"
	}
	return "cut by " + *a.CutBy
}

// getCut fetches a route's JSON answer and reads truncated and cut_by.
func (c *apiClient) getCut(path string) cutAnswer {
	c.t.Helper()
	status, raw := c.do(http.MethodGet, path, "", "")
	if status != http.StatusOK {
		c.t.Fatalf("GET %s: %d %s", path, status, raw)
	}
	var a cutAnswer
	if err := json.Unmarshal(raw, &a); err != nil {
		c.t.Fatal(err)
	}
	if a.Truncated != (a.CutBy != nil) {
		c.t.Errorf("GET %s: truncated %v but cut_by %v: %s", path, a.Truncated, a.CutBy, raw)
	}
	return a
}

// TestEveryTraceRouteSaysWhatCutIt: trace (both views), recall, exposure, mass balance and
// the recall report are whole without bounds, and name the bound that cut them: the
// caller's max_depth or max_nodes, or the server's safety cap on answer size.
func TestEveryTraceRouteSaysWhatCutIt(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	// FLOUR-A reaches 3 batches and 5 lots forward, two levels deep (a received lot: its
	// recall walks forward from it).
	routes := []string{
		"/api/v1/lots/" + tg + "FLOUR-A/trace?direction=forward",
		"/api/v1/lots/" + tg + "FLOUR-A/trace?direction=both&view=summary",
		"/api/v1/lots/" + tg + "FLOUR-A/recall",
		"/api/v1/lots/" + tg + "FLOUR-A/exposure",
		"/api/v1/lots/" + tg + "FLOUR-A/mass-balance?direction=forward",
		"/api/v1/lots/" + tg + "FLOUR-A/recall/report",
	}
	join := func(path, q string) string {
		if strings.Contains(path, "?") {
			return path + "&" + q
		}
		return path + "?" + q
	}
	for _, path := range routes {
		if a := c.getCut(path); a.Truncated {
			t.Errorf("%s: %s, want whole", path, a)
		}
		for q, want := range map[string]string{"max_depth=1": "max_depth", "max_nodes=2": "max_nodes", "max_nodes=2&max_depth=1": "max_nodes"} {
			if a := c.getCut(join(path, q)); a.CutBy == nil || *a.CutBy != want {
				t.Errorf("%s&%s: %s, want cut by %s", path, q, a, want)
			}
		}
	}
	// The safety cap is the server's: a caller's larger max_nodes does not lift it, and the
	// answer names the cap, not the caller's bound.
	capped := newAPI(t, api.Config{TraceSafetyCap: 2})
	for _, path := range routes {
		for _, q := range []string{"", "max_nodes=1000", "max_depth=50"} {
			if a := capped.getCut(join(path, q)); a.CutBy == nil || *a.CutBy != "safety_cap" {
				t.Errorf("cap 2, %s %s: %s, want cut by safety_cap", path, q, a)
			}
		}
		if a := capped.getCut(join(path, "max_nodes=1")); a.CutBy == nil || *a.CutBy != "max_nodes" {
			t.Errorf("cap 2, %s max_nodes=1: %s, want cut by max_nodes", path, a)
		}
	}
	// A cap the trace fits in cuts nothing.
	roomy := newAPI(t, api.Config{TraceSafetyCap: 8})
	if a := roomy.getCut(routes[0]); a.Truncated {
		t.Errorf("cap 8, FLOUR-A forward (8 lots and batches): %s, want whole", a)
	}
	// The spreadsheet says it too, in the notes that open its explanation sheet.
	notes := func(c *apiClient, q string) string {
		_, cells := xlsxCells(t, c.get("/api/v1/lots/"+tg+"FLOUR-A/trace?direction=forward&format=xlsx"+q, ""), "Columns")
		var lines []string
		for _, row := range cells[:5] {
			lines = append(lines, strings.Join(row, " "))
		}
		return strings.Join(lines, "\n")
	}
	if n := notes(capped, ""); !strings.Contains(n, "safety cap") {
		t.Errorf("capped XLSX does not warn of the safety cap:\n%s", n)
	}
	if n := notes(c, "&max_depth=1"); !strings.Contains(n, "max_depth") {
		t.Errorf("XLSX cut by max_depth does not say so:\n%s", n)
	}
	if n := notes(c, ""); strings.Contains(n, "WARNING") {
		t.Errorf("whole XLSX warns:\n%s", n)
	}
}

// TestTraceEndsOnCycles: the service never records a cycle (an output lot is always new), but
// a database edited by hand may hold one; an unbounded walk must still end, whole.
func TestTraceEndsOnCycles(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	// FG-3 (made by B-2 from DOUGH-1, made by MIX-1) fed back into MIX-1: a loop of four.
	_, err := driver.ExecuteQuery(context.Background(), shared.driver,
		`MATCH (l:Lot {code: $lot}), (b:Batch {id: $batch}) CREATE (l)-[:CONSUMED_IN {quantity: 1.0, unit: 'case'}]->(b)`,
		map[string]any{"lot": tg + "FG-3", "batch": tg + "MIX-1"}, driver.EagerResultTransformer)
	if err != nil {
		t.Fatal(err)
	}
	want := "CHIPS-A,DOUGH-1,FG-1,FG-2,FG-3,FLOUR-A,SALT-A"
	for _, q := range []string{"direction=both", "direction=backward", "direction=forward"} {
		status, raw, tr := c.trace(tg+"DOUGH-1", q)
		if status != http.StatusOK || tr.Truncated {
			t.Fatalf("%s on a cycle: %d %s", q, status, raw)
		}
		sum := c.traceSummary(tg+"DOUGH-1", q)
		if sum.Truncated || strings.Join(sum.Lots, ",") != strings.Join(tr.Lots, ",") {
			t.Errorf("%s on a cycle: summary lots %v truncated %v, full %v", q, sum.Lots, sum.Truncated, tr.Lots)
		}
	}
	if _, _, tr := c.trace(tg+"DOUGH-1", "direction=both"); strings.Join(untag(tg, tr.Lots), ",") != want {
		t.Errorf("both on a cycle: %v, want %s", untag(tg, tr.Lots), want)
	}
	if a := c.getCut("/api/v1/lots/" + url.PathEscape(tg+"FG-3") + "/recall"); a.Truncated {
		t.Errorf("recall on a cycle: %s, want whole", a)
	}
}
