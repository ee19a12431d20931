package test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/lot-trace/lot-trace/test/testdb"
)

// chromiumPath is Debian's chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// requireUIBuilt ends the test when the explorer was not built into the binary under test.
func requireUIBuilt(t *testing.T) {
	t.Helper()
	index := filepath.Join(testdb.RepoRoot(), "api", "ui", "dist", "index.html")
	if _, err := os.Stat(index); err != nil {
		t.Fatalf("the explorer is not built (%s is missing): run make ui", index)
	}
}

// browser is one headless Chromium tab, with the page's errors collected.
type browser struct {
	t      *testing.T
	ctx    context.Context
	mu     sync.Mutex
	errors []string // uncaught exceptions, console errors and browser log errors
}

// newBrowser starts Chromium for one test: skipped where it is not installed, a failure in CI.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if testdb.InCI() {
			t.Fatalf("no %s for the end-to-end tests (CI=true makes this a failure): %v", chromiumPath, err)
		}
		t.Skipf("no %s: apt-get install chromium to run the end-to-end tests", chromiumPath)
	}
	// The flags keep Chromium off the network (this machine has none) and out of the way.
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1600, 1000),
	)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1600, 1000)); err != nil {
		t.Fatalf("starting %s: %v", chromiumPath, err)
	}
	if err := chromedp.Listen(ctx, b.collect); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, cdplog.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	return b
}

// collect runs in the tab's event loop: it only records.
func (b *browser) collect(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = "exception: " + d.Text
		if d.Exception != nil {
			msg += " " + d.Exception.Description
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError {
			return
		}
		var parts []string
		for _, a := range ev.Args {
			parts = append(parts, string(a.Value)+a.Description)
		}
		msg = "console.error: " + strings.Join(parts, " ")
	case *cdplog.EventEntryAdded:
		if ev.Entry.Level != cdplog.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("%s: %s %s", ev.Entry.Source, ev.Entry.Text, ev.Entry.URL)
	default:
		return
	}
	b.mu.Lock()
	b.errors = append(b.errors, msg)
	b.mu.Unlock()
}

// noPageErrors fails the test if the page threw, logged an error or broke its security policy.
func (b *browser) noPageErrors() {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range b.errors {
		b.t.Errorf("page error: %s", e)
	}
}

// forgetErrors drops the errors collected so far: those the test caused on purpose (the
// browser logs every 401, 403 or 404 answer as an error).
func (b *browser) forgetErrors() {
	b.mu.Lock()
	b.errors = nil
	b.mu.Unlock()
}

// poll waits until a JavaScript condition holds, failing the test with what after 30 s.
func (b *browser) poll(what, cond string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(30*time.Second))); err != nil {
		b.t.Fatalf("%s: %s never held: %v", what, cond, err)
	}
}

// do runs steps, each bounded, and fails the test on the first error.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page and decodes its value into T.
func eval[T any](b *browser, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		b.t.Fatalf("evaluating %s: %v", expr, err)
	}
	return v
}

// waitView waits until the explorer has finished drawing the lot in the mode.
func (b *browser) waitView(lot, mode string) {
	b.t.Helper()
	cond := fmt.Sprintf(`window.__lotTrace && window.__lotTrace.view.lot === %s && window.__lotTrace.view.mode === %s`, jsString(lot), jsString(mode))
	ctx, cancel := context.WithTimeout(b.ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(45*time.Second))); err != nil {
		status := eval[string](b, `document.getElementById('status').textContent`)
		b.t.Fatalf("the explorer did not draw %s in %s mode (status: %q): %v", lot, mode, status, err)
	}
}

// screenshot saves the viewport as test/artifacts/<name>.png and returns the path.
func (b *browser) screenshot(name string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	dir := filepath.Join(testdb.RepoRoot(), "test", "artifacts")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatal(err)
	}
	return path
}

func jsString(s string) string {
	out, _ := json.Marshal(s)
	return string(out)
}

// traceCounts asks the API for a trace and returns its node and edge counts.
func traceCounts(t *testing.T, c *apiClient, path string) (nodes, edges int) {
	t.Helper()
	status, raw := c.do("GET", path, "", "")
	if status != 200 {
		t.Fatalf("GET %s: %d %s", path, status, raw)
	}
	var tr struct {
		Nodes []json.RawMessage `json:"nodes"`
		Edges []json.RawMessage `json:"edges"`
	}
	if err := json.Unmarshal(raw, &tr); err != nil {
		t.Fatal(err)
	}
	return len(tr.Nodes), len(tr.Edges)
}

// wideHistory is one flour lot consumed by n batches, each making two lots, each lot
// shipped to one of four customers: a forward trace of 3n+5 nodes (the flour, the batches,
// their lots and the customers), the shape of a recall of a widely used ingredient.
func wideHistory(n int) []string {
	lines := []string{`{"type": "receipt", "lot": {"code": "{T}WFLOUR", "product": "FLOUR", "quantity": 100000, "unit": "kg"},
		"supplier": {"id": "{T}W-MILL", "name": "Wide Mill", "location": "Regina, SK"}, "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1",
		"reference": {"type": "PO", "number": "PO-W"}}`}
	for i := range n {
		lines = append(lines, fmt.Sprintf(`{"type": "production", "batch": {"id": "{T}WB-%04d"}, "produced_at": "2026-10-02T%02d:%02d:00Z",
			"location": "BAKERY-1", "inputs": [{"lot": "{T}WFLOUR", "quantity": 10, "unit": "kg"}],
			"outputs": [{"code": "{T}WL-%04d-A", "product": "BREAD", "quantity": 20, "unit": "case"},
			            {"code": "{T}WL-%04d-B", "product": "ROLLS", "quantity": 10, "unit": "case"}]}`, i, i/60%24, i%60, i, i))
	}
	for i := range n {
		for _, side := range []string{"A", "B"} {
			lines = append(lines, fmt.Sprintf(`{"type": "shipment", "id": "{T}WS-%04d-%s", "customer": {"id": "{T}WC-%d", "name": "Wide Customer %d", "location": "Main Street"},
				"shipped_at": "2026-10-05T12:00:00Z", "from": "BAKERY-1", "reference": {"type": "BOL", "number": "BOL-W"},
				"lines": [{"lot": "{T}WL-%04d-%s", "quantity": 5, "unit": "case"}]}`, i, side, i%4, i%4, i, side))
		}
	}
	return lines
}

// loadHistory stores events under a fresh tag and returns the tag.
func loadHistory(t *testing.T, c *apiClient, events []string) string {
	t.Helper()
	tg := tag(t)
	status, raw := c.do("POST", "/api/v1/events", "application/x-ndjson", tagged(tg, ndjson(events...)))
	answer := decodeObject(t, raw)
	if status != 200 || answer["accepted"] != float64(len(events)) {
		t.Fatalf("loading %d events: %d %.500s", len(events), status, raw)
	}
	return tg
}
