package test

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

var update = flag.Bool("update", false, "rewrite the golden files from the answers")

type traceAnswer struct {
	Root      string `json:"root"`
	Direction string `json:"direction"`
	Nodes     []struct {
		ID, Kind, Key string
		Properties    map[string]any
	} `json:"nodes"`
	Edges []struct {
		From, To, Type string
		Properties     map[string]any
	} `json:"edges"`
	Lots      []string `json:"lots"`
	Batches   []string `json:"batches"`
	Suppliers []string `json:"suppliers"`
	Customers []string `json:"customers"`
	Truncated bool     `json:"truncated"`
	CutBy     string   `json:"cut_by"`
}

func (c *apiClient) trace(code, query string) (int, []byte, traceAnswer) {
	c.t.Helper()
	status, raw := c.do(http.MethodGet, "/api/v1/lots/"+url.PathEscape(code)+"/trace?"+query, "", "")
	var t traceAnswer
	if status == http.StatusOK {
		if err := json.Unmarshal(raw, &t); err != nil {
			c.t.Fatal(err)
		}
		checkTraceInvariants(c.t, t)
	}
	return status, raw, t
}

// traceSummary fetches a trace with view=summary.
func (c *apiClient) traceSummary(code, query string) traceAnswer {
	c.t.Helper()
	status, raw := c.do(http.MethodGet, "/api/v1/lots/"+url.PathEscape(code)+"/trace?view=summary&"+query, "", "")
	var t traceAnswer
	if status != http.StatusOK {
		c.t.Fatalf("summary trace of %s: %d %s", code, status, raw)
	}
	if err := json.Unmarshal(raw, &t); err != nil {
		c.t.Fatal(err)
	}
	if len(t.Nodes) != 0 || len(t.Edges) != 0 {
		c.t.Errorf("view=summary answered with nodes or edges")
	}
	return t
}

// checkTraceInvariants: every edge joins two nodes of the answer, node ids are kind:key, and
// the summary lists are sorted, match the nodes and include the root.
func checkTraceInvariants(t *testing.T, tr traceAnswer) {
	t.Helper()
	ids := map[string]bool{}
	byKind := map[string][]string{}
	for _, n := range tr.Nodes {
		if n.ID != n.Kind+":"+n.Key {
			t.Errorf("node id %q is not kind:key (%s:%s)", n.ID, n.Kind, n.Key)
		}
		ids[n.ID] = true
		byKind[n.Kind] = append(byKind[n.Kind], n.Key)
	}
	for _, e := range tr.Edges {
		if !ids[e.From] || !ids[e.To] {
			t.Errorf("edge %s -%s-> %s has an end that is not a node of the answer", e.From, e.Type, e.To)
		}
	}
	for kind, list := range map[string][]string{"lot": tr.Lots, "batch": tr.Batches, "supplier": tr.Suppliers, "customer": tr.Customers} {
		if !sort.StringsAreSorted(list) {
			t.Errorf("%s list not sorted: %v", kind, list)
		}
		want := byKind[kind]
		sort.Strings(want)
		if strings.Join(want, ",") != strings.Join(list, ",") {
			t.Errorf("%s list %v differs from the %s nodes %v", kind, list, kind, want)
		}
	}
	if !slices.Contains(tr.Lots, tr.Root) {
		t.Errorf("lots %v do not include the root %s", tr.Lots, tr.Root)
	}
}

func untag(tg string, xs []string) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = strings.ReplaceAll(x, tg, "")
	}
	return out
}

func TestTraceBakeryShapes(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	tests := []struct {
		lot, direction                      string
		lots, batches, suppliers, customers []string
	}{
		{"FG-3", "backward",
			[]string{"CHIPS-A", "DOUGH-1", "FG-2", "FG-3", "FLOUR-A", "SALT-A"}, []string{"B-1", "B-2", "MIX-1"},
			[]string{"SUP-CHOC", "SUP-MILL", "SUP-SALT"}, []string{}},
		{"FLOUR-A", "forward",
			[]string{"DOUGH-1", "FG-1", "FG-2", "FG-3", "FLOUR-A"}, []string{"B-1", "B-2", "MIX-1"},
			[]string{}, []string{"CUST-A", "CUST-B", "CUST-C"}},
		{"FG-2", "both",
			[]string{"CHIPS-A", "DOUGH-1", "FG-2", "FG-3", "FLOUR-A", "SALT-A"}, []string{"B-1", "B-2", "MIX-1"},
			[]string{"SUP-CHOC", "SUP-MILL", "SUP-SALT"}, []string{"CUST-B", "CUST-C"}},
		{"FG-1", "forward", []string{"FG-1"}, []string{}, []string{}, []string{"CUST-A"}},
		{"DOUGH-Z", "backward", []string{"DOUGH-Z", "FLOUR-Z"}, []string{"MIX-Z"}, []string{"SUP-OTHER"}, []string{}},
		{"FLOUR-Z", "forward", []string{"DOUGH-Z", "FLOUR-Z"}, []string{"MIX-Z"}, []string{}, []string{"CUST-Z"}},
	}
	for _, tt := range tests {
		status, raw, tr := c.trace(tg+tt.lot, "direction="+tt.direction)
		if status != http.StatusOK {
			t.Fatalf("%s %s: %d %s", tt.lot, tt.direction, status, raw)
		}
		for name, pair := range map[string][2][]string{
			"lots": {tr.Lots, tt.lots}, "batches": {tr.Batches, tt.batches},
			"suppliers": {tr.Suppliers, tt.suppliers}, "customers": {tr.Customers, tt.customers},
		} {
			if got := untag(tg, pair[0]); strings.Join(got, ",") != strings.Join(pair[1], ",") {
				t.Errorf("%s %s: %s = %v, want %v", tt.lot, tt.direction, name, got, pair[1])
			}
		}
		if tr.Truncated {
			t.Errorf("%s %s: truncated, want whole", tt.lot, tt.direction)
		}
	}
	// FG-1 went to CUST-A twice: two SHIPPED_TO edges, one per shipment.
	_, _, tr := c.trace(tg+"FG-1", "direction=forward")
	shipments := 0
	for _, e := range tr.Edges {
		if e.Type == "SHIPPED_TO" {
			shipments++
		}
	}
	if shipments != 2 {
		t.Errorf("FG-1 forward has %d SHIPPED_TO edges, want 2", shipments)
	}
}

func TestTraceGolden(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	for _, g := range []struct{ name, path string }{
		{"trace_fg3_backward", "/api/v1/lots/" + tg + "FG-3/trace?direction=backward"},
		{"trace_flour_forward", "/api/v1/lots/" + tg + "FLOUR-A/trace?direction=forward"},
		{"recall_fg1", "/api/v1/lots/" + tg + "FG-1/recall"},
		{"recall_flour", "/api/v1/lots/" + tg + "FLOUR-A/recall"},
	} {
		status, raw := c.do(http.MethodGet, g.path, "", "")
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", g.name, status, raw)
		}
		compareGolden(t, g.name, tg, raw)
	}
}

// compareGolden compares an answer with testdata/golden/NAME.json after removing the test's
// tag and the timing, or rewrites the file with -update.
func compareGolden(t *testing.T, name, tg string, raw []byte) {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(bytes.ReplaceAll(raw, []byte(tg), nil), &v); err != nil {
		t.Fatal(err)
	}
	delete(v, "took_ms")
	got, _ := json.MarshalIndent(v, "", "  ")
	got = append(got, '\n')
	path := filepath.Join("testdata", "golden", name+".json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./test -run Golden -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s:\n%s", name, path, got)
	}
}

func TestTraceBoundsAndErrors(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)

	// Depth 1 backward from FG-3 reaches its batch and that batch's inputs, no further.
	_, _, tr := c.trace(tg+"FG-3", "direction=backward&max_depth=1")
	if got := untag(tg, tr.Lots); strings.Join(got, ",") != "DOUGH-1,FG-2,FG-3" || !tr.Truncated || tr.CutBy != "max_depth" {
		t.Errorf("depth 1: lots %v truncated %v cut_by %q, want [DOUGH-1 FG-2 FG-3], cut by max_depth", got, tr.Truncated, tr.CutBy)
	}
	if sum := c.traceSummary(tg+"FG-3", "direction=backward&max_depth=1"); strings.Join(untag(tg, sum.Lots), ",") != "DOUGH-1,FG-2,FG-3" || !sum.Truncated || sum.CutBy != "max_depth" {
		t.Errorf("depth 1, view=summary: lots %v truncated %v cut_by %q, want [DOUGH-1 FG-2 FG-3], cut by max_depth", untag(tg, sum.Lots), sum.Truncated, sum.CutBy)
	}
	if sum := c.traceSummary(tg+"FLOUR-A", "direction=forward&max_nodes=3"); !sum.Truncated || sum.CutBy != "max_nodes" || len(sum.Lots)+len(sum.Batches) != 3 {
		t.Errorf("max_nodes=3, view=summary: %d lots and batches, truncated %v cut_by %q; want 3, cut by max_nodes", len(sum.Lots)+len(sum.Batches), sum.Truncated, sum.CutBy)
	}
	if sum := c.traceSummary(tg+"FG-3", "direction=backward&max_depth=3"); sum.Truncated || sum.CutBy != "" {
		t.Errorf("depth 3, view=summary: truncated %v cut_by %q, want whole", sum.Truncated, sum.CutBy)
	}
	// A depth that reaches everything is not truncated, nor is a walk with no bound at all,
	// nor one whose node bound is exactly what it reaches.
	for _, q := range []string{"direction=backward&max_depth=3", "direction=backward", "direction=backward&max_nodes=9",
		"direction=backward&max_depth=1000000000", "direction=backward&max_depth=99999999999999999999999"} {
		status, raw, tr := c.trace(tg+"FG-3", q)
		if status != http.StatusOK || tr.Truncated || tr.CutBy != "" || len(tr.Lots) != 6 || bytes.Contains(raw, []byte("cut_by")) {
			t.Errorf("%s: %d, %d lots, truncated %v cut_by %q; want 6, whole, no cut_by: %s", q, status, len(tr.Lots), tr.Truncated, tr.CutBy, raw)
		}
	}
	// The node cap cuts too, and says so.
	if _, _, tr := c.trace(tg+"FLOUR-A", "direction=forward&max_nodes=3"); !tr.Truncated || tr.CutBy != "max_nodes" || len(tr.Lots)+len(tr.Batches) != 3 {
		t.Errorf("max_nodes=3: %d lots and batches, truncated %v cut_by %q; want 3, cut by max_nodes", len(tr.Lots)+len(tr.Batches), tr.Truncated, tr.CutBy)
	}
	// Both bounds at once: the node cap, which hides how deep the walk would go, is named.
	if _, _, tr := c.trace(tg+"FG-3", "direction=both&max_nodes=2&max_depth=1"); tr.CutBy != "max_nodes" {
		t.Errorf("max_nodes=2&max_depth=1: cut_by %q, want max_nodes", tr.CutBy)
	}
	for _, bad := range []struct{ query, field string }{
		{"direction=sideways", "direction"},
		{"max_depth=0", "max_depth"},
		{"max_depth=-3", "max_depth"},
		{"max_depth=1.5", "max_depth"},
		{"max_nodes=0", "max_nodes"},
		{"max_depth=two", "max_depth"},
		{"max_nodes=-1", "max_nodes"},
		{"view=tiny", "view"},
		{"view=summary&format=csv", "view"},
	} {
		status, raw, _ := c.trace(tg+"FG-3", bad.query)
		if status != http.StatusBadRequest || !slices.Contains(problemFields(decodeObject(t, raw)), bad.field) {
			t.Errorf("%s: %d %s, want 400 naming %s", bad.query, status, raw, bad.field)
		}
	}
	if status, _, _ := c.trace(tg+"NO-SUCH-LOT", "direction=backward"); status != http.StatusNotFound {
		t.Errorf("unknown lot: %d, want 404", status)
	}
	if status, _ := c.do(http.MethodGet, "/api/v1/lots/"+tg+"NO-SUCH-LOT/recall", "", ""); status != http.StatusNotFound {
		t.Errorf("recall of unknown lot: %d, want 404", status)
	}
}

func TestTraceOfGS1CodeWithSlash(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	code := tg + "urn:epc:class:lgtin:4012345.012345.AB/12"
	body := strings.Replace(tagged(tg, receiptJSON), tg+"FLOUR-A", code, 1)
	if status, answer := c.post("/api/v1/receipts", body); status != http.StatusCreated {
		t.Fatalf("receipt with a GS1 code: %d %v", status, answer)
	}
	status, raw, tr := c.trace(code, "direction=backward")
	if status != http.StatusOK || tr.Root != code {
		t.Fatalf("trace of %q: %d %s", code, status, raw)
	}
}
