package test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

// history is a random history kept as plain adjacency, to be searched in Go and compared with
// the service's answers.
type history struct {
	events     []string
	lots       []string
	producedBy map[string]string   // lot → batch
	inputs     map[string][]string // batch → lots consumed
	outputs    map[string][]string // batch → lots produced
	consumedIn map[string][]string // lot → batches
	supplier   map[string]string   // received lot → supplier
	customers  map[string][]string // lot → customers shipped to
}

// randomHistory makes a few hundred events: receipts, productions of one to three outputs
// from one to three earlier lots (so dough-like lots are shared and finished lots reworked),
// and shipments of any lot to a few customers, some twice.
func randomHistory(seed uint64, tg string) *history {
	r := rand.New(rand.NewPCG(seed, seed*7+1))
	h := &history{producedBy: map[string]string{}, inputs: map[string][]string{}, outputs: map[string][]string{},
		consumedIn: map[string][]string{}, supplier: map[string]string{}, customers: map[string][]string{}}
	batchN, shipN := 0, 0
	for i := 0; i < 300; i++ {
		switch k := r.IntN(10); {
		case k < 3 || len(h.lots) < 3:
			lot, sup := fmt.Sprintf("%sL%d", tg, len(h.lots)), fmt.Sprintf("%sS%d", tg, r.IntN(6))
			h.lots = append(h.lots, lot)
			h.supplier[lot] = sup
			h.events = append(h.events, fmt.Sprintf(`{"type": "receipt", "lot": {"code": %q, "product": "P", "quantity": 100, "unit": "kg"},
				"supplier": {"id": %q, "location": "Somewhere"}, "received_at": "2026-01-01T00:00:00Z", "location": "BAKERY",
				"reference": {"type": "PO", "number": "1"}}`, lot, sup))
		case k < 8:
			batchN++
			batch := fmt.Sprintf("%sB%d", tg, batchN)
			var ins, outs []string
			for _, j := range r.Perm(len(h.lots))[:1+r.IntN(min(3, len(h.lots)))] {
				ins = append(ins, fmt.Sprintf(`{"lot": %q, "quantity": 1, "unit": "kg"}`, h.lots[j]))
				h.inputs[batch] = append(h.inputs[batch], h.lots[j])
				h.consumedIn[h.lots[j]] = append(h.consumedIn[h.lots[j]], batch)
			}
			for o := 0; o < 1+r.IntN(3); o++ {
				lot := fmt.Sprintf("%sL%d", tg, len(h.lots))
				h.lots = append(h.lots, lot)
				h.producedBy[lot] = batch
				h.outputs[batch] = append(h.outputs[batch], lot)
				outs = append(outs, fmt.Sprintf(`{"code": %q, "product": "Q", "quantity": 10, "unit": "kg"}`, lot))
			}
			h.events = append(h.events, fmt.Sprintf(`{"type": "production", "batch": {"id": %q}, "produced_at": "2026-01-02T00:00:00Z",
				"location": "BAKERY", "inputs": [%s], "outputs": [%s]}`, batch, strings.Join(ins, ","), strings.Join(outs, ",")))
		default:
			shipN++
			lot, cust := h.lots[r.IntN(len(h.lots))], fmt.Sprintf("%sC%d", tg, r.IntN(5))
			h.customers[lot] = append(h.customers[lot], cust)
			h.events = append(h.events, fmt.Sprintf(`{"type": "shipment", "id": "%sSH%d", "customer": {"id": %q, "location": "Town"},
				"shipped_at": "2026-01-03T00:00:00Z", "from": "BAKERY", "reference": {"type": "BOL", "number": "1"},
				"lines": [{"lot": %q, "quantity": 1, "unit": "kg"}]}`, tg, shipN, cust, lot))
		}
	}
	return h
}

// reach is a plain breadth-first search over the history in one direction.
type reached struct{ lots, batches, suppliers, customers map[string]bool }

func (h *history) search(starts []string, backward bool) reached {
	return h.searchWithin(starts, backward, -1)
}

// searchWithin is search bounded to a number of transformation levels (-1: none): lots at
// most levels away, the batches between them, and the suppliers or customers of every lot
// reached, as the service's max_depth counts them.
func (h *history) searchWithin(starts []string, backward bool, levels int) reached {
	got := reached{map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}}
	queue := append([]string{}, starts...)
	level := map[string]int{}
	for _, s := range starts {
		got.lots[s] = true
		level[s] = 0
	}
	for len(queue) > 0 {
		lot := queue[0]
		queue = queue[1:]
		var batches []string
		if backward {
			if b, ok := h.producedBy[lot]; ok {
				batches = []string{b}
			}
			if s, ok := h.supplier[lot]; ok {
				got.suppliers[s] = true
			}
		} else {
			batches = h.consumedIn[lot]
			for _, c := range h.customers[lot] {
				got.customers[c] = true
			}
		}
		if levels >= 0 && level[lot] >= levels {
			continue
		}
		for _, b := range batches {
			got.batches[b] = true
			next := h.outputs[b]
			if backward {
				next = h.inputs[b]
			}
			for _, l := range next {
				if !got.lots[l] {
					got.lots[l] = true
					level[l] = level[lot] + 1
					queue = append(queue, l)
				}
			}
		}
	}
	return got
}

func union(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func same(t *testing.T, what string, got []string, want map[string]bool) {
	t.Helper()
	if strings.Join(got, ",") != strings.Join(keys(want), ",") {
		t.Errorf("%s:\n got  %v\n want %v", what, got, keys(want))
	}
}

// TestTraceMatchesPlainSearch: for seeded random histories, the service's reachable sets
// equal a plain breadth-first search in Go over the same events.
func TestTraceMatchesPlainSearch(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	for seed := uint64(1); seed <= 3; seed++ {
		tg := tag(t)
		h := randomHistory(seed, tg)
		status, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", ndjson(h.events...))
		if status != http.StatusOK || decodeObject(t, raw)["accepted"] != float64(len(h.events)) {
			t.Fatalf("seed %d: loading: %d %s", seed, status, raw)
		}
		r := rand.New(rand.NewPCG(seed, 99))
		for i := 0; i < 25; i++ {
			lot := h.lots[r.IntN(len(h.lots))]
			for _, backward := range []bool{true, false} {
				dir := map[bool]string{true: "backward", false: "forward"}[backward]
				_, raw, tr := c.trace(lot, "direction="+dir)
				want := h.search([]string{lot}, backward)
				what := fmt.Sprintf("seed %d %s %s", seed, lot, dir)
				same(t, what+" lots", tr.Lots, want.lots)
				same(t, what+" batches", tr.Batches, want.batches)
				same(t, what+" suppliers", tr.Suppliers, want.suppliers)
				same(t, what+" customers", tr.Customers, want.customers)
				if tr.Truncated {
					t.Errorf("%s: truncated: %s", what, raw)
				}
				// The summary view walks without properties: it must reach exactly the same.
				sum := c.traceSummary(lot, "direction="+dir)
				for name, pair := range map[string][2][]string{"lots": {sum.Lots, tr.Lots}, "batches": {sum.Batches, tr.Batches},
					"suppliers": {sum.Suppliers, tr.Suppliers}, "customers": {sum.Customers, tr.Customers}} {
					if strings.Join(pair[0], ",") != strings.Join(pair[1], ",") {
						t.Errorf("%s view=summary %s = %v, full view %v", what, name, pair[0], pair[1])
					}
				}
			}
			// Both directions: the union of the two walks (one statement in the store).
			_, _, tr := c.trace(lot, "direction=both")
			back, fwd := h.search([]string{lot}, true), h.search([]string{lot}, false)
			what := fmt.Sprintf("seed %d %s both", seed, lot)
			same(t, what+" lots", tr.Lots, union(back.lots, fwd.lots))
			same(t, what+" batches", tr.Batches, union(back.batches, fwd.batches))
			same(t, what+" suppliers", tr.Suppliers, back.suppliers)
			same(t, what+" customers", tr.Customers, fwd.customers)
			checkRecall(t, c, h, seed, lot)
		}
	}
}

func checkRecall(t *testing.T, c *apiClient, h *history, seed uint64, lot string) {
	t.Helper()
	status, raw := c.do(http.MethodGet, "/api/v1/lots/"+url.PathEscape(lot)+"/recall", "", "")
	if status != http.StatusOK {
		t.Fatalf("recall %s: %d %s", lot, status, raw)
	}
	var rc struct {
		SourceBatches []string `json:"source_batches"`
		Ingredients   struct{ Lots, Batches, Suppliers []string }
		Affected      struct {
			Lots, Batches, Customers []string
			Shipments                []struct{ Lot, Customer string }
		}
	}
	if err := json.Unmarshal(raw, &rc); err != nil {
		t.Fatal(err)
	}
	what := fmt.Sprintf("seed %d recall %s", seed, lot)
	var ingredients, affected reached
	if b, ok := h.producedBy[lot]; ok {
		same(t, what+" source_batches", rc.SourceBatches, map[string]bool{b: true})
		ingredients = h.search(h.inputs[b], true)
		affected = h.search(h.outputs[b], false)
	} else {
		same(t, what+" source_batches", rc.SourceBatches, map[string]bool{})
		ingredients = h.search([]string{lot}, true)
		delete(ingredients.lots, lot)
		affected = h.search([]string{lot}, false)
	}
	same(t, what+" ingredient lots", rc.Ingredients.Lots, ingredients.lots)
	same(t, what+" ingredient batches", rc.Ingredients.Batches, ingredients.batches)
	same(t, what+" ingredient suppliers", rc.Ingredients.Suppliers, ingredients.suppliers)
	same(t, what+" affected lots", rc.Affected.Lots, affected.lots)
	same(t, what+" affected batches", rc.Affected.Batches, affected.batches)
	same(t, what+" affected customers", rc.Affected.Customers, affected.customers)
	lines := 0
	for l := range affected.lots {
		lines += len(h.customers[l])
	}
	if len(rc.Affected.Shipments) != lines {
		t.Errorf("%s: %d shipment lines, want %d", what, len(rc.Affected.Shipments), lines)
	}
}
