package test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
)

// gapHistory is a small history with known gaps: some left out through the API (descriptions
// are optional), the others made in the database as an older version or an import could have
// left them.
func gapHistory(t *testing.T, c *apiClient) (tg string, year int, h *fHistory) {
	t.Helper()
	tg = tag(t)
	year = 3000 + rand.IntN(6000)
	day := func(d, hour int) time.Time { return time.Date(year, 3, d, hour, 0, 0, 0, time.UTC) }
	egg, flour, cake := tg+"EGG", tg+"FLOUR", tg+"CAKE"
	h = &fHistory{products: map[string]string{egg: "shell_eggs", flour: "", cake: ""}, lots: map[string]string{}}
	receipt := func(lot, product, desc string, at time.Time) {
		h.receipts = append(h.receipts, fReceipt{lot: tg + lot, product: product, desc: desc, qty: 100, unit: "kg",
			supplier: tg + "FARM", supplierL: "Farm Road", at: at, loc: "BAKERY-1", ref: [2]string{"PO", "PO-" + lot}})
		h.lots[tg+lot] = product
	}
	receipt("E1", egg, "eggs", day(1, 7))
	receipt("E2", egg, "", day(1, 8)) // §1.1345(a)(3): no description
	receipt("F1", flour, "flour", day(1, 9))
	receipt("F2", flour, "flour", day(2, 7)) // tlc_source removed below
	receipt("F3", flour, "flour", day(2, 8)) // ref_number removed below
	receipt("E3", egg, "eggs", day(2, 9))    // received_at removed below
	production := func(batch string, at time.Time, ins []string, out, desc string) {
		p := fProduction{batch: tg + batch, at: at, loc: "BAKERY-1", outputs: []fOut{{lot: tg + out, product: cake, desc: desc, qty: 10, unit: "kg"}}}
		for _, in := range ins {
			p.inputs = append(p.inputs, fLine{lot: tg + in, qty: 1, unit: "kg"})
		}
		h.productions = append(h.productions, p)
		h.lots[tg+out] = cake
	}
	production("B1", day(3, 7), []string{"E1", "F1"}, "C1", "cake")
	production("B2", day(3, 8), []string{"E2"}, "C2", "")     // input and output without description
	production("B3", day(3, 9), []string{"F1"}, "C3", "cake") // its input line removed below
	h.shipments = []fShipment{
		{id: tg + "S1", customer: tg + "K1", customerL: "Main St", at: day(4, 7), from: "BAKERY-1", ref: [2]string{"BOL", "BOL-1"},
			lines: []fLine{{tg + "C1", 1, "kg"}, {tg + "C2", 1, "kg"}}}, // line 2: C2 has no description
		{id: tg + "S2", customer: tg + "K2", customerL: "Side St", at: day(4, 8), from: "BAKERY-1", ref: [2]string{"BOL", "BOL-2"},
			lines: []fLine{{tg + "C1", 1, "kg"}}}, // the recipient's location removed below
	}
	h.load(t, c)
	query(t, `MATCH (l:Lot {code: $f2}) REMOVE l.tlc_source`, map[string]any{"f2": tg + "F2"})
	query(t, `MATCH (:Lot {code: $f3})-[r:RECEIVED_FROM]->() REMOVE r.ref_number`, map[string]any{"f3": tg + "F3"})
	query(t, `MATCH (:Lot {code: $e3})-[r:RECEIVED_FROM]->() REMOVE r.received_at`, map[string]any{"e3": tg + "E3"})
	query(t, `MATCH (:Lot)-[r:CONSUMED_IN]->(:Batch {id: $b3}) DELETE r`, map[string]any{"b3": tg + "B3"})
	query(t, `MATCH (:Lot)-[r:SHIPPED_TO {shipment_id: $s2}]->(k:Customer) REMOVE r.customer_location, k.location`, map[string]any{"s2": tg + "S2"})
	return tg, year, h
}

type completenessAnswer struct {
	CTEs []struct {
		CTE      string  `json:"cte"`
		Records  int     `json:"records"`
		Complete int     `json:"complete"`
		Percent  float64 `json:"percent_complete"`
		Findings []struct {
			Rule     string `json:"rule"`
			KDE      string `json:"kde"`
			Role     string `json:"role"`
			Missing  int    `json:"missing"`
			Examples []struct {
				EventID string `json:"event_id"`
				Line    int    `json:"line"`
				Lot     string `json:"lot"`
				Link    string `json:"link"`
			} `json:"examples"`
		} `json:"findings"`
	} `json:"ctes"`
}

// Each gap of the history is a finding naming its rule and its record, and nothing else is.
func TestFSMACompletenessKnownGaps(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg, _, _ := gapHistory(t, c)
	status, raw := c.do(http.MethodGet, "/api/v1/fsma/completeness?product="+tg+"EGG|"+tg+"FLOUR|"+tg+"CAKE", "", "")
	if status != http.StatusOK {
		t.Fatalf("completeness: %d %s", status, raw)
	}
	var got completenessAnswer
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	// want: per CTE the records and complete ones, and each finding with missing records as
	// "event/line/lot"; every other finding must be empty.
	type want struct {
		records, complete int
		findings          map[string][]string // rule → records
	}
	wants := map[string]want{
		"shipping": {3, 1, map[string][]string{
			"§1.1340(a)(3)": {"S1/2/C2"},
			"§1.1340(a)(4)": {"S2/1/C1"},
		}},
		"receiving": {6, 2, map[string][]string{
			"§1.1345(a)(3)": {"E2/0/E2"},
			"§1.1345(a)(6)": {"E3/0/E3"},
			"§1.1345(a)(7)": {"F2/0/F2"},
			"§1.1345(a)(8)": {"F3/0/F3"},
		}},
		"transformation": {6, 3, map[string][]string{
			"§1.1350(a)(2)(i)(B)":  {"B2/1/E2"},
			"§1.1350(a)(2)(ii)(D)": {"B2/1/C2"},
			"§1.1350(a)(2)(i)":     {"B3/1/C3"},
		}},
	}
	if len(got.CTEs) != 3 || got.CTEs[0].CTE != "shipping" || got.CTEs[1].CTE != "receiving" || got.CTEs[2].CTE != "transformation" {
		t.Fatalf("CTEs %s", raw)
	}
	for _, cte := range got.CTEs {
		w := wants[cte.CTE]
		if cte.Records != w.records || cte.Complete != w.complete {
			t.Errorf("%s: %d records, %d complete; want %d, %d", cte.CTE, cte.Records, cte.Complete, w.records, w.complete)
		}
		if wantPct := 100 * float64(w.complete) / float64(w.records); cte.Percent != wantPct {
			t.Errorf("%s: %v%% complete, want %v", cte.CTE, cte.Percent, wantPct)
		}
		seen := map[string]bool{}
		for _, f := range cte.Findings {
			var recs []string
			for _, e := range f.Examples {
				recs = append(recs, fmt.Sprintf("%s/%d/%s", strings.TrimPrefix(e.EventID, tg), e.Line, strings.TrimPrefix(e.Lot, tg)))
				if e.Link != "/api/v1/lots/"+e.Lot {
					t.Errorf("%s %s: link %q", cte.CTE, f.Rule, e.Link)
				}
			}
			if seen[f.Rule] {
				t.Errorf("%s: rule %s twice", cte.CTE, f.Rule)
			}
			seen[f.Rule] = true
			exp := w.findings[f.Rule]
			if f.Missing != len(exp) || !slices.Equal(recs, exp) {
				t.Errorf("%s %s (%s %s): %d missing %v, want %v", cte.CTE, f.Rule, f.KDE, f.Role, f.Missing, recs, exp)
			}
		}
		for rule := range w.findings {
			if !seen[rule] {
				t.Errorf("%s: no finding for %s", cte.CTE, rule)
			}
		}
	}
	// The whole history (no scope, no dates) counts at least these records, and this history's gaps.
	status, raw = c.do(http.MethodGet, "/api/v1/fsma/completeness?examples=0", "", "")
	var all completenessAnswer
	if err := json.Unmarshal(raw, &all); status != http.StatusOK || err != nil || len(all.CTEs) != 3 {
		t.Fatalf("whole history: %d %s", status, raw)
	}
	for i, cte := range all.CTEs {
		if cte.Records < got.CTEs[i].Records || cte.Records-cte.Complete < got.CTEs[i].Records-got.CTEs[i].Complete {
			t.Errorf("whole history %s: %d records, %d complete; this history alone has %d, %d", cte.CTE, cte.Records, cte.Complete, got.CTEs[i].Records, got.CTEs[i].Complete)
		}
	}
	// The XLSX holds the same findings.
	f, rows := xlsxCells(t, c.get("/api/v1/fsma/completeness?format=xlsx&product="+tg+"EGG|"+tg+"FLOUR|"+tg+"CAKE", ""), "Gaps")
	if got := f.GetSheetList(); !slices.Equal(got, []string{"Summary", "Findings", "Gaps", "Definitions"}) {
		t.Errorf("tabs %v", got)
	}
	if len(rows)-1 != 9 {
		t.Errorf("Gaps: %d rows, want the 9 gaps", len(rows)-1)
	}
}

// The store's completeness statements and the domain's rules (graph.KDERules, applied to the
// records the records request returns) find the same gaps, record by record.
func TestFSMACompletenessAgreesWithRules(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg, year, _ := gapHistory(t, c)
	store := sharedStore(t)
	ctx := context.Background()
	scope := graph.RecordsScope{Products: []graph.ProductID{graph.ProductID(tg + "EGG"), graph.ProductID(tg + "FLOUR"), graph.ProductID(tg + "CAKE")},
		From: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)}
	rep, err := store.Completeness(ctx, scope, 1000, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	for _, cc := range rep.CTEs {
		fromCypher := map[string][]string{}
		for _, f := range cc.Findings {
			for _, e := range f.Examples {
				k := fmt.Sprintf("%s/%s/%d/%s", e.EventID, e.Role, e.Line, e.Lot)
				fromCypher[k] = append(fromCypher[k], f.Rule.KDE)
			}
		}
		fromGo := map[string][]string{}
		records := 0
		err := store.StreamRecords(ctx, scope, cc.CTE, func(r graph.KDERow) error {
			records++
			if missing := graph.MissingKDEs(r); len(missing) > 0 {
				fromGo[fmt.Sprintf("%s/%s/%d/%s", r.EventID, r.Role, r.Line, r.Lot)] = missing
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if records != cc.Records || len(fromGo) == 0 {
			t.Errorf("%s: %d records streamed, %d counted (and some gaps expected: %v)", cc.CTE, records, cc.Records, fromGo)
		}
		for k, missing := range fromGo {
			got := fromCypher[k]
			slices.Sort(got)
			slices.Sort(missing)
			if !slices.Equal(got, missing) {
				t.Errorf("%s %s: Neo4j finds %v, the rules %v", cc.CTE, k, got, missing)
			}
		}
		for k := range fromCypher {
			if _, ok := fromGo[k]; !ok {
				t.Errorf("%s %s: Neo4j finds %v, the rules nothing", cc.CTE, k, fromCypher[k])
			}
		}
	}
}

// A records request is logged with its scope, key, time and rows; analysts and admins read
// the log, readers may not.
func TestFSMARequestsLogged(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	_, year, h := seededHistory(t, s.as(api.RoleWriter), 3)
	scope := fScope{food: "shell_eggs", from: time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), to: time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)}
	want := h.expected(scope)
	d := s.as(api.RoleReader).get("/api/v1/fsma/records?"+scope.query()+"&format=xlsx", "")
	if d.status != http.StatusOK {
		t.Fatalf("records: %d %s", d.status, d.body)
	}
	id := d.header.Get("X-Records-Request-Id")
	if status, _ := s.as(api.RoleReader).do(http.MethodGet, "/api/v1/fsma/requests", "", ""); status != http.StatusForbidden {
		t.Errorf("a reader read the log: %d", status)
	}
	status, raw := s.as(api.RoleAnalyst).do(http.MethodGet, "/api/v1/fsma/requests?limit=1000", "", "")
	if status != http.StatusOK {
		t.Fatalf("requests: %d %s", status, raw)
	}
	var list struct {
		Requests []loggedRequest `json:"requests"`
	}
	if err := json.Unmarshal(raw, &list); err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(list.Requests, func(r loggedRequest) bool {
		return r.ID == id
	})
	if id == "" || i < 0 {
		t.Fatalf("request %q not in the log: %s", id, raw)
	}
	q := list.Requests[i]
	if q.Scope.Food != "shell_eggs" || q.Format != "xlsx" || q.Key != "reader-key" || q.Role != "reader" || !q.Complete ||
		time.Since(q.RequestedAt) > time.Minute || q.Scope.From != scope.from.Format(time.RFC3339) {
		t.Errorf("logged %+v", q)
	}
	if q.Rows["shipping"] != len(want["shipping"]) || q.Rows["receiving"] != len(want["receiving"]) || q.Rows["transformation"] != len(want["transformation"]) {
		t.Errorf("logged rows %v, want %d %d %d", q.Rows, len(want["shipping"]), len(want["receiving"]), len(want["transformation"]))
	}
}

// loggedRequest is an entry of GET /api/v1/fsma/requests.
type loggedRequest struct {
	ID    string `json:"id"`
	Scope struct {
		Food string `json:"food"`
		From string `json:"from"`
	} `json:"scope"`
	Format      string         `json:"format"`
	Key         string         `json:"key"`
	Role        string         `json:"role"`
	RequestedAt time.Time      `json:"requested_at"`
	Rows        map[string]int `json:"rows"`
	Complete    bool           `json:"complete"`
}
