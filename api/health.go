package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"
)

// handleHealthz answers GET /healthz: the process is up. It never touches the database, so
// an orchestrator does not restart the service during a database outage.
func (s *Server) handleHealthz(c *gin.Context) error {
	c.JSON(http.StatusOK, gin.H{"status": "ok"})
	return nil
}

// handleReadyz answers GET /readyz: 200 while the database answers and the schema is in
// place, 503 otherwise. It checks on every call, so it recovers without a restart.
func (s *Server) handleReadyz(c *gin.Context) error {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.cfg.ReadyTimeout)
	defer cancel()
	if err := s.store.Ready(ctx); err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
	return nil
}
