package test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/api"
)

// openCase opens a recall case and returns its answer; it fails the test unless 201.
func openCase(t *testing.T, c *apiClient, kind string, reason string, lots ...string) map[string]any {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"lots": lots, "kind": kind, "reason": reason})
	status, answer := c.post("/api/v1/recalls", string(body))
	if status != http.StatusCreated {
		t.Fatalf("opening a %s case on %v: %d %v", kind, lots, status, answer)
	}
	return answer
}

func list(v any) []any { l, _ := v.([]any); return l }

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

// shipmentOf is the body of a one-line shipment.
func shipmentOf(id, customer, lot string, qty float64, unit string) string {
	return fmt.Sprintf(`{"id": %q, "customer": {"id": %q, "location": "Main St"}, "shipped_at": "2026-10-20T10:00:00Z", "from": "BAKERY-1",
		"reference": {"type": "BOL", "number": "BOL-%s"}, "lines": [{"lot": %q, "quantity": %g, "unit": %q}]}`, id, customer, id, lot, qty, unit)
}

// TestRecallCaseScopeIsTheRecall: a case's scope is the recall route's answer for each lot,
// with every customer's shipped quantity and exposure, and a real case holds every affected
// lot, which the lot view and the traces show.
func TestRecallCaseScopeIsTheRecall(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	fg1 := tg + "FG-1"
	rc := openCase(t, c, "real", "metal fragment found", fg1)
	id, _ := rc["id"].(string)
	if !strings.HasPrefix(id, "RC-") || rc["kind"] != "real" || rc["reason"] != "metal fragment found" || rc["opened_by"] != "anonymous" || rc["opened_at"] == "" {
		t.Fatalf("case: %v", rc)
	}

	recall := c.getJSON("/api/v1/lots/"+fg1+"/recall", http.StatusOK)
	delete(recall, "truncated")
	delete(recall, "took_ms")
	scope := obj(rc["scope"])
	got := obj(list(scope["recalls"])[0])
	if !reflect.DeepEqual(got, recall) {
		t.Errorf("the case's scope is not the recall route's answer:\n scope  %v\n recall %v", got, recall)
	}
	affected := list(obj(recall["affected"])["lots"])
	if len(affected) != 3 {
		t.Fatalf("the bakery's FG-1 recall affects FG-1, FG-2, FG-3, got %v", affected)
	}
	if !reflect.DeepEqual(list(scope["affected_lots"]), affected) {
		t.Errorf("affected_lots %v, want %v", scope["affected_lots"], affected)
	}

	// Every customer: what they received per unit is the sum of their shipment lines, and
	// their exposure is the exposure route's shipment lines to them.
	shipped := map[string]float64{}
	for _, l := range list(obj(recall["affected"])["shipments"]) {
		shipped[obj(l)["customer"].(string)+"/"+obj(l)["unit"].(string)] += obj(l)["quantity"].(float64)
	}
	// FG-1's source batch B-1 made FG-1 and FG-2: the exposure is to each.
	exposure := map[string]float64{}
	for _, lot := range []string{fg1, tg + "FG-2"} {
		for _, l := range list(c.getJSON("/api/v1/lots/"+lot+"/exposure", http.StatusOK)["shipments"]) {
			exposure[obj(l)["customer"].(string)+"/"+lot] += obj(l)["exposure"].(float64)
		}
	}
	customers := list(scope["customers"])
	if len(customers) != len(list(obj(recall["affected"])["customers"])) {
		t.Fatalf("scope customers %v, recall customers %v", customers, obj(recall["affected"])["customers"])
	}
	for _, cu := range customers {
		m := obj(cu)
		for _, q := range list(m["shipped"]) {
			if want := shipped[m["id"].(string)+"/"+obj(q)["unit"].(string)]; obj(q)["quantity"] != want {
				t.Errorf("customer %s shipped %v, want %v", m["id"], q, want)
			}
		}
		if len(list(m["exposure"])) == 0 {
			t.Errorf("customer %v has no exposure", m)
		}
		for _, x := range list(m["exposure"]) {
			key := m["id"].(string) + "/" + obj(x)["lot"].(string)
			if want, ok := exposure[key]; !ok || obj(x)["exposure"] != want || obj(x)["unit"] != "case" {
				t.Errorf("customer exposure %v, want %v case", x, want)
			}
			delete(exposure, key)
		}
	}
	if len(exposure) > 0 {
		t.Errorf("exposures missing from the scope: %v", exposure)
	}

	// Holds: every affected lot, enforced and active.
	var held []any
	for _, h := range list(rc["holds"]) {
		if obj(h)["enforced"] != true || obj(h)["active"] != true {
			t.Errorf("hold %v: want enforced and active", h)
		}
		held = append(held, obj(h)["lot"])
	}
	if !reflect.DeepEqual(held, affected) {
		t.Errorf("holds on %v, want every affected lot %v", held, affected)
	}
	lot := obj(c.getJSON("/api/v1/lots/"+tg+"FG-3", http.StatusOK)["lot"])
	if !reflect.DeepEqual(lot["held_by"], []any{id}) {
		t.Errorf("lot view of FG-3: held_by %v, want [%s]", lot["held_by"], id)
	}
	if lot := obj(c.getJSON("/api/v1/lots/"+tg+"DOUGH-1", http.StatusOK)["lot"]); lot["held_by"] != nil {
		t.Errorf("an ingredient is not held, got held_by %v", lot["held_by"])
	}
	for _, n := range list(c.getJSON("/api/v1/lots/"+tg+"DOUGH-1/trace?direction=forward", http.StatusOK)["nodes"]) {
		props := obj(obj(n)["properties"])
		wantHeld := slices.Contains(affected, any(obj(n)["key"]))
		if hasHeld := props["held_by"] != nil; obj(n)["kind"] == "lot" && hasHeld != wantHeld {
			t.Errorf("trace node %v: held_by %v, want held %v", obj(n)["id"], props["held_by"], wantHeld)
		}
	}
}

// TestRecallCaseHoldsBite: a real case's holds refuse every shipment and production of a held
// lot with 409 naming the lot and the case, also 100 at once and in a bulk body, and store
// nothing of them; a release lets the lot move again, and a rescope keeps both versions.
func TestRecallCaseHoldsBite(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	rc := openCase(t, c, "real", "allergen", tg+"FG-1")
	id := rc["id"].(string)

	var wg sync.WaitGroup
	var refused, other atomic.Int32
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, answer := c.post("/api/v1/shipments", shipmentOf(fmt.Sprintf("%sSH-HELD-%d", tg, i), tg+"CUST-A", tg+"FG-1", 1, "case"))
			detail, _ := answer["detail"].(string)
			if status == http.StatusConflict && strings.Contains(detail, tg+"FG-1") && strings.Contains(detail, id) &&
				slices.Equal(problemFields(answer), []string{"lines[0].lot"}) {
				refused.Add(1)
			} else {
				other.Add(1)
				t.Logf("shipment %d: %d %v", i, status, answer)
			}
		}()
	}
	wg.Wait()
	if refused.Load() != 100 {
		t.Errorf("%d of 100 shipments of a held lot refused with a problem naming it and the case (%d otherwise)", refused.Load(), other.Load())
	}
	if n := query(t, `MATCH ()-[s:SHIPPED_TO]->() WHERE s.shipment_id STARTS WITH $p RETURN count(s) AS n`,
		map[string]any{"p": tg + "SH-HELD-"})[0]["n"]; n != int64(0) {
		t.Errorf("%v shipment lines of a held lot stored, want none", n)
	}

	production := fmt.Sprintf(`{"batch": {"id": "%sB-HELD"}, "produced_at": "2026-10-20T10:00:00Z", "location": "BAKERY-1",
		"inputs": [{"lot": "%sFG-2", "quantity": 1, "unit": "case"}], "outputs": [{"code": "%sFG-HELD", "product": "X", "quantity": 1, "unit": "case"}]}`, tg, tg, tg)
	status, answer := c.post("/api/v1/productions", production)
	if detail, _ := answer["detail"].(string); status != http.StatusConflict || !strings.Contains(detail, tg+"FG-2") || !strings.Contains(detail, id) {
		t.Errorf("a production consuming a held lot: %d %v, want 409 naming the lot and the case", status, answer)
	}
	if rows := query(t, `MATCH (b:Batch {id: $id}) RETURN b`, map[string]any{"id": tg + "B-HELD"}); len(rows) != 0 {
		t.Errorf("the refused production's batch was stored")
	}

	// In a bulk body the line using a held lot is rejected like any other refusal.
	bulk := ndjson(typed("shipment", shipmentOf(tg+"SH-BULK-1", tg+"CUST-B", tg+"FG-3", 1, "case")),
		typed("shipment", shipmentOf(tg+"SH-BULK-2", tg+"CUST-B", tg+"DOUGH-1", 1, "kg")))
	_, raw := c.do(http.MethodPost, "/api/v1/events", "application/x-ndjson", bulk)
	res := decodeObject(t, raw)
	rejected := list(res["rejected"])
	if res["accepted"] != float64(1) || len(rejected) != 1 || obj(rejected[0])["line"] != float64(1) || obj(rejected[0])["status"] != float64(409) ||
		!strings.Contains(obj(rejected[0])["message"].(string), id) {
		t.Errorf("bulk: %s, want line 1 rejected with 409 naming the case, line 2 (an unheld ingredient) accepted", raw)
	}

	// Releasing: a lot not held is a 422 and releases nothing; a held lot is released with
	// its reason, and may then ship.
	for _, body := range []string{
		fmt.Sprintf(`{"lots": ["%sFG-1", "%sDOUGH-1"], "reason": "checked"}`, tg, tg),
		fmt.Sprintf(`{"lots": ["%sFG-1"], "reason": ""}`, tg),
	} {
		if status, answer := c.post("/api/v1/recalls/"+id+"/release", body); status != http.StatusUnprocessableEntity {
			t.Errorf("release %s: %d %v, want 422", body, status, answer)
		}
	}
	if lot := obj(c.getJSON("/api/v1/lots/"+tg+"FG-1", http.StatusOK)["lot"]); !reflect.DeepEqual(lot["held_by"], []any{id}) {
		t.Fatalf("a refused release changed the hold: %v", lot["held_by"])
	}
	status, released := c.post("/api/v1/recalls/"+id+"/release", fmt.Sprintf(`{"lots": ["%sFG-1"], "reason": "lab test negative"}`, tg))
	if status != http.StatusOK {
		t.Fatalf("release: %d %v", status, released)
	}
	for _, h := range list(released["holds"]) {
		if obj(h)["lot"] == tg+"FG-1" && (obj(h)["active"] != false || obj(h)["release_reason"] != "lab test negative" || obj(h)["released_by"] != "anonymous") {
			t.Errorf("released hold: %v", h)
		}
	}
	if status, answer := c.post("/api/v1/recalls/"+id+"/release", fmt.Sprintf(`{"lots": ["%sFG-1"], "reason": "again"}`, tg)); status != http.StatusUnprocessableEntity ||
		!slices.Equal(problemFields(answer), []string{"lots[0]"}) {
		t.Errorf("releasing a released lot: %d %v, want 422 naming lots[0]", status, answer)
	}
	if status, answer := c.post("/api/v1/shipments", shipmentOf(tg+"SH-AFTER", tg+"CUST-D", tg+"FG-1", 1, "case")); status != http.StatusCreated {
		t.Errorf("shipping a released lot: %d %v", status, answer)
	}

	// Rescope: the new customer is in version 2; version 1 is kept; FG-1 stays released.
	status, rescoped := c.post("/api/v1/recalls/"+id+"/rescope", "")
	if status != http.StatusOK {
		t.Fatalf("rescope: %d %v", status, rescoped)
	}
	v2, prev := obj(rescoped["scope"]), list(rescoped["previous_scopes"])
	if v2["version"] != float64(2) || len(prev) != 1 || obj(prev[0])["version"] != float64(1) {
		t.Errorf("rescope: scope %v, previous %v", v2["version"], prev)
	}
	if !slices.Contains(list(obj(list(v2["recalls"])[0])["affected"].(map[string]any)["customers"]), any(tg+"CUST-D")) ||
		slices.Contains(list(obj(list(obj(prev[0])["recalls"])[0])["affected"].(map[string]any)["customers"]), any(tg+"CUST-D")) {
		t.Errorf("the new customer should be in version 2 only")
	}
	if lot := obj(c.getJSON("/api/v1/lots/"+tg+"FG-1", http.StatusOK)["lot"]); lot["held_by"] != nil {
		t.Errorf("a rescope held a released lot again: %v", lot["held_by"])
	}
}

// TestRecallCaseMockHoldsNothing: a mock case records the holds it would place, and enforces
// none.
func TestRecallCaseMockHoldsNothing(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	rc := openCase(t, c, "mock", "quarterly exercise", tg+"FG-1")
	if len(list(rc["holds"])) != 3 {
		t.Fatalf("a mock case records its would-be holds: %v", rc["holds"])
	}
	for _, h := range list(rc["holds"]) {
		if obj(h)["enforced"] != false {
			t.Errorf("mock hold %v is enforced", h)
		}
	}
	if status, answer := c.post("/api/v1/shipments", shipmentOf(tg+"SH-MOCK", tg+"CUST-A", tg+"FG-1", 1, "case")); status != http.StatusCreated {
		t.Errorf("a mock case must not stop shipping: %d %v", status, answer)
	}
	if lot := obj(c.getJSON("/api/v1/lots/"+tg+"FG-1", http.StatusOK)["lot"]); lot["held_by"] != nil {
		t.Errorf("a mock case's lot shows held_by %v", lot["held_by"])
	}
}

// TestRecallCaseBadInputChangesNothing: an unknown lot, a bad kind or a missing reason is a
// 4xx naming the field, and no case is stored.
func TestRecallCaseBadInputChangesNothing(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	reason := tg + "should not be stored"
	for _, tc := range []struct {
		body   string
		status int
		field  string
	}{
		{fmt.Sprintf(`{"lots": ["%sFG-1", "%sNOPE"], "kind": "real", "reason": %q}`, tg, tg, reason), 422, "lots[1]"},
		{fmt.Sprintf(`{"lots": ["%sFG-1"], "kind": "drill", "reason": %q}`, tg, reason), 422, "kind"},
		{fmt.Sprintf(`{"lots": ["%sFG-1"], "kind": "real", "reason": ""}`, tg), 422, "reason"},
		{fmt.Sprintf(`{"lots": [], "kind": "real", "reason": %q}`, reason), 422, "lots"},
		{fmt.Sprintf(`{"lots": ["%sFG-1"], "kind": "real", "reason": %q, "extra": 1}`, tg, reason), 400, ""},
	} {
		status, answer := c.post("/api/v1/recalls", tc.body)
		if status != tc.status || (tc.field != "" && !slices.Contains(problemFields(answer), tc.field)) {
			t.Errorf("%s: %d %v, want %d naming %q", tc.body, status, answer, tc.status, tc.field)
		}
		if detail, _ := answer["detail"].(string); tc.field == "lots[1]" && !strings.Contains(fmt.Sprint(answer["errors"]), tg+"NOPE") {
			t.Errorf("unknown lot not named: %s %v", detail, answer)
		}
	}
	if n := query(t, `MATCH (c:RecallCase) WHERE c.reason = $r RETURN count(c) AS n`, map[string]any{"r": reason})[0]["n"]; n != int64(0) {
		t.Errorf("%v cases stored from bad input", n)
	}
	if lot := obj(c.getJSON("/api/v1/lots/"+tg+"FG-1", http.StatusOK)["lot"]); lot["held_by"] != nil {
		t.Errorf("a refused case held FG-1: %v", lot["held_by"])
	}
}

// fakeClock is a clock a test moves by hand.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

func (c *fakeClock) advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.now = c.now.Add(d) }

// TestRecallCaseStepsTimesAndFile: steps are recorded with their times; the case file's
// times, effectiveness and confirmed quantities are those of the steps recorded, in JSON,
// HTML and XLSX; closing needs a conclusion, and a closed case takes no step.
func TestRecallCaseStepsTimesAndFile(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{now: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)}
	c := newAPI(t, api.Config{Clock: clock.Now, MockRecallTarget: 2 * time.Hour})
	tg := loadBakery(t, c)
	rc := openCase(t, c, "mock", "exercise", tg+"FG-1")
	id := rc["id"].(string)
	if rc["opened_at"] != "2026-11-02T08:00:00Z" {
		t.Errorf("opened_at %v, want the clock's time", rc["opened_at"])
	}
	step := func(body string) (int, map[string]any) { return c.post("/api/v1/recalls/"+id+"/steps", body) }

	for _, bad := range []struct{ body, field string }{
		{`{"kind": "customer_notified", "customer": "` + tg + `CUST-Z"}`, "customer"}, // not affected
		{`{"kind": "phoned"}`, "kind"},
		{`{"kind": "customer_confirmed", "customer": "` + tg + `CUST-A", "on_hand": 1, "returned": 0, "unit": "case"}`, "destroyed"},
		{`{"kind": "customer_confirmed", "customer": "` + tg + `CUST-A", "on_hand": -1, "returned": 0, "destroyed": 0, "unit": "case"}`, "on_hand"},
		{`{"kind": "note"}`, "note"},
	} {
		if status, answer := step(bad.body); status != http.StatusUnprocessableEntity || !slices.Contains(problemFields(answer), bad.field) {
			t.Errorf("step %s: %d %v, want 422 naming %s", bad.body, status, answer, bad.field)
		}
	}

	type confirmation struct{ onHand, returned, destroyed float64 }
	confirmed := map[string]confirmation{"CUST-A": {10, 50, 10}, "CUST-B": {0, 20, 0}, "CUST-C": {5, 0, 70}}
	var lastNotified time.Duration
	elapsed := time.Duration(0)
	for _, cu := range []string{"CUST-A", "CUST-B", "CUST-C"} {
		clock.advance(10 * time.Minute)
		elapsed += 10 * time.Minute
		if status, answer := step(`{"kind": "customer_notified", "customer": "` + tg + cu + `"}`); status != http.StatusCreated {
			t.Fatalf("notify %s: %d %v", cu, status, answer)
		}
		lastNotified = elapsed
	}
	for _, cu := range []string{"CUST-A", "CUST-B", "CUST-C"} {
		clock.advance(5 * time.Minute)
		q := confirmed[cu]
		body := fmt.Sprintf(`{"kind": "customer_confirmed", "customer": "%s%s", "on_hand": %g, "returned": %g, "destroyed": %g, "unit": "case"}`,
			tg, cu, q.onHand, q.returned, q.destroyed)
		if status, answer := step(body); status != http.StatusCreated {
			t.Fatalf("confirm %s: %d %v", cu, status, answer)
		}
	}
	for _, body := range []string{`{"kind": "stock_quarantined", "note": "pallets 3 and 4"}`, `{"kind": "regulator_notified"}`, `{"kind": "note", "note": "all done"}`} {
		if status, answer := step(body); status != http.StatusCreated {
			t.Fatalf("step %s: %d %v", body, status, answer)
		}
	}

	if status, answer := c.post("/api/v1/recalls/"+id+"/close", `{"conclusion": ""}`); status != http.StatusUnprocessableEntity {
		t.Errorf("close without a conclusion: %d %v", status, answer)
	}
	clock.advance(30 * time.Minute)
	if status, answer := c.post("/api/v1/recalls/"+id+"/close", `{"conclusion": "all stock accounted for"}`); status != http.StatusOK {
		t.Fatalf("close: %d %v", status, answer)
	}
	closedAfter := elapsed + 15*time.Minute + 30*time.Minute
	if status, answer := step(`{"kind": "note", "note": "late"}`); status != http.StatusConflict {
		t.Errorf("a step on a closed case: %d %v, want 409", status, answer)
	}
	if status, answer := c.post("/api/v1/recalls/"+id+"/close", `{"conclusion": "again"}`); status != http.StatusConflict {
		t.Errorf("closing a closed case: %d %v, want 409", status, answer)
	}

	file := c.getJSON("/api/v1/recalls/"+id, http.StatusOK)
	if n := len(list(file["steps"])); n != 9 {
		t.Errorf("%d steps in the file, want the 9 recorded", n)
	}
	tl := obj(file["timeline"])
	if tl["to_all_notified_s"] != lastNotified.Seconds() || tl["to_close_s"] != closedAfter.Seconds() || tl["mock_result"] != "pass" ||
		tl["mock_target_s"] != float64(7200) {
		t.Errorf("timeline %v: want every customer notified after %s, closed after %s, pass against 2h", tl, lastNotified, closedAfter)
	}
	e := obj(file["effectiveness"])
	if e["customers"] != float64(3) || e["notified"] != float64(3) || e["confirmed"] != float64(3) || e["confirmed_share"] != float64(1) {
		t.Errorf("effectiveness %v", e)
	}
	// The bakery shipped 70 cases of FG-1 to A, 20 of FG-2 to B and 80 of FG-3 to C.
	var onHand, returned, destroyed float64
	for _, q := range confirmed {
		onHand, returned, destroyed = onHand+q.onHand, returned+q.returned, destroyed+q.destroyed
	}
	units := list(e["units"])
	if len(units) != 1 || obj(units[0])["shipped"] != float64(170) || obj(units[0])["on_hand"] != onHand ||
		obj(units[0])["returned"] != returned || obj(units[0])["destroyed"] != destroyed ||
		e["accounted_share"] != (onHand+returned+destroyed)/170 {
		t.Errorf("units %v, accounted_share %v: want the confirmed %g/%g/%g of 170 cases", units, e["accounted_share"], onHand, returned, destroyed)
	}
	for _, p := range list(e["per_customer"]) {
		q := confirmed[strings.TrimPrefix(obj(p)["customer"].(string), tg)]
		if obj(p)["on_hand"] != q.onHand || obj(p)["returned"] != q.returned || obj(p)["destroyed"] != q.destroyed {
			t.Errorf("customer %v: want %v", p, q)
		}
	}
	if mb := list(file["mass_balance"]); len(mb) != 1 || obj(mb[0])["root"] != tg+"FG-1" || len(list(obj(mb[0])["lots"])) == 0 {
		t.Errorf("mass balance %v", mb)
	}

	page := c.get("/api/v1/recalls/"+id+"?format=html", "")
	if page.status != http.StatusOK || !strings.HasPrefix(page.header.Get("Content-Type"), "text/html") || !strings.Contains(string(page.body), id) ||
		!strings.Contains(string(page.body), "all stock accounted for") {
		t.Errorf("html: %d %s", page.status, page.header.Get("Content-Type"))
	}
	sheet := c.get("/api/v1/recalls/"+id+"?format=xlsx", "")
	f, customers := xlsxCells(t, sheet, "Customers")
	if len(customers) != 4 {
		t.Errorf("customers sheet: %v", customers)
	}
	for _, row := range customers[1:] {
		q := confirmed[strings.TrimPrefix(row[0], tg)]
		if row[6] != strconv.FormatFloat(q.onHand, 'f', -1, 64) || row[7] != strconv.FormatFloat(q.returned, 'f', -1, 64) ||
			row[8] != strconv.FormatFloat(q.destroyed, 'f', -1, 64) {
			t.Errorf("customers sheet row %v, want %v", row, q)
		}
	}
	for _, name := range []string{"Case", "Holds and releases", "Timeline", "Effectiveness", "Mass balance", "FSMA 204 records"} {
		if idx, err := f.GetSheetIndex(name); err != nil || idx < 0 {
			t.Errorf("the case file has no %q sheet (%v)", name, f.GetSheetList())
		}
	}
	if rows, _ := f.GetRows("FSMA 204 records"); len(rows) < 5 {
		t.Errorf("FSMA sheet has %d rows", len(rows))
	}

	listed := c.getJSON("/api/v1/recalls?kind=mock&state=closed&from=2026-11-02&to=2026-11-03", http.StatusOK)
	if !slices.ContainsFunc(list(listed["cases"]), func(v any) bool { return obj(v)["id"] == id }) {
		t.Errorf("the case is not listed as a closed mock case of its day")
	}
	for _, q := range []string{"kind=real", "state=open", "from=2026-11-03"} {
		if slices.ContainsFunc(list(c.getJSON("/api/v1/recalls?"+q, http.StatusOK)["cases"]), func(v any) bool { return obj(v)["id"] == id }) {
			t.Errorf("?%s lists the closed mock case", q)
		}
	}
	if status, _ := c.do(http.MethodGet, "/api/v1/recalls?kind=drill", "", ""); status != http.StatusBadRequest {
		t.Errorf("a bad kind filter: %d", status)
	}
	if status, _ := c.do(http.MethodGet, "/api/v1/recalls/RC-NOPE", "", ""); status != http.StatusNotFound {
		t.Errorf("an unknown case: %d", status)
	}
}

// TestRecallCaseRolesAndAudit: writers open cases and record steps but may not release or
// close; readers only read; every action is in the audit trail with its case.
func TestRecallCaseRolesAndAudit(t *testing.T) {
	t.Parallel()
	s := newSecuredAPI(t, api.Config{})
	tg := loadBakery(t, s.as(api.RoleWriter))
	writer, reader, admin := s.as(api.RoleWriter), s.as(api.RoleReader), s.as(api.RoleAdmin)
	body := fmt.Sprintf(`{"lots": ["%sFG-2"], "kind": "real", "reason": "roles"}`, tg)
	if status, _ := reader.post("/api/v1/recalls", body); status != http.StatusForbidden {
		t.Errorf("a reader opened a case: %d", status)
	}
	rc := openCase(t, writer, "real", "roles", tg+"FG-2")
	id := rc["id"].(string)
	if rc["opened_by"] != "writer-key" {
		t.Errorf("opened_by %v, want the writer key's name", rc["opened_by"])
	}
	if status, _ := writer.post("/api/v1/recalls/"+id+"/steps", `{"kind": "regulator_notified"}`); status != http.StatusCreated {
		t.Errorf("a writer could not record a step: %d", status)
	}
	release := fmt.Sprintf(`{"lots": ["%sFG-2"], "reason": "r"}`, tg)
	for _, call := range []struct{ path, body string }{{"/release", release}, {"/close", `{"conclusion": "c"}`}} {
		if status, _ := writer.post("/api/v1/recalls/"+id+call.path, call.body); status != http.StatusForbidden {
			t.Errorf("a writer called %s: %d", call.path, status)
		}
	}
	if status, got := reader.do(http.MethodGet, "/api/v1/recalls/"+id, "", ""); status != http.StatusOK {
		t.Errorf("a reader could not read the case: %d %s", status, got)
	}
	if status, answer := admin.post("/api/v1/recalls/"+id+"/release", release); status != http.StatusOK {
		t.Errorf("an admin could not release: %d %v", status, answer)
	}
	if status, answer := admin.post("/api/v1/recalls/"+id+"/close", `{"conclusion": "c"}`); status != http.StatusOK || obj(answer)["closed_by"] != "admin-key" {
		t.Errorf("an admin could not close: %d %v", status, answer)
	}
	entries, err := s.trail.Recent(time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.Phase == "end" && slices.Contains(e.IDs, "recall:"+id) {
			seen[e.Method+" "+e.Route+" "+e.Key] = true
		}
	}
	for _, want := range []string{"POST /api/v1/recalls writer-key", "POST /api/v1/recalls/:id/steps writer-key", "GET /api/v1/recalls/:id reader-key",
		"POST /api/v1/recalls/:id/release admin-key", "POST /api/v1/recalls/:id/close admin-key"} {
		if !seen[want] {
			t.Errorf("no audit entry of %s naming the case; have %v", want, seen)
		}
	}
}

// TestHoldPlacedWhileShippingIsSeen: a hold committed after a shipment looked its lot up, but
// before the shipment wrote, still refuses it: the write path checks holds again once it holds
// the lot's lock. The hold here is held open in a transaction of its own (taking the lot's
// lock, as recall_holds_place does) while the shipment is sent, and committed once the
// shipment has had time to plan and is waiting for the lock.
func TestHoldPlacedWhileShippingIsSeen(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	ctx := context.Background()
	sess := shared.driver.NewSession(ctx, driver.SessionConfig{AccessMode: driver.AccessModeWrite})
	defer sess.Close(ctx)
	tx, err := sess.BeginTransaction(ctx)
	if err != nil {
		t.Fatal(err)
	}
	caseID := tg + "RC-RACE"
	if _, err := tx.Run(ctx, `MATCH (l:Lot {code: $code}) SET l.held_by = coalesce(l.held_by, []) + $case`,
		map[string]any{"code": tg + "FG-1", "case": caseID}); err != nil {
		t.Fatal(err)
	}
	type answer struct {
		status int
		body   map[string]any
	}
	done := make(chan answer, 1)
	go func() {
		status, body := c.post("/api/v1/shipments", shipmentOf(tg+"SH-RACE", tg+"CUST-A", tg+"FG-1", 1, "case"))
		done <- answer{status, body}
	}()
	select {
	case a := <-done:
		t.Fatalf("the shipment did not wait for the lot's lock: %d %v", a.status, a.body)
	case <-time.After(2 * time.Second):
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	a := <-done
	if detail, _ := a.body["detail"].(string); a.status != http.StatusConflict || !strings.Contains(detail, caseID) {
		t.Errorf("a shipment racing a hold: %d %v, want 409 naming the hold's case", a.status, a.body)
	}
	if n := query(t, `MATCH ()-[s:SHIPPED_TO {shipment_id: $id}]->() RETURN count(s) AS n`, map[string]any{"id": tg + "SH-RACE"})[0]["n"]; n != int64(0) {
		t.Errorf("the racing shipment was stored")
	}
}
