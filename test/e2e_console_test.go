package test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/lot-trace/lot-trace/api"
)

// TestE2EConsole drives the console tab in headless Chromium on the bakery: a query opened
// from a link runs with Ctrl+Enter, and its table and graph hold what the API answers;
// completion offers the graph's labels; a write typed in the editor is refused with the 403's
// message shown and changes nothing; a syntax error shows Neo4j's message.
func TestE2EConsole(t *testing.T) {
	requireUIBuilt(t)
	b := newBrowser(t)
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)

	// What the API answers: every consumption of the bakery, with its lot and batch.
	cypherText := "MATCH (l:Lot)-[r:CONSUMED_IN]->(b:Batch)\nWHERE l.code STARTS WITH $tag\nRETURN l, r, b\nORDER BY b.id, l.code"
	params := `{"tag": "` + tg + `"}`
	status, raw, want := c.cypher(cypherText, map[string]any{"tag": tg})
	if status != 200 || len(want.Rows) == 0 {
		t.Fatalf("the API's answer: %d %s", status, raw)
	}
	nodes, rels := map[string]bool{}, map[string]bool{}
	for _, row := range want.Rows {
		for _, v := range row {
			m, _ := v.(map[string]any)
			if _, ok := m["labels"]; ok {
				nodes[m["id"].(string)] = true
			} else if _, ok := m["type"]; ok {
				rels[m["id"].(string)] = true
			}
		}
	}

	// A link opens the console with the query and its parameters; Ctrl+Enter runs it.
	link := url.Values{"tab": {"console"}, "query": {cypherText}, "params": {params}}.Encode()
	b.do("open the console from a link", chromedp.Navigate(c.base+"/#"+link), chromedp.WaitVisible(chromedp.CSS("#console .cm-content")))
	if got := eval[string](b, `document.querySelector('#console .cm-content').innerText`); strings.TrimSpace(got) != cypherText {
		t.Errorf("the editor holds %q, want the linked query %q", got, cypherText)
	}
	b.do("run with Ctrl+Enter", chromedp.Click(chromedp.CSS("#console .cm-content")), chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	b.poll("the answer", `window.__lotTraceConsole && __lotTraceConsole.runs >= 1`)
	type answer struct {
		Status    int      `json:"status"`
		Error     string   `json:"error"`
		Rows      int      `json:"rows"`
		Columns   []string `json:"columns"`
		TableRows int      `json:"tableRows"`
	}
	read := func() answer {
		return eval[answer](b, `({status: __lotTraceConsole.status, error: __lotTraceConsole.error, rows: __lotTraceConsole.rows,
			columns: __lotTraceConsole.columns, tableRows: __lotTraceConsole.tableRows()})`)
	}
	got := read()
	if got.Status != 200 || got.Rows != len(want.Rows) || got.TableRows != len(want.Rows) || !slices.Equal(got.Columns, want.Columns) {
		t.Errorf("the console shows %+v, want %d rows of %q in the table", got, len(want.Rows), want.Columns)
	}
	if cell := eval[string](b, `document.querySelector('#result-table tbody td:nth-child(2) .value.node.lot').textContent`); !strings.HasPrefix(cell, "(:Lot "+tg) {
		t.Errorf("the first lot cell reads %q", cell)
	}
	b.poll("the schema for completion", `document.getElementById('console-schema').textContent.includes('Completion knows')`)
	b.screenshot("console-table")

	// The graph draws each node and relationship of the answer once.
	b.do("show the graph", chromedp.Click(chromedp.CSS(`input[name="result-view"][value="graph"]`)))
	b.poll("the graph", `__lotTraceConsole.nodeCount() > 0`)
	if counts := eval[[]int](b, `[__lotTraceConsole.nodeCount(), __lotTraceConsole.edgeCount()]`); !slices.Equal(counts, []int{len(nodes), len(rels)}) {
		t.Errorf("the graph has [nodes relationships] %v, the API's answer %v", counts, []int{len(nodes), len(rels)})
	}
	if loc := eval[string](b, `location.hash`); !strings.Contains(loc, "tab=console") || !strings.Contains(loc, "CONSUMED_IN") {
		t.Errorf("the address's hash %q does not hold the console and its query", loc)
	}
	b.screenshot("console-graph")

	// A lot clicked in the graph shows its properties, and leads to its trace in the explorer.
	lot := want.Rows[0][0].(map[string]any)
	code := lot["properties"].(map[string]any)["code"].(string)
	pos := eval[struct{ X, Y float64 }](b, `__lotTraceConsole.pagePosition(`+jsString(lot["id"].(string))+`)`)
	b.do("click a lot of the graph", chromedp.MouseClickXY(pos.X, pos.Y), chromedp.WaitVisible(chromedp.ID("console-selected")))
	if details := eval[string](b, `document.getElementById('console-selected').innerText`); !strings.Contains(details, code) || !strings.Contains(details, "product") {
		t.Errorf("the selected lot's details read %q", details)
	}
	b.screenshot("console-selected")
	b.do("trace it in the explorer", chromedp.Click(chromedp.Search(`//button[text()="Trace in the explorer"]`)))
	b.waitView(code, "both")
	if tab := eval[string](b, `document.querySelector('[role=tab][aria-selected=true]').id`); tab != "tab-explorer" {
		t.Errorf("after tracing, the open tab is %s", tab)
	}
	b.do("back to the console", chromedp.Click(chromedp.ID("tab-console")), chromedp.WaitVisible(chromedp.CSS("#console .cm-content")))
	b.noPageErrors()

	// Completion offers the graph's labels after a colon.
	editor := chromedp.CSS("#console .cm-content")
	b.do("type a node pattern", chromedp.Click(editor), chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)), chromedp.SendKeys(editor, "MATCH (x:L"))
	b.poll("label completion", `[...document.querySelectorAll('.cm-tooltip-autocomplete li')].some(li => li.textContent.startsWith('Lot'))`)
	b.screenshot("console-completion")

	// A write is refused: the 403's message is shown, and nothing is stored.
	b.do("type a write", chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.SendKeys(editor, "CREATE (n:Lot {code: $tag}) RETURN n"))
	b.do("run it", chromedp.Click(chromedp.ID("cypher-run")))
	b.poll("the refusal", `__lotTraceConsole.runs >= 2`)
	if got := read(); got.Status != 403 || !strings.Contains(got.Error, "read-only") {
		t.Errorf("the write shows %+v, want the 403's read-only message", got)
	}
	shown := eval[string](b, `document.getElementById('console-error').innerText`)
	if !strings.Contains(shown, "Not allowed") || !strings.Contains(shown, "read-only") {
		t.Errorf("the error box reads %q", shown)
	}
	if n := query(t, "MATCH (l:Lot {code: $tag}) RETURN count(l) AS n", map[string]any{"tag": tg})[0]["n"]; n != int64(0) {
		t.Errorf("the refused write stored %v lots", n)
	}
	b.screenshot("console-refused")

	// A syntax error shows Neo4j's message.
	b.do("type a broken query", chromedp.Click(editor), chromedp.KeyEvent("a", chromedp.KeyModifiers(chromedp.ModifierCtrl)),
		chromedp.SendKeys(editor, "MATCH (n RETURN n"), chromedp.KeyEvent(kb.Enter, chromedp.KeyModifiers(chromedp.ModifierCtrl)))
	b.poll("the syntax error", `__lotTraceConsole.runs >= 3`)
	if got := read(); got.Status != 400 || !strings.Contains(got.Error, "Neo4j") {
		t.Errorf("the syntax error shows %+v, want a 400 with Neo4j's message", got)
	}
}
