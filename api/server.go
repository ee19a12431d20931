// Package api is lot-trace's HTTP surface: the Gin engine, its routes, the handlers, the wire
// shapes and the one place where errors become RFC 9457 problem documents.
package api

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// HealthChecker is what the readiness probe needs of the store.
type HealthChecker interface {
	Ready(ctx context.Context) error
}

// Store is everything the handlers need of the database. *neo4j.Store satisfies it.
type Store interface {
	HealthChecker
	EventRecorder
	Tracer
	LotFinder
	UsageReader
	BatchLineReader
	QueryRunner
	RecallCaseStore
	FSMAStore
	EPCISStore
}

// Config holds the API's own settings.
type Config struct {
	// MaxBodyBytes limits every request body; a larger body is answered with 413.
	MaxBodyBytes int64
	// ReadyTimeout bounds one readiness check of the database.
	ReadyTimeout time.Duration
	// Tolerance is the default mass balance band; zero means graph.DefaultTolerance.
	Tolerance graph.Tolerance
	// Metrics is where the server records its Prometheus metrics and what /metrics serves;
	// nil gives the server metrics of its own.
	Metrics *Metrics
	// Keys are the API keys; none means auth is off (serve then listens on loopback only).
	Keys *Keyring
	// Audit records traces, recalls, exports and Cypher queries; nil keeps no trail.
	Audit AuditTrail
	// BodyTimeout bounds how long a request body may take to arrive (for the bulk route: the
	// longest pause in it); WriteTimeout how long an answer may take to send; QueryTimeout
	// the database work of a trace or report (504 past it). Zero means the defaults; see
	// timeouts.go for why these are per request and not on http.Server.
	BodyTimeout, WriteTimeout, QueryTimeout time.Duration
	// CypherTimeout, CypherMaxRows and CypherMaxBytes bound console queries; zero means the
	// graph defaults.
	CypherTimeout  time.Duration
	CypherMaxRows  int
	CypherMaxBytes int
	// TraceSafetyCap is the most lots and batches one trace walk may reach, whatever the
	// caller asks; zero means graph.SafetyCap.
	TraceSafetyCap int
	// MockRecallTarget is the time a mock recall case has to be done in; zero means
	// DefaultMockRecallTarget (4 hours).
	MockRecallTarget time.Duration
	// Clock tells the time of recall cases' openings, steps and closes; nil is time.Now.
	Clock func() time.Time
	// EPCISCaptureLimit is the most events one EPCIS capture takes; zero means
	// DefaultEPCISCaptureLimit.
	EPCISCaptureLimit int
}

// Server holds the handlers' dependencies.
type Server struct {
	store   Store
	logger  *slog.Logger
	cfg     Config
	engine  *gin.Engine
	metrics *Metrics
	// crossOrigin tells cross-origin browser requests that may change data (see guardRequests).
	crossOrigin *http.CrossOriginProtection
}

// NewServer builds the Gin engine with every route and middleware.
func NewServer(store Store, logger *slog.Logger, cfg Config) *Server {
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = 64 << 20
	}
	if cfg.ReadyTimeout <= 0 {
		cfg.ReadyTimeout = 2 * time.Second
	}
	if cfg.BodyTimeout <= 0 {
		cfg.BodyTimeout = DefaultBodyTimeout
	}
	if cfg.WriteTimeout <= 0 {
		cfg.WriteTimeout = DefaultWriteTimeout
	}
	if cfg.QueryTimeout <= 0 {
		cfg.QueryTimeout = DefaultQueryTimeout
	}
	if cfg.Tolerance == (graph.Tolerance{}) {
		cfg.Tolerance = graph.DefaultTolerance
	}
	if cfg.MockRecallTarget <= 0 {
		cfg.MockRecallTarget = DefaultMockRecallTarget
	}
	if cfg.Metrics == nil {
		cfg.Metrics = NewMetrics()
	}
	gin.SetMode(gin.ReleaseMode)
	s := &Server{store: store, logger: logger, cfg: cfg, engine: gin.New(), metrics: cfg.Metrics, crossOrigin: http.NewCrossOriginProtection()}
	s.engine.HandleMethodNotAllowed = true
	// Route on the escaped path, so that a lot code holding "/" (sent as %2F) stays one segment.
	s.engine.UseRawPath = true
	s.engine.UnescapePathValues = true
	s.engine.Use(s.measureRequests, s.logRequests, s.recordAudit, s.recoverPanics, s.renderErrors, s.limitTime, s.guardRequests, s.carryBookmarks)
	s.routes()
	return s
}

// ServeHTTP makes the server an http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.engine.ServeHTTP(w, r) }

// Routes lists the engine's routes, for tests that must cover every one (the role matrix).
func (s *Server) Routes() gin.RoutesInfo { return s.engine.Routes() }
