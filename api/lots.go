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
