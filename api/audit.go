package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/graph"
)

// AuditTrail is where audited calls are recorded. *audit.Log satisfies it.
type AuditTrail interface {
	Append(e audit.Entry) error
	Recent(since time.Time, limit int) ([]audit.Entry, error)
}

// auditNote collects what one audited request did, for the entry written when it ends.
// Handlers add what only they know (the Cypher text, how many rows or nodes).
type auditNote struct {
	start  time.Time
	cypher string
	params map[string]any
	rows   *int
	nodes  *int
}

func (n *auditNote) setRows(rows int)   { n.rows = &rows }
func (n *auditNote) setNodes(nodes int) { n.nodes = &nodes }

type auditNoteKey struct{}

// audited marks a route's requests for the audit trail (see routes.go). It comes before
// s.allow, so that a known key refused for its role is recorded too.
func (s *Server) audited(c *gin.Context) {
	note := &auditNote{start: time.Now()}
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), auditNoteKey{}, note))
	c.Next()
}

// auditNoteOf returns the request's note; on a route that is not audited, a note nobody reads,
// so handlers need not care.
func auditNoteOf(c *gin.Context) *auditNote {
	if n, ok := c.Request.Context().Value(auditNoteKey{}).(*auditNote); ok {
		return n
	}
	return &auditNote{}
}

// recordAudit writes the entry of an audited request once the answer is complete, error
// documents included: it runs outside renderErrors, so it sees the final status and size.
// Requests without a known key are not written (the request log has them), so that nobody
// without a key can grow the file. The write is one append to a local file under a mutex:
// no database round trip, so traces are not slowed.
func (s *Server) recordAudit(c *gin.Context) {
	c.Next()
	note, ok := c.Request.Context().Value(auditNoteKey{}).(*auditNote)
	if !ok || s.cfg.Audit == nil {
		return
	}
	who, ok := PrincipalFrom(c.Request.Context())
	if !ok {
		return
	}
	entry := audit.Entry{
		At: note.start.UTC(), Key: who.Name, Role: string(who.Role),
		Method: c.Request.Method, Route: c.FullPath(), Path: c.Request.URL.Path, URLQuery: c.Request.URL.RawQuery,
		Lot: c.Param("code"), Cypher: note.cypher, Params: note.params,
		Status: c.Writer.Status(), DurationMS: millis(time.Since(note.start)), Bytes: max(c.Writer.Size(), 0),
		Rows: note.rows, Nodes: note.nodes,
	}
	if err := s.cfg.Audit.Append(entry); err != nil {
		s.logger.Error("audit entry not written", "route", entry.Route, "key", entry.Key, "error", err.Error())
	}
}

// Limits of GET /api/v1/audit.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// handleAuditList answers GET /api/v1/audit?limit=&since=: the newest entries first.
func (s *Server) handleAuditList(c *gin.Context) {
	if s.cfg.Audit == nil {
		_ = c.Error(graph.Errorf(graph.ENOTFOUND, "this server keeps no audit trail"))
		return
	}
	limit, since, err := auditParams(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	entries, err := s.cfg.Audit.Recent(since, limit)
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := auditListJSON{Entries: make([]auditEntryJSON, len(entries))}
	for i, e := range entries {
		out.Entries[i] = auditEntryToJSON(e)
	}
	c.JSON(http.StatusOK, out)
}

func auditParams(c *gin.Context) (int, time.Time, error) {
	limit, since := defaultAuditLimit, time.Time{}
	var problems []graph.FieldError
	if raw, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > maxAuditLimit {
			problems = append(problems, graph.FieldError{Field: "limit", Message: "must be a whole number from 1 to " + strconv.Itoa(maxAuditLimit)})
		}
		limit = n
	}
	if raw := c.Query("since"); raw != "" {
		t, err := parseTimeOrDate(raw)
		if err != nil {
			problems = append(problems, graph.FieldError{Field: "since", Message: "must be an RFC 3339 time or a date such as 2026-10-01"})
		}
		since = t
	}
	if len(problems) > 0 {
		return 0, time.Time{}, &graph.Error{Code: graph.EMALFORMED, Message: "invalid audit query", Fields: problems}
	}
	return limit, since, nil
}

// The wire shape of the audit trail.

type auditListJSON struct {
	Entries []auditEntryJSON `json:"entries"`
}

type auditEntryJSON struct {
	At         string         `json:"at"`
	Key        string         `json:"key"`
	Role       string         `json:"role"`
	Method     string         `json:"method"`
	Route      string         `json:"route"`
	Path       string         `json:"path"`
	URLQuery   string         `json:"url_query,omitempty"`
	Lot        string         `json:"lot,omitempty"`
	Cypher     string         `json:"cypher,omitempty"`
	Params     map[string]any `json:"params,omitempty"`
	Status     int            `json:"status"`
	DurationMS float64        `json:"duration_ms"`
	Bytes      int            `json:"bytes"`
	Rows       *int           `json:"rows,omitempty"`
	Nodes      *int           `json:"nodes,omitempty"`
}

func auditEntryToJSON(e audit.Entry) auditEntryJSON {
	return auditEntryJSON{
		At: e.At.UTC().Format(time.RFC3339Nano), Key: e.Key, Role: e.Role,
		Method: e.Method, Route: e.Route, Path: e.Path, URLQuery: e.URLQuery, Lot: e.Lot,
		Cypher: e.Cypher, Params: e.Params,
		Status: e.Status, DurationMS: e.DurationMS, Bytes: e.Bytes, Rows: e.Rows, Nodes: e.Nodes,
	}
}

// recallNodes is the size of a recall for the audit trail: the nodes of its traces.
func recallNodes(r *graph.Recall) int {
	n := 0
	for _, t := range r.Traces() {
		if t != nil {
			n += len(t.Nodes)
		}
	}
	return n
}
