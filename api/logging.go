package api

import (
	"time"

	"github.com/gin-gonic/gin"
)

// logRequests writes one structured log line per request.
func (s *Server) logRequests(c *gin.Context) {
	start := time.Now()
	c.Next()
	route := c.FullPath()
	if route == "" {
		route = "unmatched"
	}
	s.logger.Info("request",
		"method", c.Request.Method,
		"path", c.Request.URL.Path,
		"route", route,
		"status", c.Writer.Status(),
		"bytes", c.Writer.Size(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
	)
}
