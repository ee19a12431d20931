// Package api is lot-trace's HTTP surface: the Gin engine, its routes, the handlers, the wire
// shapes and the one place where errors become RFC 9457 problem documents.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// HealthChecker is what the readiness probe needs of the store.
type HealthChecker interface {
	Ready(ctx context.Context) error
}

// Store is everything the handlers need of the database. *graph.Store satisfies it.
type Store interface {
	HealthChecker
	EventRecorder
	Tracer
	LotFinder
}

// Config holds the API's own settings.
type Config struct {
	// MaxBodyBytes limits every request body; a larger body is answered with 413.
	MaxBodyBytes int64
	// ReadyTimeout bounds one readiness check of the database.
	ReadyTimeout time.Duration
}

// Server holds the handlers' dependencies.
type Server struct {
	store  Store
	logger *slog.Logger
	cfg    Config
	engine *gin.Engine
}

// NewServer builds the Gin engine with every route and middleware.
func NewServer(store Store, logger *slog.Logger, cfg Config) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 20
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = 2 * time.Second
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{store: store, logger: logger, cfg: cfg, engine: gin.New()}
	s.engine.HandleMethodNotAllowed = true
	// Route on the escaped path, so that a lot code holding "/" (sent as %2F) stays one segment.
	s.engine.UseRawPath = true
	s.engine.UnescapePathValues = true
	s.engine.Use(s.logRequests, s.recoverPanics, s.renderErrors)
	s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }
