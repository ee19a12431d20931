package api

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// docsDist is the API docs page: Swagger UI's files and our index.html, copied from docs-ui/
// by `make docs`. Only a placeholder is committed, so a fresh clone builds without npm and
// the page then says how to build it.
//
//go:embed all:docsui/dist
var docsDist embed.FS

// docsFiles is what the docs page serves from docsDist, by name, with its content type. A
// fixed list, so that nothing else that lands in the folder is served by accident.
var docsFiles = map[string]string{
	"swagger-ui.css":                  "text/css; charset=utf-8",
	"swagger-ui-bundle.js":            "text/javascript; charset=utf-8",
	"swagger-ui-standalone-preset.js": "text/javascript; charset=utf-8",
	"docs-init.js":                    "text/javascript; charset=utf-8",
}

// docsNotBuilt is the page served until `make docs` has run.
const docsNotBuilt = `<!DOCTYPE html>
<html lang="en"><head><meta charset="UTF-8"><title>lot-trace API docs not built</title></head>
<body><h1>API docs not built</h1>
<p>The docs page (Swagger UI) is built from npm: run <code>make docs</code>, then build again.</p>
<p>The OpenAPI document is served all the same at <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p>
</body></html>
`

// docsSecurity keeps the docs page to its own origin, like the explorer: Swagger UI needs inline
// styles and data: images (its icons), nothing else from elsewhere.
const docsSecurity = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// docsPage returns the docs page from dist, or the not-built page when it is missing.
func docsPage(dist fs.FS) []byte {
	page, err := fs.ReadFile(dist, "index.html")
	if err != nil {
		return []byte(docsNotBuilt)
	}
	return page
}

// docsFS is the dist folder itself, so that files are named as in docsFiles.
func docsFS() fs.FS {
	sub, err := fs.Sub(docsDist, "docsui/dist")
	if err != nil {
		panic("api: " + err.Error()) // the path is a constant embedded above
	}
	return sub
}

// handleDocs answers GET /api/docs: the API docs page.
func (s *Server) handleDocs(c *gin.Context) error {
	c.Header("Content-Security-Policy", docsSecurity)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, "text/html; charset=utf-8", docsPage(docsFS()))
	return nil
}

// handleDocsFile answers GET /api/docs/:file: one of the docs page's scripts or styles.
func (s *Server) handleDocsFile(c *gin.Context) error {
	name := c.Param("file")
	contentType, ok := docsFiles[name]
	if !ok {
		return graph.Errorf(graph.ENOTFOUND, "no docs file %s", name)
	}
	data, err := fs.ReadFile(docsFS(), name)
	if err != nil {
		return graph.Errorf(graph.ENOTFOUND, "docs file %s is not built: run make docs", name)
	}
	// The files change only with a new build; an hour spares reloading 2 MB on every visit.
	c.Header("Cache-Control", "public, max-age=3600")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Data(http.StatusOK, contentType, data)
	return nil
}
