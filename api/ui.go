package api

import (
	"embed"
	"io/fs"
	"net/http"
	"path"

	"github.com/gin-gonic/gin"
)

// uiBuild is the genealogy explorer as `make ui` builds it from web/. Only a placeholder is
// committed, so a fresh clone compiles before the first `make ui`, and / then says so.
//
//go:embed all:ui/dist
var uiBuild embed.FS

// uiSecurity keeps the explorer to its own origin: no CDN, no inline script, nothing framed.
// Images may be data: or blob: URLs (Cytoscape's PNG export).
const uiSecurity = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// uiNotBuilt is what / answers when the binary was built without the explorer.
const uiNotBuilt = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lot-trace</title></head>
<body style="font-family: system-ui, sans-serif; margin: 3em">
<h1>UI not built: run make ui</h1>
<p>This lot-trace binary was built without the genealogy explorer. Run <code>make ui</code>
(or <code>make run</code>, which builds it) and start the service again. The API under
<code>/api/v1</code> works without it.</p>
</body></html>
`

// explorer is the embedded build. It is read-only data fixed at compile time, so one value
// for the package does not need to live on the Server.
var explorer = embeddedUI()

// ui serves the explorer's files.
type ui struct {
	files fs.FS // the build's root: index.html and assets/
	built bool
}

func newUI(build fs.FS) *ui {
	_, err := fs.Stat(build, "index.html")
	return &ui{files: build, built: err == nil}
}

func embeddedUI() *ui {
	build, err := fs.Sub(uiBuild, "ui/dist")
	if err != nil { // cannot happen: the folder is embedded
		panic(err)
	}
	return newUI(build)
}

// handleUIIndex answers GET /: the explorer's page, whatever the query string (it holds the
// view's state), or a plain page saying how to build it.
func (s *Server) handleUIIndex(c *gin.Context) error { return explorer.index(c) }

// handleUIAsset answers GET /assets/*filepath: the build's scripts and styles.
func (s *Server) handleUIAsset(c *gin.Context) error {
	if !explorer.asset(c) {
		return s.handleNoRoute(c)
	}
	return nil
}

func (u *ui) index(c *gin.Context) error {
	h := c.Writer.Header()
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Content-Type-Options", "nosniff")
	if !u.built {
		c.Data(http.StatusServiceUnavailable, "text/html; charset=utf-8", []byte(uiNotBuilt))
		return nil
	}
	page, err := fs.ReadFile(u.files, "index.html")
	if err != nil {
		return err
	}
	h.Set("Content-Security-Policy", uiSecurity)
	c.Data(http.StatusOK, "text/html; charset=utf-8", page)
	return nil
}

// asset serves one file of assets/, whose name carries a content hash and so can be cached
// for good. It reports false when there is no such file.
func (u *ui) asset(c *gin.Context) bool {
	name := path.Join("assets", path.Clean("/"+c.Param("filepath")))
	if st, err := fs.Stat(u.files, name); err != nil || st.IsDir() {
		return false
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Header("X-Content-Type-Options", "nosniff")
	http.ServeFileFS(c.Writer, c.Request, u.files, name)
	return true
}
