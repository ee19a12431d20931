package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// problem is an RFC 9457 problem document.
type problem struct {
	Type   string           `json:"type"`
	Title  string           `json:"title"`
	Status int              `json:"status"`
	Detail string           `json:"detail,omitempty"`
	Errors []fieldErrorJSON `json:"errors,omitempty"`
}

// fieldErrorJSON is what is wrong with one field of a request, in a problem document or a
// rejected line of a bulk load.
type fieldErrorJSON struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func fieldErrorsToJSON(fields []graph.FieldError) []fieldErrorJSON {
	if fields == nil {
		return nil
	}
	out := make([]fieldErrorJSON, len(fields))
	for i, f := range fields {
		out[i] = fieldErrorJSON{Field: f.Field, Message: f.Message}
	}
	return out
}

// statusOf maps the error vocabulary to HTTP statuses: the only place this happens.
var statusOf = map[string]int{
	graph.EMALFORMED:    http.StatusBadRequest,
	graph.EINVALID:      http.StatusUnprocessableEntity,
	graph.ENOTFOUND:     http.StatusNotFound,
	graph.ECONFLICT:     http.StatusConflict,
	graph.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	graph.EUNAUTHORIZED: http.StatusUnauthorized,
	graph.EFORBIDDEN:    http.StatusForbidden,
	graph.EUNAVAILABLE:  http.StatusServiceUnavailable,
	graph.EINTERNAL:     http.StatusInternalServerError,
}

// HTTPStatus returns the status a handler's error answers with.
func HTTPStatus(err error) int {
	if st, ok := statusOfRequestError(err); ok {
		return st
	}
	if st, ok := statusOf[graph.ErrorCode(err)]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// renderErrors turns the error handed over with c.Error (by failAnswer for a handler that
// returned it, or by a middleware) into a problem document.
// Internal errors are logged in full and shown to the caller as "internal error" only; an
// unavailable database is logged with its cause too, which the caller is not shown.
func (s *Server) renderErrors(c *gin.Context) {
	c.Next()
	if len(c.Errors) == 0 || c.Writer.Written() {
		return
	}
	err := c.Errors.Last().Err
	status := HTTPStatus(err)
	switch status {
	case http.StatusInternalServerError:
		s.logger.Error("internal error", "method", c.Request.Method, "path", c.Request.URL.Path, "error", err.Error())
	case http.StatusServiceUnavailable:
		s.logger.Warn("database unavailable", "method", c.Request.Method, "path", c.Request.URL.Path, "error", err.Error())
	}
	if status == http.StatusUnauthorized {
		c.Header("WWW-Authenticate", `Bearer realm="lot-trace"`)
	}
	writeProblem(c, status, graph.ErrorMessage(err), graph.ErrorFields(err))
}

// writeProblem writes an RFC 9457 document with the given status.
func writeProblem(c *gin.Context, status int, detail string, fields []graph.FieldError) {
	title := http.StatusText(status)
	c.Header("Content-Type", "application/problem+json")
	c.JSON(status, problem{
		Type:   "https://lot-trace.dev/problems/" + strings.ReplaceAll(strings.ToLower(title), " ", "-"),
		Title:  title,
		Status: status,
		Detail: detail,
		Errors: fieldErrorsToJSON(fields),
	})
}

// recoverPanics answers a panicking handler with a 500 problem instead of a dropped connection.
func (s *Server) recoverPanics(c *gin.Context) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v) // an answer cut on purpose (failAnswer): net/http drops the connection
			}
			s.logger.Error("panic in handler", "path", c.Request.URL.Path, "panic", fmt.Sprint(v))
			if !c.Writer.Written() {
				writeProblem(c, http.StatusInternalServerError, "internal error", nil)
			}
			c.Abort()
		}
	}()
	c.Next()
}

func (s *Server) handleNoRoute(c *gin.Context) error {
	return graph.Errorf(graph.ENOTFOUND, "no route for %s %s", c.Request.Method, c.Request.URL.Path)
}

func (s *Server) handleNoMethod(c *gin.Context) error {
	writeProblem(c, http.StatusMethodNotAllowed, fmt.Sprintf("%s is not allowed on %s", c.Request.Method, c.Request.URL.Path), nil)
	return nil
}
