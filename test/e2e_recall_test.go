package test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/test/testdb"
)

// starterFeedings is how long the test's sourdough starter has been fed: each feeding is two
// transformation levels, so its latest lot's genealogy is 900 levels deep.
const starterFeedings = 450

// starterHistory is a sourdough starter fed n times: STARTER-0000 is received from a culture
// supplier, feeding k consumes STARTER-(k-1) and a flour lot (a new one every 50 feedings)
// and makes STARTER-k. Every 25th starter lot and the latest go into bakes of bread shipped
// to customers, some by the case, some by the kilogram.
func starterHistory(n int) []string {
	lines := []string{`{"type": "receipt", "lot": {"code": "{T}STARTER-0000", "product": "STARTER", "quantity": 5, "unit": "kg"},
		"supplier": {"id": "{T}S-CULTURE", "name": "Culture Lab", "location": "Lyon"}, "received_at": "2020-01-01T07:00:00Z", "location": "BAKERY-1",
		"reference": {"type": "PO", "number": "PO-S"}}`}
	flour := func(k int) string { return fmt.Sprintf("{T}FLOUR-%02d", k/50) }
	day := func(k int) string {
		return time.Date(2020, 1, 2, 6, 0, 0, 0, time.UTC).AddDate(0, 0, k).Format(time.RFC3339)
	}
	bake := func(id, starter string, k int, outputs []string) {
		lines = append(lines, fmt.Sprintf(`{"type": "production", "batch": {"id": "{T}%s"}, "produced_at": %q, "location": "BAKERY-1",
			"inputs": [{"lot": "{T}%s", "quantity": 0.5, "unit": "kg"}, {"lot": %q, "quantity": 20, "unit": "kg"}],
			"outputs": [%s]}`, id, day(k), starter, flour(k), strings.Join(outputs, ", ")))
	}
	ship := func(id, lot, customer string, qty float64, unit string, k int) {
		lines = append(lines, fmt.Sprintf(`{"type": "shipment", "id": "{T}%s", "customer": {"id": "{T}%s", "name": "Shop %s", "location": "High Street"},
			"shipped_at": %q, "from": "BAKERY-1", "reference": {"type": "BOL", "number": "BOL-%s"},
			"lines": [{"lot": "{T}%s", "quantity": %g, "unit": %q}]}`, id, customer, customer, day(k+1), id, lot, qty, unit))
	}
	out := func(code, product string, qty float64, unit string) string {
		return fmt.Sprintf(`{"code": "{T}%s", "product": %q, "quantity": %g, "unit": %q}`, code, product, qty, unit)
	}
	for k := 1; k <= n; k++ {
		if k == 1 || k%50 == 0 {
			lines = append(lines, fmt.Sprintf(`{"type": "receipt", "lot": {"code": %q, "product": "FLOUR", "quantity": 1000, "unit": "kg"},
				"supplier": {"id": "{T}S-MILL", "name": "Prairie Mill", "location": "Saskatoon"}, "received_at": %q, "location": "BAKERY-1",
				"reference": {"type": "PO", "number": "PO-F%d"}}`, flour(k), day(k-1), k))
		}
		lines = append(lines, fmt.Sprintf(`{"type": "production", "batch": {"id": "{T}FEED-%04d"}, "produced_at": %q, "location": "BAKERY-1",
			"inputs": [{"lot": "{T}STARTER-%04d", "quantity": 1, "unit": "kg"}, {"lot": %q, "quantity": 1, "unit": "kg"}],
			"outputs": [{"code": "{T}STARTER-%04d", "product": "STARTER", "quantity": 2, "unit": "kg"}]}`, k, day(k), k-1, flour(k), k))
		if k%25 == 0 {
			bake(fmt.Sprintf("BAKE-%04d", k), fmt.Sprintf("STARTER-%04d", k), k, []string{out(fmt.Sprintf("BREAD-%04d", k), "BREAD", 40, "case")})
			ship(fmt.Sprintf("SH-%04d", k), fmt.Sprintf("BREAD-%04d", k), fmt.Sprintf("OLD-%d", k%3), 40, "case", k)
		}
	}
	// The latest starter lot goes into two bakes; their bread and crumbs reach seven shops.
	latest := fmt.Sprintf("STARTER-%04d", n)
	bake("BAKE-LAST-A", latest, n, []string{out("BREAD-LAST-A", "BREAD", 60, "case"), out("CRUMB-LAST-A", "CRUMBS", 30, "kg")})
	bake("BAKE-LAST-B", latest, n, []string{out("BREAD-LAST-B", "BREAD", 60, "case")})
	for i, s := range []struct {
		lot, customer string
		qty           float64
		unit          string
	}{
		{"BREAD-LAST-A", "CUST-1", 10, "case"}, {"BREAD-LAST-A", "CUST-2", 25, "case"}, {"BREAD-LAST-A", "CUST-3", 5, "case"},
		{"BREAD-LAST-B", "CUST-1", 12, "case"}, {"BREAD-LAST-B", "CUST-4", 30, "case"}, {"BREAD-LAST-B", "CUST-5", 18, "case"},
		{"CRUMB-LAST-A", "CUST-6", 12.5, "kg"}, {"CRUMB-LAST-A", "CUST-1", 7.5, "kg"}, {"CRUMB-LAST-A", "CUST-7", 10, "kg"},
	} {
		ship(fmt.Sprintf("SH-LAST-%d", i), s.lot, s.customer, s.qty, s.unit, n+i)
	}
	return lines
}

// recallAnswer is the part of GET /recall the explorer's counts are checked against.
type recallAnswer struct {
	SourceBatches []string `json:"source_batches"`
	Ingredients   struct {
		Lots      []string `json:"lots"`
		Batches   []string `json:"batches"`
		Suppliers []string `json:"suppliers"`
	} `json:"ingredients"`
	Affected struct {
		Lots      []string `json:"lots"`
		Batches   []string `json:"batches"`
		Customers []string `json:"customers"`
		Shipments []struct {
			Customer  string  `json:"customer"`
			Lot       string  `json:"lot"`
			Quantity  float64 `json:"quantity"`
			Unit      string  `json:"unit"`
			ShippedAt string  `json:"shipped_at"`
		} `json:"shipments"`
	} `json:"affected"`
	Truncated bool `json:"truncated"`
}

func getRecall(t *testing.T, c *apiClient, lot string) recallAnswer {
	t.Helper()
	status, raw := c.do("GET", "/api/v1/lots/"+url.PathEscape(lot)+"/recall", "", "")
	var r recallAnswer
	if status != 200 || json.Unmarshal(raw, &r) != nil {
		t.Fatalf("recall of %s: %d %.300s", lot, status, raw)
	}
	return r
}

// runInfo is what the page's hook tells of a folded run.
type runInfo struct {
	ID       string         `json:"id"`
	Side     string         `json:"side"`
	Deep     bool           `json:"deep"`
	Headline string         `json:"headline"`
	Hidden   int            `json:"hidden"`
	Unloaded int            `json:"unloaded"`
	Counts   map[string]int `json:"counts"`
	Family   *struct {
		Prefix string `json:"prefix"`
		Count  int    `json:"count"`
		Chain  bool   `json:"chain"`
	} `json:"family"`
}

// TestE2EBigRecall opens recall mode on a starter lot 900 levels deep and on a flour lot used
// in 300 batches, in headless Chromium against the real service and Neo4j: the three answers
// show the recall's exact counts, the customer table sorts, the chain is one run with its
// exact generation count that opens on click, and no trace is asked for without a node bound.
func TestE2EBigRecall(t *testing.T) {
	requireUIBuilt(t)
	b := newBrowser(t)
	c := newAPI(t, api.Config{MaxBodyBytes: 32 << 20})

	t.Run("deep", func(t *testing.T) {
		b.t = t
		tg := loadHistory(t, c, starterHistory(starterFeedings))
		lot := fmt.Sprintf("%sSTARTER-%04d", tg, starterFeedings)
		want := getRecall(t, c, lot)
		if want.Truncated {
			t.Fatalf("the recall of %s is cut short: the service does not yet follow genealogies to their ends", lot)
		}
		if got := len(want.Ingredients.Lots); got < 2*100 {
			t.Fatalf("the recall holds %d ingredient lots, want the whole chain (levels > 100)", got)
		}
		openRecall(t, b, c, lot)
		checkAnswers(t, b, want)
		checkCustomerTable(t, b, want)

		// The chain is one run of starter generations, counted exactly: the starter lots of the
		// answer less those drawn.
		starters := func(keys []string) int {
			n := 0
			for _, k := range keys {
				if strings.HasPrefix(k, tg+"STARTER-") {
					n++
				}
			}
			return n
		}
		run := deepRun(t, b, "up")
		generations := starters(want.Ingredients.Lots) - starters(eval[[]string](b, `__lotTrace.highlighted('ingredient')`))
		if wantHead := tg + "STARTER-…: " + thousands(generations) + " generations"; run.Headline != wantHead {
			t.Errorf("the chain's run reads %q, want %q", run.Headline, wantHead)
		}
		if generations < starterFeedings-20 {
			t.Errorf("only %d generations folded of %d", generations, starterFeedings)
		}
		if text := eval[string](b, `document.getElementById('folded').textContent`); !strings.Contains(text, thousands(generations)+" generations") {
			t.Errorf("the folded runs panel %q lacks the generation count", text)
		}
		// Drawn, it is a handful of columns, not 900.
		if n := eval[int](b, `__lotTrace.nodeCount()`); n > 80 {
			t.Errorf("the deep recall draws %d nodes, want a backbone of a few dozen", n)
		}
		saveScreenshot(t, b, "recall-deep")

		// A click opens three more generations, and the counts still add up.
		before := eval[int](b, `__lotTrace.renders`)
		nodes := eval[int](b, `__lotTrace.nodeCount()`)
		b.do("open the chain's run", chromedp.Click(chromedp.CSS(`#folded li[data-run="run:up:deep"] button`)))
		b.poll("the opened run is drawn", `__lotTrace.renders > `+strconv.Itoa(before))
		opened := deepRun(t, b, "up")
		if opened.Family == nil || opened.Family.Count != generations-3 || !opened.Family.Chain {
			t.Errorf("after one click the run holds %+v, want %d generations", opened.Family, generations-3)
		}
		if got := eval[int](b, `__lotTrace.nodeCount()`); got <= nodes {
			t.Errorf("opening the run drew %d nodes, before %d", got, nodes)
		}
		if again := starters(want.Ingredients.Lots) - starters(eval[[]string](b, `__lotTrace.highlighted('ingredient')`)); again != opened.Family.Count {
			t.Errorf("drawn and folded starter lots do not add up: %d folded, %d not drawn", opened.Family.Count, again)
		}
		checkBoundedRequests(t, b)
		b.noPageErrors()
	})

	t.Run("hub", func(t *testing.T) {
		b.t = t
		tg := loadHistory(t, c, wideHistory(300))
		lot := tg + "WFLOUR"
		want := getRecall(t, c, lot)
		openRecall(t, b, c, lot)
		checkAnswers(t, b, want)
		checkCustomerTable(t, b, want)

		// Drawn affected nodes and the downstream runs hold every affected node, once.
		total := len(want.Affected.Lots) - 1 + len(want.Affected.Batches) + len(want.Affected.Customers)
		addsUp := func(when string) (unloaded int) {
			t.Helper()
			drawn := len(eval[[]string](b, `__lotTrace.highlighted('affected')`)) + len(eval[[]string](b, `__lotTrace.highlighted('customer')`))
			folded := 0
			for _, r := range eval[[]runInfo](b, `__lotTrace.runs()`) {
				if r.Side == "down" {
					folded += r.Hidden + r.Unloaded
					unloaded += r.Unloaded
				}
			}
			if drawn+folded != total {
				t.Errorf("%s: drawn %d + folded %d affected nodes, the recall has %d", when, drawn, folded, total)
			}
			return unloaded
		}
		if addsUp("first drawn") == 0 {
			t.Errorf("the hub's forward graph was loaded whole: want it bounded below its %d nodes", total)
		}
		if n := eval[int](b, `__lotTrace.nodeCount()`); n > 80 {
			t.Errorf("the hub recall draws %d nodes, want a backbone of a few dozen", n)
		}
		saveScreenshot(t, b, "recall-hub")

		// "Load more" asks again with a larger node bound; the counts still add up.
		before := eval[int](b, `__lotTrace.renders`)
		b.do("load more of the affected side", chromedp.Click(chromedp.CSS(`#folded li[data-run="run:down:deep"] button`)))
		b.poll("the larger graph is drawn", `__lotTrace.renders > `+strconv.Itoa(before))
		if left := addsUp("after loading more"); left != 0 {
			t.Errorf("after loading more, %d affected nodes are still not loaded", left)
		}
		checkBoundedRequests(t, b)
		b.noPageErrors()
	})
}

// openRecall opens the explorer in recall mode on a lot and waits for the drawing.
func openRecall(t *testing.T, b *browser, c *apiClient, lot string) {
	t.Helper()
	b.do("open the recall of "+lot, chromedp.Navigate(c.base+"/?lot="+url.QueryEscape(lot)+"&mode=recall"))
	b.waitView(lot, "recall")
}

// checkAnswers compares the three answers' figures with the recall's lists.
func checkAnswers(t *testing.T, b *browser, want recallAnswer) {
	t.Helper()
	shown := eval[map[string]string](b, `Object.fromEntries([...document.querySelectorAll('#answers [data-count]')].map(e => [e.dataset.count, e.textContent]))`)
	for key, n := range map[string]int{
		"source-batches": len(want.SourceBatches), "ingredient-lots": len(want.Ingredients.Lots), "ingredient-batches": len(want.Ingredients.Batches),
		"ingredient-suppliers": len(want.Ingredients.Suppliers), "affected-lots": len(want.Affected.Lots), "affected-batches": len(want.Affected.Batches),
		"affected-customers": len(want.Affected.Customers), "shipment-lines": len(want.Affected.Shipments),
	} {
		if shown[key] != thousands(n) {
			t.Errorf("the answers show %s = %q, the recall %d", key, shown[key], n)
		}
	}
}

// checkCustomerTable checks one row a customer with the recall's sums, and each sort.
func checkCustomerTable(t *testing.T, b *browser, want recallAnswer) {
	t.Helper()
	type row struct {
		Customer, Lots, Quantity, Last string
	}
	rows := func() []row {
		return eval[[]row](b, `[...document.querySelectorAll('#customers tbody tr')].map(tr => {
			const td = tr.querySelectorAll('td');
			return {Customer: td[0].textContent, Lots: td[1].textContent, Quantity: td[2].textContent, Last: td[3].textContent};
		})`)
	}
	got := rows()
	if len(got) != len(want.Affected.Customers) {
		t.Fatalf("the customer table has %d rows, the recall %d customers", len(got), len(want.Affected.Customers))
	}
	// The recall's lines summed per customer and unit.
	sums := map[string]map[string]float64{}
	lots := map[string]map[string]bool{}
	for _, s := range want.Affected.Shipments {
		if sums[s.Customer] == nil {
			sums[s.Customer], lots[s.Customer] = map[string]float64{}, map[string]bool{}
		}
		sums[s.Customer][s.Unit] += s.Quantity
		lots[s.Customer][s.Lot] = true
	}
	for _, r := range got {
		if r.Lots != strconv.Itoa(len(lots[r.Customer])) {
			t.Errorf("%s: %s lots, the recall %d", r.Customer, r.Lots, len(lots[r.Customer]))
		}
		for unit, q := range sums[r.Customer] {
			if !strings.Contains(r.Quantity, strconv.FormatFloat(q, 'f', -1, 64)+" "+unit) {
				t.Errorf("%s: quantity %q lacks %g %s", r.Customer, r.Quantity, q, unit)
			}
		}
		if strings.Count(r.Quantity, "+")+1 != len(sums[r.Customer]) {
			t.Errorf("%s: quantity %q, want one sum per unit %v", r.Customer, r.Quantity, sums[r.Customer])
		}
	}
	sorted := func(column string, less func(a, b row) bool) {
		t.Helper()
		b.do("sort by "+column, chromedp.Click(chromedp.CSS(`#customers th[data-sort="`+column+`"] button`)))
		got := rows()
		if !slices.IsSortedFunc(got, func(a, b row) int {
			if less(a, b) {
				return -1
			}
			if less(b, a) {
				return 1
			}
			return 0
		}) {
			t.Errorf("after a click on %s the rows are %v", column, got)
		}
	}
	num := func(s string) int { n, _ := strconv.Atoi(strings.ReplaceAll(s, ",", "")); return n }
	sorted("lots", func(a, b row) bool { return num(a.Lots) > num(b.Lots) }) // numbers sort largest first
	sorted("last", func(a, b row) bool { return a.Last > b.Last })
	sorted("last", func(a, b row) bool { return a.Last < b.Last }) // a second click turns it round
	sorted("customer", func(a, b row) bool { return a.Customer < b.Customer })
}

// deepRun returns the deep run of one side, failing the test without one.
func deepRun(t *testing.T, b *browser, side string) runInfo {
	t.Helper()
	for _, r := range eval[[]runInfo](b, `__lotTrace.runs()`) {
		if r.Deep && r.Side == side {
			return r
		}
	}
	t.Fatalf("no deep %s run in %v", side, eval[[]runInfo](b, `__lotTrace.runs()`))
	return runInfo{}
}

// checkBoundedRequests fails the test if the page asked for a trace's graph without a node
// bound: it asks for the answer (the recall, or a trace's keys) and for the part it draws.
func checkBoundedRequests(t *testing.T, b *browser) {
	t.Helper()
	type entry struct {
		Name string  `json:"name"`
		Size float64 `json:"size"`
	}
	entries := eval[[]entry](b, `performance.getEntriesByType('resource').map(e => ({name: e.name, size: e.encodedBodySize}))`)
	traces := 0
	for _, e := range entries {
		u, err := url.Parse(e.Name)
		if err != nil || !strings.HasPrefix(u.Path, "/api/v1/lots/") {
			continue
		}
		if strings.HasSuffix(u.Path, "/trace") {
			traces++
			if q := u.Query(); q.Get("max_nodes") == "" && q.Get("view") != "summary" {
				t.Errorf("the explorer asked for a whole trace: %s", e.Name)
			}
		}
		t.Logf("fetched %s (%.0f bytes)", u.RequestURI(), e.Size)
	}
	if traces == 0 {
		t.Errorf("no trace request seen in %d resource entries", len(entries))
	}
}

// saveScreenshot saves the viewport as test/artifacts/<name>.png and, with -update, as
// test/testdata/screenshots/<name>.png, committed so that a reviewer sees the view without
// running the test (like the golden files, rewritten only when asked).
func saveScreenshot(t *testing.T, b *browser, name string) {
	t.Helper()
	png := b.screenshot(name)
	if !*update {
		t.Logf("screenshot: %s (go test ./test -run TestE2EBigRecall -update rewrites test/testdata/screenshots)", png)
		return
	}
	dir := filepath.Join(testdb.RepoRoot(), "test", "testdata", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(png)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), raw, 0o644); err != nil {
		t.Fatal(err)
	}
}

// thousands writes n as the explorer does: 1,234.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
