package test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lot-trace/lot-trace/api"
)

// TestE2ERecordsRequest drives the "Records request" tab in headless Chromium on a history with
// known gaps: products picked and a date range give the records per CTE the API counts, the
// completeness panel lists each gap with a link to its lot, the XLSX downloads, the link opens
// the lot in the explorer, and a lot of a listed food shows its category.
func TestE2ERecordsRequest(t *testing.T) {
	requireUIBuilt(t)
	b := newBrowser(t)
	c := newAPI(t, api.Config{})
	tg, year, _ := gapHistory(t, c)
	products := tg + "EGG, " + tg + "FLOUR\n" + tg + "CAKE"
	from, to := fmt.Sprintf("%04d-03-01", year), fmt.Sprintf("%04d-03-31", year)

	// What the API answers for the same scope.
	status, raw := c.do(http.MethodGet, "/api/v1/fsma/completeness?product="+tg+"EGG|"+tg+"FLOUR|"+tg+"CAKE&from="+from+"&to="+to, "", "")
	var want completenessAnswer
	if err := json.Unmarshal(raw, &want); status != http.StatusOK || err != nil {
		t.Fatalf("the API's answer: %d %s", status, raw)
	}

	b.do("open the records tab", chromedp.Navigate(c.base+"/#tab=records"), chromedp.WaitVisible(chromedp.CSS("#records-form")))
	b.poll("the food list", `document.querySelectorAll('#records-food option').length > 20`)
	if name := eval[string](b, `document.querySelector('#records-food option[value="shell_eggs"]').textContent`); name != "Shell eggs" {
		t.Errorf("the food list names shell_eggs %q", name)
	}
	b.do("pick products and dates",
		chromedp.SendKeys(chromedp.CSS("#records-products"), products),
		chromedp.SetValue(chromedp.CSS("#records-from"), from),
		chromedp.SetValue(chromedp.CSS("#records-to"), to),
		chromedp.Click(chromedp.CSS("#records-check")))
	b.poll("the counts", `window.__lotTraceRecords && __lotTraceRecords.checks >= 1`)
	if e := eval[string](b, `__lotTraceRecords.error`); e != "" {
		t.Fatalf("the page shows an error: %s", e)
	}
	for _, cte := range want.CTEs {
		shown := eval[string](b, `document.querySelector('#records-counts tr[data-cte="`+cte.CTE+`"] td.records').textContent`)
		if shown != fmt.Sprint(cte.Records) {
			t.Errorf("%s: the page shows %s records, the API %d", cte.CTE, shown, cte.Records)
		}
	}
	// Every gap of the API's answer is listed, linking to its lot.
	for _, cte := range want.CTEs {
		for _, f := range cte.Findings {
			if f.Missing == 0 {
				if n := eval[int](b, `document.querySelectorAll('#records-gaps li.finding[data-rule="`+f.Rule+`"]').length`); n != 0 {
					t.Errorf("%s shown without a gap", f.Rule)
				}
				continue
			}
			links := eval[[]string](b, `[...document.querySelectorAll('#records-gaps li.finding[data-rule="`+f.Rule+`"] a.gap-lot')].map(a => a.getAttribute('href'))`)
			if len(links) != len(f.Examples) {
				t.Errorf("%s: %d links, want %d", f.Rule, len(links), len(f.Examples))
				continue
			}
			for i, e := range f.Examples {
				if links[i] != "/?lot="+e.Lot {
					t.Errorf("%s: link %q, want /?lot=%s", f.Rule, links[i], e.Lot)
				}
			}
		}
	}
	broken := 0
	for _, cte := range want.CTEs {
		for _, f := range cte.Findings {
			if f.Missing > 0 {
				broken++
			}
		}
	}
	if n := eval[int](b, `document.querySelectorAll('#records-gaps li.finding').length`); n != broken || broken != 8 {
		t.Errorf("%d findings shown, the API %d; want the 8 rules broken in March (the undated receipt is in no range)", n, broken)
	}
	b.screenshot("records-request")

	b.do("download the XLSX", chromedp.Click(chromedp.CSS("#records-xlsx")))
	b.poll("the download", `__lotTraceRecords.downloads.length >= 1`)
	type download struct {
		URL  string `json:"url"`
		Name string `json:"name"`
		Size int    `json:"size"`
	}
	d := eval[download](b, `__lotTraceRecords.downloads[0]`)
	if !strings.Contains(d.Name, "_fsma-records_") || !strings.HasSuffix(d.Name, ".xlsx") || d.Size < 1000 ||
		!strings.Contains(d.URL, "format=xlsx") || !strings.Contains(d.URL, "from="+from) {
		t.Errorf("download %+v", d)
	}

	// A gap's link opens its lot in the explorer, where a lot of a listed food shows its category.
	lot := tg + "E2"
	href := eval[string](b, `document.querySelector('#records-gaps a.gap-lot[href="/?lot=`+lot+`"]').href`)
	b.do("follow the gap of "+lot, chromedp.Navigate(href))
	b.waitView(lot, "both")
	b.do("select "+lot, chromedp.Click(chromedp.CSS(`#nodelist button[data-id="lot:`+lot+`"]`)))
	b.poll("the category", `!document.querySelector('#details-body .ftl-badge').hidden`)
	if badge := eval[string](b, `document.querySelector('#details-body .ftl-badge').textContent`); badge != "Food Traceability List: Shell eggs" {
		t.Errorf("badge %q", badge)
	}
	flour := tg + "F1"
	b.do("open "+flour, chromedp.Navigate(c.base+"/?lot="+flour))
	b.waitView(flour, "both")
	b.do("select "+flour, chromedp.Click(chromedp.CSS(`#nodelist button[data-id="lot:`+flour+`"]`)), chromedp.Sleep(time.Second))
	if hidden := eval[bool](b, `(() => { const e = document.querySelector('#details-body .ftl-badge'); return !e || e.hidden; })()`); !hidden {
		t.Errorf("flour, not on the list, shows a category")
	}
	b.noPageErrors()
}
