package api

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// Default time limits; Config overrides each (serve reads them from the environment).
const (
	DefaultBodyTimeout  = time.Minute
	DefaultWriteTimeout = 5 * time.Minute
	DefaultQueryTimeout = 2 * time.Minute
)

// The server's time limits, and why they are set per request rather than on http.Server.
//
// http.Server's ReadTimeout covers the whole body of every request: a limit short enough to
// cut a stalled body would also cut a 1 GB bulk import arriving at a normal pace. So serve
// sets only ReadHeaderTimeout and IdleTimeout there, and limitTime sets deadlines on each
// request's connection through http.ResponseController:
//   - the body must arrive within BodyTimeout (for POST /events, which streams bodies of any
//     size, BodyTimeout is instead the longest pause between two reads: see streamedBody).
//     Once the body is read to its end, or when there is none, the read deadline is lifted:
//     net/http keeps reading the connection in the background while the handler works (to
//     see a client leave), and a read deadline passing there cancels the request's context,
//     which would cut every answer that takes longer than BodyTimeout to produce or send;
//   - the answer must be written within WriteTimeout, which leaves time for the query limit
//     and for sending a large export; the bulk route, whose answer comes after its whole body,
//     has no write deadline.
//
// A request whose body stalls past its deadline is answered 408 and its connection closed.

// limitTime sets the read and write deadlines of the request's connection. A body read that
// passes its deadline ends the request with 408, whatever error the handler made of it.
func (s *Server) limitTime(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	now := time.Now()
	// Errors mean the writer cannot take deadlines (a test recorder): nothing to limit then.
	_ = rc.SetWriteDeadline(now.Add(s.cfg.WriteTimeout))
	if c.Request.Body == nil || c.Request.Body == http.NoBody {
		c.Next()
		return
	}
	_ = rc.SetReadDeadline(now.Add(s.cfg.BodyTimeout))
	body := &deadlineBody{ReadCloser: c.Request.Body, rc: rc}
	c.Request.Body = body
	c.Next()
	if body.timedOut.Load() && len(c.Errors) > 0 {
		_ = c.Error(newStatusError(http.StatusRequestTimeout, graph.EMALFORMED,
			"the body stopped arriving: it passed the %s body time limit (LOT_TRACE_BODY_TIMEOUT)", s.cfg.BodyTimeout))
	}
}

// streamedBody is for a route that reads a body of any size as it arrives (POST /events): the
// read deadline moves forward with every read, so the body may take as long as it needs
// while it keeps coming, and a pause longer than BodyTimeout ends it. The answer comes after
// the whole body, so there is no write deadline.
func (s *Server) streamedBody(c *gin.Context) {
	rc := http.NewResponseController(c.Writer)
	_ = rc.SetWriteDeadline(time.Time{})
	if body, ok := c.Request.Body.(*deadlineBody); ok {
		body.idle = s.cfg.BodyTimeout
	}
	c.Next()
}

// deadlineBody notes a read that passed the connection's deadline, and lifts the deadline
// once the body has been read to its end; with idle set it pushes the deadline forward
// before every read.
type deadlineBody struct {
	io.ReadCloser
	rc       *http.ResponseController
	idle     time.Duration
	timedOut atomic.Bool // read by the middleware after the handler; the loader reads on its own goroutine
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	if b.idle > 0 {
		_ = b.rc.SetReadDeadline(time.Now().Add(b.idle))
	}
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == io.EOF:
		_ = b.rc.SetReadDeadline(time.Time{})
	case err != nil && isTimeout(err):
		b.timedOut.Store(true)
	}
	return n, err
}

// isTimeout reports a body read that passed its deadline.
func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.As(err, &ne) && ne.Timeout()
}

// queryTimeout is the cause of a route's query deadline.
type queryTimeout struct{ limit time.Duration }

func (q *queryTimeout) Error() string { return "query timeout " + q.limit.String() }

// queryDeadline bounds the database work of a trace or report route by QueryTimeout: the
// request's context gets the deadline (the store hands it to Neo4j as the transaction
// timeout too). A route that fails because the deadline passed answers 504, saying which
// limit it hit, rather than the 503 of a database that is down.
func (s *Server) queryDeadline(c *gin.Context) {
	limit := s.cfg.QueryTimeout
	deadline := time.Now().Add(limit)
	ctx, cancel := context.WithDeadlineCause(c.Request.Context(), deadline, &queryTimeout{limit: limit})
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
	// The driver also sets the deadline on its socket, which may fire a moment before the
	// context's own timer: an error once the deadline has passed is the deadline's doing,
	// whatever the driver called it (a Bolt handshake cut short reads as "no Bolt version").
	var hit *queryTimeout
	if len(c.Errors) > 0 && (errors.As(context.Cause(ctx), &hit) || !time.Now().Before(deadline)) {
		s.logger.Warn("query limit passed", "route", c.FullPath(), "limit", limit.String(), "error", c.Errors.Last().Err.Error())
		_ = c.Error(newStatusError(http.StatusGatewayTimeout, graph.EUNAVAILABLE,
			"the answer was not ready within the %s query limit (LOT_TRACE_QUERY_TIMEOUT): narrow it with max_depth or max_nodes, or ask again later", limit))
	}
}
