package api

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// BookmarkHeader carries Neo4j's causal-consistency bookmarks between a client and the
// service's replicas. Every answer that ran a transaction carries the bookmarks of the newest
// state it read or wrote; a client that sends them back with its next request, to whichever
// replica the load balancer picks, reads at least that state: after a write answered by
// replica A, a read on replica B sees it, even from a Neo4j secondary that is catching up.
//
// Why a header: it works for every route and every body (NDJSON, CSV, XLSX), a load balancer
// passes it untouched, and no replica keeps anything of the client, as a session or a sticky
// cookie would. Why this name: the value is Neo4j's bookmark as it is, opaque; the name says
// what it is, without the "X-" prefix RFC 6648 retired. Several bookmarks are one value,
// comma-separated, or the header repeated.
const BookmarkHeader = "Neo4j-Bookmark"

// Bounds on the bookmarks a client sends; Neo4j's bookmarks are about 30 characters, and one
// database gives one.
const (
	maxBookmarks      = 16
	maxBookmarkLength = 1024
)

// carryBookmarks gives the request the bookmarks its client sent (graph.WithBookmarks: the
// store's transactions wait for them and advance them) and puts the request's bookmarks on
// the answer, as its headers are written.
func (s *Server) carryBookmarks(c *gin.Context) {
	sent, err := parseBookmarks(c.Request.Header.Values(BookmarkHeader))
	if err != nil {
		s.deny(c, err)
		return
	}
	ctx, bookmarks := graph.WithBookmarks(c.Request.Context(), sent)
	c.Request = c.Request.WithContext(ctx)
	w := &bookmarkWriter{ResponseWriter: c.Writer, bookmarks: bookmarks}
	c.Writer = w
	c.Next()
	if !w.Written() {
		w.setHeader() // an answer without a body: Gin writes its headers after this
	}
}

// parseBookmarks reads the header's values: comma-separated tokens of visible ASCII.
func parseBookmarks(values []string) ([]string, error) {
	var out []string
	for _, v := range values {
		for _, b := range strings.Split(v, ",") {
			b = strings.TrimSpace(b)
			if b == "" {
				continue
			}
			if len(b) > maxBookmarkLength || strings.IndexFunc(b, func(r rune) bool { return r <= ' ' || r > '~' || r == '"' }) >= 0 {
				return nil, bookmarkProblem("each bookmark is up to 1024 visible ASCII characters, as an earlier answer's " + BookmarkHeader + " header gave it")
			}
			out = append(out, b)
		}
	}
	if len(out) > maxBookmarks {
		return nil, bookmarkProblem("at most 16 bookmarks")
	}
	return out, nil
}

func bookmarkProblem(msg string) error {
	return &graph.Error{Code: graph.EMALFORMED, Message: "invalid " + BookmarkHeader + " header",
		Fields: []graph.FieldError{{Field: BookmarkHeader, Message: msg}}}
}

// bookmarkWriter sets the bookmark header when the answer's headers are written: by then the
// transactions that decide the answer have run (a streamed answer's later reads add nothing
// the client needs: they read the state its first read saw, or a later one).
type bookmarkWriter struct {
	gin.ResponseWriter
	bookmarks *graph.Bookmarks
	set       bool
}

func (w *bookmarkWriter) setHeader() {
	if w.set {
		return
	}
	w.set = true
	if list := w.bookmarks.List(); len(list) > 0 {
		w.Header().Set(BookmarkHeader, strings.Join(list, ", "))
	}
}

func (w *bookmarkWriter) WriteHeaderNow() {
	w.setHeader()
	w.ResponseWriter.WriteHeaderNow()
}

func (w *bookmarkWriter) Write(b []byte) (int, error) {
	w.setHeader()
	return w.ResponseWriter.Write(b)
}

func (w *bookmarkWriter) WriteString(s string) (int, error) {
	w.setHeader()
	return w.ResponseWriter.WriteString(s)
}

func (w *bookmarkWriter) Flush() {
	w.setHeader()
	w.ResponseWriter.Flush()
}

// Unwrap lets http.ResponseController reach the connection (deadlines, and failAnswer's
// hijacking, which Gin's own writer refuses once a body is under way): it hands over what
// Gin's writer wraps.
func (w *bookmarkWriter) Unwrap() http.ResponseWriter {
	if u, ok := w.ResponseWriter.(interface{ Unwrap() http.ResponseWriter }); ok {
		return u.Unwrap()
	}
	return w.ResponseWriter
}
