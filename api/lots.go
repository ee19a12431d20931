package api

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// Tracer is what the trace handlers need of the store.
type Tracer interface {
	Trace(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.Trace, error)
	Recall(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.Recall, error)
	TraceKeys(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.Reach, error)
	StreamRecall(ctx context.Context, code graph.LotCode, bounds graph.Bounds, sink graph.RecallSink) error
	StreamTrace(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds, parts graph.TraceParts, sink graph.TraceSink) error
	TraceReach(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.TraceReach, error)
	RecallScope(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.KDEScope, error)
	StreamKDERows(ctx context.Context, sc graph.KDEScope, yield func(graph.KDERow) error) error
}

// handleLotTrace answers GET /api/v1/lots/:code/trace?direction=&max_depth=&max_nodes=&view=
// &fields=&format=. The JSON answer is written as the store reads it (streamTrace);
// view=summary answers with the keys only (no nodes, edges or properties), view=compact and
// fields= with the parts asked for. The spreadsheets stream their rows the same way.
func (s *Server) handleLotTrace(c *gin.Context) error {
	dir, err := directionParam(c)
	if err != nil {
		return err
	}
	f, err := formatParam(c, formatCSV, formatXLSX, formatEPCIS)
	if err != nil {
		return err
	}
	bounds, err := s.boundsParams(c)
	if err != nil {
		return err
	}
	view, err := traceViewParams(c, f)
	if err != nil {
		return err
	}
	start := time.Now()
	code := lotParam(c)
	switch {
	case view.summary:
		keys, err := s.store.TraceKeys(c.Request.Context(), code, dir, bounds)
		if err != nil {
			return err
		}
		s.noteTraceSize(c, "trace", dir, keys.Size())
		c.JSON(http.StatusOK, traceSummaryToJSON(code, dir, keys, time.Since(start)))
	case f != formatJSON:
		tr, err := s.store.TraceReach(c.Request.Context(), code, dir, bounds)
		if err != nil {
			return err
		}
		s.noteTraceSize(c, "trace", dir, tr.Size())
		return s.sendTraceSheet(c, f, code, dir, tr)
	default:
		return s.streamTrace(c, code, dir, bounds, view, start)
	}
	return nil
}

// streamTrace writes a trace's JSON answer while the store reads it: nothing but the keys
// reached and one node's edges is held, however big the trace. An error before the first
// bytes went out (an unknown lot, the database down) is a problem document; one after is
// logged and cuts the connection (failAnswer, through handle).
func (s *Server) streamTrace(c *gin.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds, view traceView, start time.Time) error {
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(http.StatusOK)
	w := newTraceWriter(c.Writer, code, dir, view)
	err := s.store.StreamTrace(c.Request.Context(), code, dir, bounds, view.parts(), w)
	if w.reach != nil {
		s.noteTraceSize(c, "trace", dir, w.reach.Size())
	}
	if err != nil {
		return err
	}
	return w.finish(time.Since(start))
}

// handleLotRecall answers GET /api/v1/lots/:code/recall?max_depth=&max_nodes=&format=. The
// JSON answer needs keys only, so it walks without properties, and is written as the store
// reads it (streamRecall); the spreadsheet needs every Key Data Element, and streams its rows
// from the store.
func (s *Server) handleLotRecall(c *gin.Context) error {
	bounds, err := s.boundsParams(c)
	if err != nil {
		return err
	}
	f, err := formatParam(c, formatCSV, formatXLSX, formatEPCIS)
	if err != nil {
		return err
	}
	start := time.Now()
	code := lotParam(c)
	if f == formatJSON {
		return s.streamRecall(c, code, bounds, start)
	}
	sc, err := s.store.RecallScope(c.Request.Context(), code, bounds)
	if err != nil {
		return err
	}
	s.noteTraceSize(c, "recall", graph.Both, sc.Size)
	return s.sendRecallSheet(c, f, code, sc)
}

// streamRecall writes a recall's JSON answer while the store reads it: the keys reached are
// held, the shipment lines (the bulk of a big recall) only a fetch at a time. Errors as in
// streamTrace: a problem document before the first bytes, a cut connection after. took_ms,
// the answer's last field, is the time up to its end.
func (s *Server) streamRecall(c *gin.Context, code graph.LotCode, bounds graph.Bounds, start time.Time) error {
	c.Header("Content-Type", "application/json; charset=utf-8")
	c.Status(http.StatusOK)
	w := newRecallWriter(c.Writer)
	err := s.store.StreamRecall(c.Request.Context(), code, bounds, w)
	if w.keys != nil {
		s.noteTraceSize(c, "recall", graph.Both, w.keys.Ingredients.Size()+w.keys.Affected.Size())
	}
	if err != nil {
		return err
	}
	return w.finish(time.Since(start))
}

// noteTraceSize records an answer's size for the metrics and the audit trail.
func (s *Server) noteTraceSize(c *gin.Context, kind string, dir graph.Direction, nodes int) {
	s.metrics.observeTraceSize(kind, dir, nodes)
	auditNoteOf(c).setNodes(nodes)
}

// traceView is what a JSON trace answer holds, from view= and fields=.
type traceView struct {
	summary bool   // view=summary: the summary lists only, from the one-row keys walk
	name    string // "compact" is echoed in the answer; "" otherwise
	// fields holds the names (traceFields) of the parts the answer holds.
	fields map[string]bool
}

// parts is what the store reads for the view.
func (v traceView) parts() graph.TraceParts {
	return graph.TraceParts{Nodes: v.fields["nodes"], Edges: v.fields["edges"], Properties: v.fields["properties"]}
}

// traceFields are the parts a caller may ask for with fields=.
var traceFields = []string{"nodes", "edges", "lots", "batches", "suppliers", "customers", "properties"}

// traceViewParams reads view=full|summary|compact and fields= (a comma-separated list of
// traceFields). root, direction, truncated, cut_by and took_ms come with every answer. The
// spreadsheet formats always hold every row, so they take neither.
func traceViewParams(c *gin.Context, f format) (traceView, error) {
	invalid := func(field, msg string) (traceView, error) {
		return traceView{}, &graph.Error{Code: graph.EMALFORMED, Message: "invalid " + field,
			Fields: []graph.FieldError{{Field: field, Message: msg}}}
	}
	all := map[string]bool{}
	for _, name := range traceFields {
		all[name] = true
	}
	v := traceView{fields: all}
	view := c.DefaultQuery("view", "full")
	switch view {
	case "full":
	case "summary":
		v.summary = true
	case "compact":
		v.name = view
		v.fields = map[string]bool{"lots": true, "batches": true, "suppliers": true, "customers": true, "nodes": true, "edges": true}
	default:
		return invalid("view", "must be full, summary or compact")
	}
	if view != "full" && f != formatJSON {
		return invalid("view", "must be full with format "+string(f)+" (summary and compact are JSON only)")
	}
	if raw, given := c.GetQueryArray("fields"); given {
		switch {
		case view != "full":
			return invalid("fields", "cannot be combined with view="+view)
		case f != formatJSON:
			return invalid("fields", "is JSON only: a spreadsheet holds every row")
		}
		asked := map[string]bool{}
		for _, r := range raw {
			for _, name := range strings.Split(r, ",") {
				name = strings.TrimSpace(name)
				if !all[name] {
					return invalid("fields", fmt.Sprintf("%q is not one of %s", name, strings.Join(traceFields, ", ")))
				}
				asked[name] = true
			}
		}
		if asked["properties"] && !asked["nodes"] && !asked["edges"] {
			return invalid("fields", "properties needs nodes or edges")
		}
		v.fields = asked
	}
	return v, nil
}

func directionParam(c *gin.Context) (graph.Direction, error) {
	switch d := graph.Direction(c.DefaultQuery("direction", string(graph.Both))); d {
	case graph.Backward, graph.Forward, graph.Both:
		return d, nil
	default:
		return "", &graph.Error{Code: graph.EMALFORMED, Message: "invalid direction",
			Fields: []graph.FieldError{{Field: "direction", Message: "must be backward, forward or both"}}}
	}
}

// boundsParams reads max_depth and max_nodes: optional (none: the walk follows the genealogy
// to its ends), each a whole number of at least 1 when given, with no upper limit. The
// server's safety cap on answer size comes with them.
func (s *Server) boundsParams(c *gin.Context) (graph.Bounds, error) {
	b := graph.Bounds{Cap: s.cfg.TraceSafetyCap}
	var problems []graph.FieldError
	for _, p := range []struct {
		name string
		dst  *int
	}{{"max_depth", &b.Depth}, {"max_nodes", &b.Nodes}} {
		raw, ok := c.GetQuery(p.name)
		if !ok {
			continue
		}
		n, err := strconv.Atoi(raw)
		if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(raw, "-") {
			n, err = math.MaxInt, nil // beyond any history: no upper limit, so as good as none
		}
		if err != nil || n < 1 {
			problems = append(problems, graph.FieldError{Field: p.name, Message: "must be a whole number of at least 1"})
			continue
		}
		*p.dst = n
	}
	if len(problems) > 0 {
		return b, &graph.Error{Code: graph.EMALFORMED, Message: "invalid trace bounds", Fields: problems}
	}
	return b, b.Validate()
}

// LotFinder is what the lot look-up handlers need of the store.
type LotFinder interface {
	Lot(ctx context.Context, code graph.LotCode) (*graph.LotDetail, error)
	FindLots(ctx context.Context, q graph.LotQuery) ([]graph.LotRecord, error)
}

// handleLotGet answers GET /api/v1/lots/:code.
func (s *Server) handleLotGet(c *gin.Context) error {
	lot, err := s.store.Lot(c.Request.Context(), lotParam(c))
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, lotDetailToJSON(lot))
	return nil
}

// handleLotSearch answers GET /api/v1/lots?q=&product=&customer=&supplier=&from=&to=&limit=.
func (s *Server) handleLotSearch(c *gin.Context) error {
	q, err := lotQueryParams(c)
	if err != nil {
		return err
	}
	lots, err := s.store.FindLots(c.Request.Context(), q)
	if err != nil {
		return err
	}
	out := lotListJSON{Lots: make([]lotJSON, len(lots))}
	for i, l := range lots {
		out.Lots[i] = lotToJSON(l)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// lotQueryParams reads the search parameters; from and to take an RFC 3339 time or a date.
func lotQueryParams(c *gin.Context) (graph.LotQuery, error) {
	q := graph.LotQuery{
		CodePrefix: c.Query("q"), Product: c.Query("product"),
		Customer: graph.CustomerID(c.Query("customer")), Supplier: graph.SupplierID(c.Query("supplier")),
		Limit: graph.DefaultLotLimit,
	}
	var problems []graph.FieldError
	if raw, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(raw)
		if err != nil {
			problems = append(problems, graph.FieldError{Field: "limit", Message: "must be a whole number"})
		}
		q.Limit = n
	}
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		raw := c.Query(p.name)
		if raw == "" {
			continue
		}
		t, err := parseTimeOrDate(raw)
		if err != nil {
			problems = append(problems, graph.FieldError{Field: p.name, Message: "must be an RFC 3339 time or a date such as 2026-10-01"})
		}
		*p.dst = t
	}
	if len(problems) > 0 {
		return q, &graph.Error{Code: graph.EMALFORMED, Message: "invalid lot search", Fields: problems}
	}
	return q, q.Validate()
}

func parseTimeOrDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}
