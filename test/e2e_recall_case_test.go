package test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/internal/synth"
)

// TestE2ERecallCase runs a real recall case in the explorer on a lot of a generated demo
// history: open the case from recall mode, see a shipment of a held lot refused with 409,
// notify and confirm every customer from the checklist, close the case, and download the
// case file.
func TestE2ERecallCase(t *testing.T) {
	t.Parallel()
	requireUIBuilt(t)
	b := newBrowser(t)
	store := sharedStore(t)
	c := newAPI(t, api.Config{})
	tg := tag(t)
	if _, err := synth.Load(context.Background(), store, synth.Options{Seed: 16, Lots: 300, HubBatches: 5, Prefix: tg}); err != nil {
		t.Fatal(err)
	}
	// A produced lot whose recall reaches two to five customers.
	var lot string
	var customers []any
	for _, row := range query(t, `MATCH (l:Lot)-[:SHIPPED_TO]->() WHERE l.code STARTS WITH $tg AND l.origin = 'production'
		RETURN DISTINCT l.code AS code ORDER BY code LIMIT 200`, map[string]any{"tg": tg}) {
		code := row["code"].(string)
		recall := c.getJSON("/api/v1/lots/"+url.PathEscape(code)+"/recall", http.StatusOK)
		if n := len(list(obj(recall["affected"])["customers"])); n >= 2 && n <= 5 {
			lot, customers = code, list(obj(recall["affected"])["customers"])
			break
		}
	}
	if lot == "" {
		t.Fatal("the demo history has no lot whose recall reaches 2 to 5 customers")
	}

	b.do("open the recall of "+lot, chromedp.Navigate(c.base+"/?lot="+url.QueryEscape(lot)+"&mode=recall"))
	b.waitView(lot, "recall")
	b.do("open a recall case", chromedp.Click(chromedp.ID("open-case")), chromedp.WaitVisible(chromedp.ID("open-case-form")))
	b.do("give the reason and open it", chromedp.SendKeys(chromedp.CSS(`#open-case-form input[name="reason"]`), "Glass found in a jar"),
		chromedp.Click(chromedp.CSS(`#open-case-form button[type="submit"]`)))
	b.poll("the case page", `!!document.getElementById('case-title') && location.hash.includes('case=')`)
	id := eval[string](b, `new URLSearchParams(location.hash.slice(1)).get('case')`)
	if !strings.HasPrefix(id, "RC-") || !strings.Contains(eval[string](b, `document.getElementById('case-title').textContent`), "real") {
		t.Fatalf("case page of %q: %s", id, eval[string](b, `document.getElementById('recalls').textContent`))
	}
	if n := eval[int](b, `document.querySelectorAll('#case-customers tbody tr').length`); n != len(customers) {
		t.Errorf("the checklist has %d customers, the recall %d", n, len(customers))
	}

	// A shipment of the held lot, sent from the page, is refused.
	refusal := evalAwait[string](b, fmt.Sprintf(`fetch('/api/v1/shipments', {method: 'POST', headers: {'Content-Type': 'application/json'},
		body: JSON.stringify({id: %s, customer: {id: %s, location: 'Dock'}, shipped_at: '2027-01-01T10:00:00Z', from: 'PLANT',
			reference: {type: 'BOL', number: 'B-1'}, lines: [{lot: %s, quantity: 1, unit: %s}]})})
		.then(async (r) => r.status + ' ' + (await r.json()).detail)`, jsString(tg+"SH-HELD"), jsString(tg+"CUST-NEW"), jsString(lot),
		jsString(c.getJSON("/api/v1/lots/"+url.PathEscape(lot), http.StatusOK)["lot"].(map[string]any)["unit"].(string))))
	if !strings.HasPrefix(refusal, "409 ") || !strings.Contains(refusal, lot) || !strings.Contains(refusal, id) {
		t.Errorf("shipping a held lot: %q, want 409 naming the lot and the case", refusal)
	}
	b.forgetErrors() // the browser logs the 409

	// Notify, then confirm every customer with what they were shipped, returned.
	for _, cu := range customers {
		row := fmt.Sprintf(`#case-customers tr[data-customer=%s]`, jsString(cu.(string)))
		b.do("notify "+cu.(string), chromedp.Click(chromedp.CSS(row+` button.notify`)))
		b.poll("notified "+cu.(string), fmt.Sprintf(`document.querySelectorAll(%s).length === 1`, jsString(row+` .done`)))
		eval[bool](b, fmt.Sprintf(`(() => { const r = document.querySelector(%s);
			const shipped = parseFloat(r.children[1].textContent); r.querySelector('input[name="returned"]').value = String(shipped); return true })()`, jsString(row)))
		b.do("confirm "+cu.(string), chromedp.Click(chromedp.CSS(row+` form.confirm button`)))
		b.poll("confirmed "+cu.(string), fmt.Sprintf(`document.querySelectorAll(%s).length === 2`, jsString(row+` .done`)))
	}
	if got := eval[float64](b, `document.getElementById('bar-confirmed').value`); got != 1 {
		t.Errorf("customers confirmed bar at %v, want 1", got)
	}
	file := c.getJSON("/api/v1/recalls/"+id, http.StatusOK)
	e := obj(file["effectiveness"])
	if e["confirmed"] != float64(len(customers)) || e["notified"] != float64(len(customers)) {
		t.Errorf("the case file's effectiveness %v, want %d customers notified and confirmed", e, len(customers))
	}
	if got := eval[float64](b, `document.getElementById('bar-accounted').value`); got != e["accounted_share"] {
		t.Errorf("quantity bar at %v, the case file says %v", got, e["accounted_share"])
	}

	b.do("close the case", chromedp.SendKeys(chromedp.CSS(`#close-form input[name="conclusion"]`), "Every jar returned"),
		chromedp.Click(chromedp.CSS(`#close-form button[type="submit"]`)))
	b.poll("closed", `document.getElementById('case-state') && document.getElementById('case-state').textContent === 'closed'`)
	clocks := eval[string](b, `document.getElementById('case-clocks').textContent`)
	if strings.Contains(clocks, "not yet") {
		t.Errorf("a closed case with every customer notified still shows a clock not yet run: %s", clocks)
	}

	// The case file, as the page links it.
	for _, f := range []struct{ id, contentType string }{{"case-file-xlsx", mimeXLSX}, {"case-file-html", "text/html"}} {
		href := eval[string](b, `document.getElementById(`+jsString(f.id)+`).getAttribute('href')`)
		got := evalAwait[string](b, `fetch(`+jsString(href)+`).then(async (r) => r.status + ' ' + r.headers.get('content-type') + ' ' + (await r.blob()).size)`)
		if !strings.HasPrefix(got, "200 "+f.contentType) {
			t.Errorf("%s (%s): %s", f.id, href, got)
		}
	}
	sheet := c.get("/api/v1/recalls/"+url.PathEscape(id)+"?format=xlsx", "")
	_, rows := xlsxCells(t, sheet, "Customers")
	if len(rows) != len(customers)+1 || sheet.status != http.StatusOK {
		t.Errorf("the case file's customers sheet has %d rows, want %d customers", len(rows)-1, len(customers))
	}
	b.screenshot("recall-case")
	b.noPageErrors()
}

// evalAwait evaluates a JavaScript expression whose value is a promise, and decodes what it
// resolves to into T.
func evalAwait[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}
