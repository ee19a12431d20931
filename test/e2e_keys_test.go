package test

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/lot-trace/lot-trace/api"
)

// TestE2EKeys drives the explorer against a service with API keys: the page asks for a key,
// asks again after a wrong one, draws the trace with a reader's key (kept for the tab only),
// downloads the XLSX and CSV exports and opens the recall report with it, and shows the
// console's 403 to the reader.
func TestE2EKeys(t *testing.T) {
	requireUIBuilt(t)
	b := newBrowser(t)
	s := newSecuredAPI(t, api.Config{})
	tg := loadBakery(t, s.as(api.RoleWriter))
	fg1 := tg + "FG-1"
	downloads := t.TempDir()
	b.do("let downloads go to a folder of the test", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloads,
		})
		return err
	}))

	// The page asks for a key, and again when the server turns one down.
	b.do("open a lot", chromedp.Navigate(s.base+"/?lot="+url.QueryEscape(fg1)))
	b.poll("the key prompt", `document.getElementById('key-dialog').open && document.activeElement.id === 'key-input'`)
	b.screenshot("explorer-key-prompt")
	b.do("enter a wrong key", chromedp.SendKeys(chromedp.ID("key-input"), "not-a-key-0123456789"), chromedp.Click(chromedp.CSS(`#key-form button[type="submit"]`)))
	b.poll("the prompt again", `document.getElementById('key-dialog').open && document.getElementById('key-reason').classList.contains('error')`)
	if reason := eval[string](b, `document.getElementById('key-reason').textContent`); !strings.Contains(reason, "did not accept") {
		t.Errorf("after a wrong key the prompt says %q", reason)
	}
	b.do("enter the reader's key", chromedp.SendKeys(chromedp.ID("key-input"), testSecrets[api.RoleReader]), chromedp.Click(chromedp.CSS(`#key-form button[type="submit"]`)))
	b.waitView(fg1, "both")
	if kept := eval[string](b, `sessionStorage.getItem('lot-trace.key')`); kept != testSecrets[api.RoleReader] {
		t.Errorf("the tab keeps %q, want the reader's key", kept)
	}
	nodes, edges := traceCounts(t, s.as(api.RoleReader), "/api/v1/lots/"+url.PathEscape(fg1)+"/trace?direction=both")
	if got := eval[[]int](b, `[__lotTrace.nodeCount(), __lotTrace.edgeCount()]`); got[0] != nodes || got[1] != edges {
		t.Errorf("the graph has [nodes edges] %v, the API's trace [%d %d]", got, nodes, edges)
	}
	if eval[bool](b, `document.getElementById('key-button').hidden`) {
		t.Error("the API key button is hidden while the tab sends a key")
	}
	b.forgetErrors() // the browser logged the two 401s

	// The exports are fetched with the key and saved under the server's file name; the links
	// keep their addresses.
	for _, x := range []struct{ id, format, contentType string }{
		{"export-xlsx", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"export-csv", "csv", "text/csv"},
	} {
		before := eval[int](b, `__lotTraceDownloads.length`)
		if href := eval[string](b, `document.getElementById(`+jsString(x.id)+`).getAttribute('href')`); !strings.Contains(href, "format="+x.format) {
			t.Errorf("#%s href %q", x.id, href)
		}
		b.do("download "+x.format, chromedp.Click(chromedp.ID(x.id)))
		b.poll(x.format+" fetched", `__lotTraceDownloads.length > `+strconv.Itoa(before))
		got := eval[savedExport](b, `__lotTraceDownloads.at(-1)`)
		if !strings.HasPrefix(got.Type, x.contentType) || got.Size < 100 || !strings.HasPrefix(got.Name, "lot-trace_"+fg1) || !strings.HasSuffix(got.Name, "."+x.format) {
			t.Errorf("the %s download is %+v", x.format, got)
		}
		waitForFile(t, filepath.Join(downloads, got.Name), got.Size)
	}
	// In recall mode the printable report opens in a new tab, fetched with the key (the tab is
	// caught here: headless Chromium would open it for good).
	b.do("switch to recall", chromedp.Click(chromedp.CSS(`input[name="mode"][value="recall"]`)))
	b.waitView(fg1, "recall")
	before := eval[int](b, `(window.open = () => (window.__reportTab = {location: {}, close() {}}), __lotTraceDownloads.length)`)
	b.do("open the recall report", chromedp.Click(chromedp.ID("export-report")))
	b.poll("the report fetched", `__lotTraceDownloads.length > `+strconv.Itoa(before))
	if got := eval[savedExport](b, `__lotTraceDownloads.at(-1)`); !strings.HasPrefix(got.Type, "text/html") || got.Size < 1000 {
		t.Errorf("the recall report is %+v, want a page", got)
	}
	if href := eval[string](b, `__reportTab.location.href`); !strings.HasPrefix(href, "blob:") {
		t.Errorf("the report's tab shows %q, want the fetched page", href)
	}
	if status := eval[string](b, `document.getElementById('status').textContent`); status != "" {
		t.Errorf("after the downloads the status reads %q", status)
	}
	b.screenshot("explorer-with-key")
	b.noPageErrors()

	// A reader may not use the console: the 403's detail is shown.
	b.do("open the console", chromedp.Click(chromedp.ID("tab-console")), chromedp.WaitVisible(chromedp.CSS("#console .cm-content")))
	b.poll("completion unavailable", `document.getElementById('console-schema').textContent.includes('may not')`)
	b.do("load an example and run it", chromedp.Click(chromedp.CSS("button.example")), chromedp.Click(chromedp.ID("cypher-run")))
	b.poll("the refusal", `window.__lotTraceConsole && __lotTraceConsole.status === 403`)
	if shown := eval[string](b, `document.getElementById('console-error').innerText`); !strings.Contains(shown, "role reader may not use POST /api/v1/cypher") {
		t.Errorf("the console shows %q, want the 403's detail", shown)
	}
	b.screenshot("console-reader-refused")
}

// savedExport is what the page tells of an export it fetched (window.__lotTraceDownloads).
type savedExport struct {
	Name string `json:"name"`
	Type string `json:"type"`
	Size int    `json:"size"`
}

// waitForFile waits until the browser has saved a download of the size.
func waitForFile(t *testing.T, path string, size int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		st, err := os.Stat(path)
		if err == nil && st.Size() == int64(size) {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("the browser did not save %s of %d bytes: %v", path, size, err)
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
}
