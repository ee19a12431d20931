package api

import (
	"context"
	"errors"
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
	RecallKeys(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.RecallKeys, error)
}

// handleLotTrace answers GET /api/v1/lots/:code/trace?direction=&max_depth=&max_nodes=&view=&format=.
// view=summary answers with the keys only (no nodes, edges or properties): the fast answer for
// a hub ingredient whose trace holds tens of thousands of nodes.
func (s *Server) handleLotTrace(c *gin.Context) {
	dir, err := directionParam(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	f, err := formatParam(c, formatCSV, formatXLSX)
	if err != nil {
		_ = c.Error(err)
		return
	}
	bounds, err := s.boundsParams(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	summary, err := summaryViewParam(c, f)
	if err != nil {
		_ = c.Error(err)
		return
	}
	start := time.Now()
	code := graph.LotCode(c.Param("code"))
	if summary {
		keys, err := s.store.TraceKeys(c.Request.Context(), code, dir, bounds)
		if err != nil {
			_ = c.Error(err)
			return
		}
		s.noteTraceSize(c, "trace", dir, keys.Size())
		c.JSON(http.StatusOK, traceSummaryToJSON(code, dir, keys, time.Since(start)))
		return
	}
	trace, err := s.store.Trace(c.Request.Context(), code, dir, bounds)
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.noteTraceSize(c, "trace", dir, len(trace.Nodes))
	if f != formatJSON {
		s.sendTraceSheet(c, f, trace)
		return
	}
	c.JSON(http.StatusOK, traceToJSON(trace, time.Since(start)))
}

// handleLotRecall answers GET /api/v1/lots/:code/recall?max_depth=&max_nodes=&format=. The
// JSON answer needs keys only, so it walks without properties; the spreadsheet needs every
// Key Data Element, so it walks with them.
func (s *Server) handleLotRecall(c *gin.Context) {
	bounds, err := s.boundsParams(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	f, err := formatParam(c, formatCSV, formatXLSX)
	if err != nil {
		_ = c.Error(err)
		return
	}
	start := time.Now()
	code := graph.LotCode(c.Param("code"))
	if f == formatJSON {
		recall, err := s.store.RecallKeys(c.Request.Context(), code, bounds)
		if err != nil {
			_ = c.Error(err)
			return
		}
		s.noteTraceSize(c, "recall", graph.Both, recall.Ingredients.Size()+recall.Affected.Size())
		c.JSON(http.StatusOK, recallToJSON(recall, time.Since(start)))
		return
	}
	recall, err := s.store.Recall(c.Request.Context(), code, bounds)
	if err != nil {
		_ = c.Error(err)
		return
	}
	s.noteTraceSize(c, "recall", graph.Both, recallNodes(recall))
	s.sendRecallSheet(c, f, recall)
}

// noteTraceSize records an answer's size for the metrics and the audit trail.
func (s *Server) noteTraceSize(c *gin.Context, kind string, dir graph.Direction, nodes int) {
	s.metrics.observeTraceSize(kind, dir, nodes)
	auditNoteOf(c).setNodes(nodes)
}

// summaryViewParam reads view=full|summary; the spreadsheet formats always hold every row.
func summaryViewParam(c *gin.Context, f format) (bool, error) {
	switch view := c.DefaultQuery("view", "full"); {
	case view == "full":
		return false, nil
	case view == "summary" && f == formatJSON:
		return true, nil
	default:
		return false, &graph.Error{Code: graph.EMALFORMED, Message: "invalid view",
			Fields: []graph.FieldError{{Field: "view", Message: "must be full or summary (summary only with JSON)"}}}
	}
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
func (s *Server) handleLotGet(c *gin.Context) {
	lot, err := s.store.Lot(c.Request.Context(), graph.LotCode(c.Param("code")))
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, lotDetailToJSON(lot))
}

// handleLotSearch answers GET /api/v1/lots?q=&product=&customer=&supplier=&from=&to=&limit=.
func (s *Server) handleLotSearch(c *gin.Context) {
	q, err := lotQueryParams(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	lots, err := s.store.FindLots(c.Request.Context(), q)
	if err != nil {
		_ = c.Error(err)
		return
	}
	out := lotListJSON{Lots: make([]lotJSON, len(lots))}
	for i, l := range lots {
		out.Lots[i] = lotToJSON(l)
	}
	c.JSON(http.StatusOK, out)
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
