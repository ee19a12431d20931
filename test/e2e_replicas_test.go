package test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
)

// TestE2EExplorerAcrossReplicas drives the explorer through a round-robin balancer over two
// replicas (each its own driver over neo4j://, the trail in Neo4j): the history is loaded on
// one, the page and its calls alternate between both, and the explorer sends back the
// Neo4j-Bookmark it was last given, so every call after the first carries one an earlier
// answer gave.
func TestE2EExplorerAcrossReplicas(t *testing.T) {
	requireUIBuilt(t)
	b := newBrowser(t)
	var replicas []http.Handler
	for range 2 {
		store := openReplicaStore(t)
		replicas = append(replicas, api.NewServer(store, quietLogger(), api.Config{Audit: audit.NewShared(store, 10*time.Second)}))
	}
	// Each API call: its path, the bookmark it sent, the one it was given, and how many calls
	// had been answered when it arrived.
	type call struct {
		path, sent, got string
		answeredBefore  int
	}
	var (
		mu       sync.Mutex
		n        int
		answered int
		calls    []call
		given    = map[string]bool{}
	)
	lb := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		i, before := n, answered
		n++
		mu.Unlock()
		replicas[i%2].ServeHTTP(w, r)
		if strings.HasPrefix(r.URL.Path, "/api/v1/") {
			mu.Lock()
			calls = append(calls, call{r.URL.Path, r.Header.Get(api.BookmarkHeader), w.Header().Get(api.BookmarkHeader), before})
			answered++
			mu.Unlock()
		}
	}))
	t.Cleanup(lb.Close)
	c := &apiClient{t: t, base: lb.URL}
	tg := loadBakery(t, c)
	mu.Lock()
	calls, answered = nil, 0 // the page's calls from here
	mu.Unlock()

	b.do("open the explorer on a lot", chromedp.Navigate(lb.URL+"/?lot="+url.QueryEscape(tg+"FG-1")))
	b.waitView(tg+"FG-1", "both")
	b.do("switch to recall", chromedp.Click(chromedp.CSS(`input[name="mode"][value="recall"]`)))
	b.waitView(tg+"FG-1", "recall")
	b.noPageErrors()

	mu.Lock()
	defer mu.Unlock()
	var sent int
	for _, k := range calls {
		if k.got == "" {
			t.Errorf("%s was answered without a bookmark", k.path)
		}
		given[k.got] = true
	}
	for _, k := range calls {
		switch {
		case k.sent != "" && !given[k.sent]:
			t.Errorf("the explorer's call %s sent %q, which no answer gave", k.path, k.sent)
		case k.sent == "" && k.answeredBefore > 0:
			t.Errorf("the explorer's call %s sent no bookmark, though %d calls had been answered with one", k.path, k.answeredBefore)
		case k.sent != "":
			sent++
		}
	}
	if len(calls) < 4 || sent < 2 {
		t.Errorf("%d API calls through the balancer, %d with a bookmark: want the page's calls, carrying bookmarks", len(calls), sent)
	}
}
