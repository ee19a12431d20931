package api

import (
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

func TestDocsPageBeforeAndAfterTheBuild(t *testing.T) {
	if page := string(docsPage(fstest.MapFS{})); !strings.Contains(page, "make docs") {
		t.Errorf("without a build the page must say to run make docs, got %q", page)
	}
	built := fstest.MapFS{"index.html": {Data: []byte("<html>swagger</html>")}}
	if page := string(docsPage(built)); page != "<html>swagger</html>" {
		t.Errorf("with a build the page must be its index.html, got %q", page)
	}
}

// TestDocsPageSource checks docs-ui/, what `make docs` copies: the page asks only for files
// the server serves, and starts Swagger UI on the service's own document.
func TestDocsPageSource(t *testing.T) {
	page, err := os.ReadFile("../docs-ui/index.html")
	if err != nil {
		t.Fatal(err)
	}
	refs := regexp.MustCompile(`(?:src|href)="([^"]+)"`).FindAllStringSubmatch(string(page), -1)
	if len(refs) == 0 {
		t.Fatal("the page loads no scripts or styles")
	}
	for _, ref := range refs {
		name, ok := strings.CutPrefix(ref[1], "/api/docs/")
		if _, served := docsFiles[name]; !ok || !served {
			t.Errorf("the page asks for %s, which /api/docs/:file does not serve (a CDN, or a file missing from docsFiles)", ref[1])
		}
	}
	start, err := os.ReadFile("../docs-ui/docs-init.js")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(start), `"/api/v1/openapi.json"`) {
		t.Error("docs-init.js must point Swagger UI at /api/v1/openapi.json")
	}
}

// TestDocsRoutes runs against whatever this build embeds: the placeholder on a fresh clone,
// Swagger UI after `make docs` (as `make test` does).
func TestDocsRoutes(t *testing.T) {
	srv := NewServer(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{})
	get := func(target string) *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://127.0.0.1"+target, nil))
		return rec
	}
	page := get("/api/docs")
	if page.Code != http.StatusOK || !strings.HasPrefix(page.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("GET /api/docs: %d %s", page.Code, page.Header().Get("Content-Type"))
	}
	_, err := fs.Stat(docsFS(), "index.html")
	built := err == nil
	if !built {
		t.Log("the docs page is not built (run make docs); checking the placeholder only")
		if !strings.Contains(page.Body.String(), "make docs") {
			t.Errorf("the placeholder must say to run make docs")
		}
		return
	}
	if !strings.Contains(page.Body.String(), `id="swagger-ui"`) {
		t.Errorf("GET /api/docs is not the Swagger UI page")
	}
	for name, contentType := range docsFiles {
		rec := get("/api/docs/" + name)
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != contentType || rec.Body.Len() == 0 {
			t.Errorf("GET /api/docs/%s: %d %q, %d bytes", name, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
		}
	}
	if rec := get("/api/docs/.keep"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /api/docs/.keep: %d, want 404 (only the page's files are served)", rec.Code)
	}
}
