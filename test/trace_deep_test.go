package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
)

// deepLevels is how many feedings deep the starter chain of deepHistory runs.
const deepLevels = 5000

// deepHistory is a bakery that has kept a sourdough starter alive for deepLevels feedings:
// each feeding consumes the previous starter lot with a flour lot (a new one every 50
// feedings) and a water lot (every 100), so the chain is deepLevels transformation levels
// deep and branches to a received lot and its supplier at every level. Every 25th starter
// lot goes into a bake with salt, making two finished lots shipped to customers; every
// fourth bake also reworks a finished lot of an earlier bake.
func deepHistory(tg string) *history {
	h := &history{producedBy: map[string]string{}, inputs: map[string][]string{}, outputs: map[string][]string{},
		consumedIn: map[string][]string{}, supplier: map[string]string{}, customers: map[string][]string{}}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	stamp := func() string {
		at = at.Add(time.Minute)
		return at.Format(time.RFC3339)
	}
	receive := func(lot, product, sup string, qty int) {
		h.lots = append(h.lots, lot)
		h.supplier[lot] = sup
		h.events = append(h.events, fmt.Sprintf(`{"type": "receipt", "lot": {"code": %q, "product": %q, "quantity": %d, "unit": "kg"},
			"supplier": {"id": %q, "location": "Somewhere"}, "received_at": %q, "location": "BAKERY",
			"reference": {"type": "PO", "number": "1"}}`, lot, product, qty, sup, stamp()))
	}
	produce := func(batch string, ins map[string]float64, outs ...string) {
		var inLines, outLines []string
		codes := make([]string, 0, len(ins))
		for l := range ins {
			codes = append(codes, l)
		}
		sort.Strings(codes)
		for _, l := range codes {
			inLines = append(inLines, fmt.Sprintf(`{"lot": %q, "quantity": %g, "unit": "kg"}`, l, ins[l]))
			h.inputs[batch] = append(h.inputs[batch], l)
			h.consumedIn[l] = append(h.consumedIn[l], batch)
		}
		for _, l := range outs {
			h.lots = append(h.lots, l)
			h.producedBy[l] = batch
			h.outputs[batch] = append(h.outputs[batch], l)
			outLines = append(outLines, fmt.Sprintf(`{"code": %q, "product": "P", "quantity": 100, "unit": "kg"}`, l))
		}
		h.events = append(h.events, fmt.Sprintf(`{"type": "production", "batch": {"id": %q}, "produced_at": %q, "location": "BAKERY",
			"inputs": [%s], "outputs": [%s]}`, batch, stamp(), strings.Join(inLines, ","), strings.Join(outLines, ",")))
	}
	ship := func(id, lot, cust string) {
		h.customers[lot] = append(h.customers[lot], cust)
		h.events = append(h.events, fmt.Sprintf(`{"type": "shipment", "id": %q, "customer": {"id": %q, "location": "Town"},
			"shipped_at": %q, "from": "BAKERY", "reference": {"type": "BOL", "number": "1"},
			"lines": [{"lot": %q, "quantity": 10, "unit": "kg"}]}`, id, cust, stamp(), lot))
	}
	id := func(kind string, n int) string { return fmt.Sprintf("%s%s-%05d", tg, kind, n) }
	receive(id("SALT", 0), "SALT", tg+"SUP-SALT", 10000)
	bakes := 0
	for i := range deepLevels {
		if i%50 == 0 {
			receive(id("FLOUR", i/50), "FLOUR", fmt.Sprintf("%sSUP-MILL-%d", tg, i/50%3), 10000)
		}
		if i%100 == 0 {
			receive(id("WATER", i/100), "WATER", tg+"SUP-WATER", 10000)
		}
		ins := map[string]float64{id("FLOUR", i/50): 45, id("WATER", i/100): 45}
		if i > 0 {
			ins[id("STARTER", i-1)] = 10
		}
		produce(id("FEED", i), ins, id("STARTER", i))
		if i%25 == 24 {
			bakes++
			ins := map[string]float64{id("STARTER", i): 1, id("SALT", 0): 1, id("FLOUR", i/50): 10}
			if bakes%4 == 0 {
				ins[id("FG", bakes-3)+"-A"] = 1 // rework of an earlier bake's finished lot
			}
			produce(id("BAKE", bakes), ins, id("FG", bakes)+"-A", id("FG", bakes)+"-B")
			ship(id("SH", bakes), id("FG", bakes)+"-A", fmt.Sprintf("%sCUST-%d", tg, bakes%7))
			ship(id("SH", bakes)+"-2", id("FG", bakes)+"-B", fmt.Sprintf("%sCUST-%d", tg, bakes%5))
		}
	}
	return h
}

// edgeSet is the edges a full trace should hold, as "from -TYPE-> to", one per relationship:
// backward, the relationships into every lot and batch reached and each lot's RECEIVED_FROM;
// forward, those out of them and each lot's SHIPPED_TO.
func (h *history) edgeSet(r reached, backward bool) []string {
	var edges []string
	for b := range r.batches {
		if backward {
			for _, l := range h.inputs[b] {
				edges = append(edges, "lot:"+l+" -CONSUMED_IN-> batch:"+b)
			}
			for _, l := range h.outputs[b] {
				if r.lots[l] {
					edges = append(edges, "batch:"+b+" -PRODUCED-> lot:"+l)
				}
			}
		} else {
			for _, l := range h.outputs[b] {
				edges = append(edges, "batch:"+b+" -PRODUCED-> lot:"+l)
			}
		}
	}
	for l := range r.lots {
		if backward {
			if s, ok := h.supplier[l]; ok {
				edges = append(edges, "lot:"+l+" -RECEIVED_FROM-> supplier:"+s)
			}
			continue
		}
		for _, b := range h.consumedIn[l] {
			edges = append(edges, "lot:"+l+" -CONSUMED_IN-> batch:"+b)
		}
		for _, c := range h.customers[l] {
			edges = append(edges, "lot:"+l+" -SHIPPED_TO-> customer:"+c)
		}
	}
	sort.Strings(edges)
	return edges
}

func nodeSet(r reached) []string {
	var nodes []string
	for kind, m := range map[string]map[string]bool{"lot": r.lots, "batch": r.batches, "supplier": r.suppliers, "customer": r.customers} {
		for k := range m {
			nodes = append(nodes, kind+":"+k)
		}
	}
	sort.Strings(nodes)
	return nodes
}

// sameList compares two sorted lists, naming the first difference rather than printing
// thousands of entries.
func sameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Errorf("%s: %d entries, want %d; first difference at %d: %q, want %q", what, len(got), len(want), i, got[i], want[i])
			return
		}
	}
	t.Errorf("%s: %d entries, want %d", what, len(got), len(want))
}

// TestDeepChainMatchesPlainSearch records a starter chain deepLevels levels deep and
// compares the service's complete-by-default answers (full and summary traces both ways,
// the recall) with a breadth-first search in Go over the same events; a depth bound cuts
// exactly the lots within it and says so, and so does a node bound.
func TestDeepChainMatchesPlainSearch(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	h := deepHistory(tg)
	start := time.Now()
	status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", ndjson(h.events...))
	if status != http.StatusOK || decodeObject(t, raw)["accepted"] != float64(len(h.events)) {
		t.Fatalf("loading %d events: %d %s", len(h.events), status, raw)
	}
	t.Logf("loaded %d events (a starter chain %d levels deep) in %s", len(h.events), deepLevels, time.Since(start).Round(time.Millisecond))

	lastBake := (deepLevels / 25)
	deepest := fmt.Sprintf("%sFG-%05d-B", tg, lastBake) // behind it: the bake, then every feeding
	firstStarter := fmt.Sprintf("%sSTARTER-%05d", tg, 0)
	lastStarter := fmt.Sprintf("%sSTARTER-%05d", tg, deepLevels-1)
	for _, tt := range []struct {
		lot      string
		backward bool
	}{{deepest, true}, {lastStarter, true}, {firstStarter, false}, {tg + "SALT-00000", false}} {
		dir := map[bool]string{true: "backward", false: "forward"}[tt.backward]
		what := fmt.Sprintf("%s %s", strings.TrimPrefix(tt.lot, tg), dir)
		want := h.search([]string{tt.lot}, tt.backward)
		status, raw, tr := c.trace(tt.lot, "direction="+dir)
		if status != http.StatusOK {
			t.Fatalf("%s: %d %s", what, status, raw)
		}
		if tr.Truncated || tr.CutBy != "" {
			t.Errorf("%s: truncated %v cut_by %q, want whole", what, tr.Truncated, tr.CutBy)
		}
		same(t, what+" suppliers", tr.Suppliers, want.suppliers)
		same(t, what+" customers", tr.Customers, want.customers)
		sameList(t, what+" lots", tr.Lots, keys(want.lots))
		sameList(t, what+" batches", tr.Batches, keys(want.batches))
		nodes := make([]string, len(tr.Nodes))
		for i, n := range tr.Nodes {
			nodes[i] = n.ID
		}
		sort.Strings(nodes)
		sameList(t, what+" nodes", nodes, nodeSet(want))
		edges := make([]string, len(tr.Edges))
		for i, e := range tr.Edges {
			edges[i] = e.From + " -" + e.Type + "-> " + e.To
		}
		sort.Strings(edges)
		sameList(t, what+" edges", edges, h.edgeSet(want, tt.backward))
		sum := c.traceSummary(tt.lot, "direction="+dir)
		if sum.Truncated {
			t.Errorf("%s view=summary: truncated, want whole", what)
		}
		sameList(t, what+" view=summary lots", sum.Lots, tr.Lots)
		sameList(t, what+" view=summary batches", sum.Batches, tr.Batches)
	}
	if want := h.search([]string{deepest}, true); len(want.batches) <= deepLevels {
		t.Fatalf("the deepest lot has %d batches behind it, want more than %d levels", len(want.batches), deepLevels)
	}
	for _, lot := range []string{deepest, lastStarter, firstStarter, fmt.Sprintf("%sFG-%05d-A", tg, lastBake/2)} {
		checkRecall(t, c, h, 0, lot)
		if a := c.getCut("/api/v1/lots/" + url.PathEscape(lot) + "/recall"); a.Truncated {
			t.Errorf("recall of %s: %s, want whole", lot, a)
		}
	}

	// max_depth=10 holds exactly the lots and batches within 10 levels, and says what cut it.
	for _, levels := range []int{1, 10, 250} {
		want := h.searchWithin([]string{deepest}, true, levels)
		q := fmt.Sprintf("direction=backward&max_depth=%d", levels)
		_, _, tr := c.trace(deepest, q)
		sum := c.traceSummary(deepest, q)
		for view, got := range map[string]traceAnswer{"full": tr, "summary": sum} {
			what := fmt.Sprintf("%s %s", q, view)
			if !got.Truncated || got.CutBy != "max_depth" {
				t.Errorf("%s: truncated %v cut_by %q, want cut by max_depth", what, got.Truncated, got.CutBy)
			}
			sameList(t, what+" lots", got.Lots, keys(want.lots))
			sameList(t, what+" batches", got.Batches, keys(want.batches))
			same(t, what+" suppliers", got.Suppliers, want.suppliers)
		}
	}
	// The answer cut at three levels, whole: its nodes, edges, properties and cut_by.
	status, raw = c.do(http.MethodGet, "/api/v1/lots/"+url.PathEscape(deepest)+"/trace?direction=backward&max_depth=3", "", "")
	if status != http.StatusOK {
		t.Fatalf("max_depth=3: %d %s", status, raw)
	}
	compareGolden(t, "trace_deep_depth3_backward", tg, raw)
	// max_nodes cuts at exactly that many lots and batches.
	for _, view := range []string{"", "view=summary&"} {
		status, raw := c.do(http.MethodGet, "/api/v1/lots/"+url.PathEscape(deepest)+"/trace?"+view+"direction=backward&max_nodes=100", "", "")
		var tr traceAnswer
		if status != http.StatusOK || json.Unmarshal(raw, &tr) != nil {
			t.Fatalf("max_nodes=100 %s: %d %s", view, status, raw)
		}
		if !tr.Truncated || tr.CutBy != "max_nodes" || len(tr.Lots)+len(tr.Batches) != 100 {
			t.Errorf("max_nodes=100 %s: %d lots and batches, truncated %v cut_by %q; want 100, cut by max_nodes",
				view, len(tr.Lots)+len(tr.Batches), tr.Truncated, tr.CutBy)
		}
	}
	timeDeepestTrace(t, c, deepest)
}

// timeDeepestTrace logs how long the complete backward trace of the deepest lot takes, by
// view: the best of five after a warm-up (the service's took_ms, and the whole request).
func timeDeepestTrace(t *testing.T, c *apiClient, lot string) {
	t.Helper()
	for _, view := range []string{"summary", "full"} {
		path := "/api/v1/lots/" + url.PathEscape(lot) + "/trace?direction=backward&view=" + view
		c.do(http.MethodGet, path, "", "")
		best, bestTook, size := time.Duration(1<<62), 0.0, 0
		for range 5 {
			start := time.Now()
			status, raw := c.do(http.MethodGet, path, "", "")
			took := time.Since(start)
			var a struct {
				TookMS float64  `json:"took_ms"`
				Lots   []string `json:"lots"`
			}
			if status != http.StatusOK || json.Unmarshal(raw, &a) != nil {
				t.Fatalf("%s: %d", path, status)
			}
			if took < best {
				best, bestTook, size = took, a.TookMS, len(raw)
			}
		}
		t.Logf("deepest backward trace (%d levels), view=%s: took_ms %.1f, request %s, %d bytes (best of 5)",
			deepLevels+1, view, bestTook, best.Round(100*time.Microsecond), size)
	}
}
