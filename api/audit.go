package api

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
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

// auditNote collects what one audited request did, for its begin and end entries. Handlers
// add what only they know (the Cypher text, the event and its ids, how many rows or nodes).
type auditNote struct {
	id        string // shared by the call's begin and end entries
	start     time.Time
	byHandler bool // the handler writes the begin entry once it has read what the call asks
	begun     bool
	cypher    string
	params    map[string]any
	event     string
	ids       []string
	events    *audit.EventCounts
	rows      *int
	nodes     *int
}

func (n *auditNote) setRows(rows int)   { n.rows = &rows }
func (n *auditNote) setNodes(nodes int) { n.nodes = &nodes }

type auditNoteKey struct{}

// audited marks a route's requests for the audit trail (see routes.go): the begin entry is
// written as soon as the caller is let in (s.allow), before the handler runs. It comes before
// s.allow, so that a known key refused for its role is recorded too.
func (s *Server) audited(c *gin.Context) { s.startNote(c, false) }

// auditedByHandler is audited for a route whose handler must first read the body to say what
// the call does (the Cypher text, the event and its ids): the handler calls s.auditBegin
// before it runs the query or records the event.
func (s *Server) auditedByHandler(c *gin.Context) { s.startNote(c, true) }

func (s *Server) startNote(c *gin.Context, byHandler bool) {
	note := &auditNote{id: newCallID(), start: time.Now(), byHandler: byHandler}
	c.Request = c.Request.WithContext(context.WithValue(c.Request.Context(), auditNoteKey{}, note))
	c.Next()
}

// newCallID returns a random id for one call's entries.
func newCallID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// auditNoteOf returns the request's note; on a route that is not audited, a note nobody reads,
// so handlers need not care.
func auditNoteOf(c *gin.Context) *auditNote {
	if n, ok := c.Request.Context().Value(auditNoteKey{}).(*auditNote); ok {
		return n
	}
	return &auditNote{begun: true}
}

// auditOnEntry writes the begin entry of a route marked s.audited; s.allow calls it once the
// caller is let in. An error means the call must not run.
func (s *Server) auditOnEntry(c *gin.Context) error {
	if note := auditNoteOf(c); !note.byHandler {
		return s.auditBegin(c)
	}
	return nil
}

// auditBegin writes the call's begin entry, before the call reads or changes anything. The
// audit fails closed: when the entry cannot be written the call is refused with 503, so no
// call runs unrecorded. A route that is not audited, or a server without a trail, passes.
func (s *Server) auditBegin(c *gin.Context) error {
	note := auditNoteOf(c)
	if note.begun || s.cfg.Audit == nil {
		return nil
	}
	entry, ok := s.auditEntry(c, note, audit.PhaseBegin)
	if !ok {
		return nil
	}
	if err := s.cfg.Audit.Append(entry); err != nil {
		s.logger.Error("audit entry not written: call refused", "route", entry.Route, "key", entry.Key, "error", err.Error())
		return &graph.Error{Code: graph.EUNAVAILABLE, Err: err,
			Message: "the audit trail cannot be written, so the call was not run: try again later"}
	}
	note.begun = true
	return nil
}

// auditEntry builds an entry of the request from its note; ok is false without a known caller.
func (s *Server) auditEntry(c *gin.Context, note *auditNote, phase string) (audit.Entry, bool) {
	who, ok := PrincipalFrom(c.Request.Context())
	if !ok {
		return audit.Entry{}, false
	}
	e := audit.Entry{
		ID: note.id, Phase: phase,
		At: note.start.UTC(), Key: who.Name, Role: string(who.Role),
		Method: c.Request.Method, Route: c.FullPath(), Path: c.Request.URL.Path, URLQuery: c.Request.URL.RawQuery,
		Lot: string(lotParam(c)), Cypher: note.cypher, Params: note.params, Event: note.event, IDs: note.ids,
	}
	if phase == audit.PhaseEnd {
		e.Status, e.DurationMS, e.Bytes = c.Writer.Status(), millis(time.Since(note.start)), max(c.Writer.Size(), 0)
		e.Rows, e.Nodes, e.Events = note.rows, note.nodes, note.events
	}
	return e, true
}

// recordAudit writes the end entry of an audited request once the answer is complete, error
// documents included: it runs outside renderErrors, so it sees the final status and size.
// Requests without a known key are not written (the request log has them), so that nobody
// without a key can grow the file. The write is one append to a local file under a mutex:
// no database round trip, so traces are not slowed. The answer has been sent by then, so a
// failure here is logged: the begin entry, written before the call ran, is the record that
// fails closed.
func (s *Server) recordAudit(c *gin.Context) {
	c.Next()
	note, ok := c.Request.Context().Value(auditNoteKey{}).(*auditNote)
	if !ok || s.cfg.Audit == nil {
		return
	}
	entry, ok := s.auditEntry(c, note, audit.PhaseEnd)
	if !ok {
		return
	}
	if err := s.cfg.Audit.Append(entry); err != nil {
		s.logger.Error("audit end entry not written", "route", entry.Route, "key", entry.Key, "id", entry.ID, "error", err.Error())
	}
}

// eventIDs names what a write records, as kind:key (the trace's node ids): the audit says
// who recorded what without keeping the whole body.
func eventIDs(ev graph.Event) []string {
	var ids []string
	for _, k := range ev.Keys().All() {
		ids = append(ids, string(k))
	}
	return ids
}

// Limits of GET /api/v1/audit.
const (
	defaultAuditLimit = 100
	maxAuditLimit     = 1000
)

// handleAuditList answers GET /api/v1/audit?limit=&since=: the newest entries first.
func (s *Server) handleAuditList(c *gin.Context) error {
	if s.cfg.Audit == nil {
		return graph.Errorf(graph.ENOTFOUND, "this server keeps no audit trail")
	}
	limit, since, err := auditParams(c)
	if err != nil {
		return err
	}
	entries, err := s.cfg.Audit.Recent(since, limit+1) // one more: this call's own begin entry is left out
	if errors.Is(err, audit.ErrNotReadable) {
		return &graph.Error{Code: graph.ENOTFOUND, Message: "this server's audit trail goes to stdout only (LOT_TRACE_AUDIT_SINKS), where it cannot read it back", Err: err}
	}
	if err != nil {
		return err
	}
	out := auditListJSON{Entries: make([]auditEntryJSON, 0, len(entries))}
	self := auditNoteOf(c).id
	for _, e := range entries {
		if self != "" && e.ID == self {
			continue // this very call's begin entry: the answer is about the calls before it
		}
		if len(out.Entries) < limit {
			out.Entries = append(out.Entries, auditEntryToJSON(e))
		}
	}
	c.JSON(http.StatusOK, out)
	return nil
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
	ID         string         `json:"id,omitempty"`
	Phase      string         `json:"phase"`
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
	Event      string         `json:"event,omitempty"`
	IDs        []string       `json:"ids,omitempty"`
	Events     *eventCounts   `json:"events,omitempty"`
	Status     int            `json:"status"`
	DurationMS float64        `json:"duration_ms"`
	Bytes      int            `json:"bytes"`
	Rows       *int           `json:"rows,omitempty"`
	Nodes      *int           `json:"nodes,omitempty"`
	Cut        []string       `json:"cut,omitempty"`
}

type eventCounts struct {
	Accepted  int `json:"accepted"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

func auditEntryToJSON(e audit.Entry) auditEntryJSON {
	phase := e.Phase
	if phase == "" {
		phase = audit.PhaseEnd // written before entries had phases: when the call ended
	}
	var counts *eventCounts
	if e.Events != nil {
		counts = &eventCounts{Accepted: e.Events.Accepted, Unchanged: e.Events.Unchanged, Rejected: e.Events.Rejected}
	}
	return auditEntryJSON{
		ID: e.ID, Phase: phase, Event: e.Event, IDs: e.IDs, Events: counts, Cut: e.Cut,
		At: e.At.UTC().Format(time.RFC3339Nano), Key: e.Key, Role: e.Role,
		Method: e.Method, Route: e.Route, Path: e.Path, URLQuery: e.URLQuery, Lot: e.Lot,
		Cypher: e.Cypher, Params: e.Params,
		Status: e.Status, DurationMS: e.DurationMS, Bytes: e.Bytes, Rows: e.Rows, Nodes: e.Nodes,
	}
}
