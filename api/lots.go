package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// Tracer is what the trace handlers need of the store.
type Tracer interface {
	Trace(ctx context.Context, code graph.LotCode, dir graph.Direction, bounds graph.Bounds) (*graph.Trace, error)
	Recall(ctx context.Context, code graph.LotCode, bounds graph.Bounds) (*graph.Recall, error)
}

// handleLotTrace answers GET /api/v1/lots/:code/trace?direction=&max_depth=&max_nodes=.
func (s *Server) handleLotTrace(c *gin.Context) {
	dir, err := directionParam(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	bounds, err := boundsParams(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	start := time.Now()
	trace, err := s.store.Trace(c.Request.Context(), graph.LotCode(c.Param("code")), dir, bounds)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, traceToJSON(trace, time.Since(start)))
}

// handleLotRecall answers GET /api/v1/lots/:code/recall?max_depth=&max_nodes=.
func (s *Server) handleLotRecall(c *gin.Context) {
	bounds, err := boundsParams(c)
	if err != nil {
		_ = c.Error(err)
		return
	}
	start := time.Now()
	recall, err := s.store.Recall(c.Request.Context(), graph.LotCode(c.Param("code")), bounds)
	if err != nil {
		_ = c.Error(err)
		return
	}
	c.JSON(http.StatusOK, recallToJSON(recall, time.Since(start)))
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

// boundsParams reads max_depth and max_nodes; both must be whole numbers within their range.
func boundsParams(c *gin.Context) (graph.Bounds, error) {
	b := graph.Bounds{Depth: graph.DefaultDepth, Nodes: graph.DefaultNodes}
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
		if err != nil {
			problems = append(problems, graph.FieldError{Field: p.name, Message: "must be a whole number"})
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
