package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/neo4j"
)

// serveConfig is the serve command's configuration, parsed once from flags and environment.
type serveConfig struct {
	db              dbConfig
	addr            string
	maxBodyBytes    int64
	traceCap        int64 // the most lots and batches one trace walk may reach
	shutdownTimeout time.Duration
	logFormat       string
	demo            bool
	tolerance       graph.Tolerance // the default mass balance band
	mockTarget      time.Duration   // the time a mock recall case has to be done in
	security        securityConfig
	timeouts        timeouts
}

// timeouts are the service's time limits. Only the header and idle limits are set on
// http.Server; the others are set on each request by the API (see api/timeouts.go), because
// http.Server's ReadTimeout would cut a large bulk import that is arriving at a normal pace.
type timeouts struct {
	readHeader time.Duration // the request line and headers
	idle       time.Duration // a kept-alive connection between requests
	body       time.Duration // a request body (for the bulk route: the longest pause in it)
	write      time.Duration // sending an answer
	query      time.Duration // the database work of a trace or report
}

func registerTimeoutFlags(fs *flag.FlagSet, getenv func(string) string, t *timeouts) {
	fs.DurationVar(&t.readHeader, "read-header-timeout", durationEnv(getenv, "LOT_TRACE_READ_HEADER_TIMEOUT", 10*time.Second), "longest wait for a request's headers (env LOT_TRACE_READ_HEADER_TIMEOUT)")
	fs.DurationVar(&t.idle, "idle-timeout", durationEnv(getenv, "LOT_TRACE_IDLE_TIMEOUT", 2*time.Minute), "how long an idle kept-alive connection stays open (env LOT_TRACE_IDLE_TIMEOUT)")
	fs.DurationVar(&t.body, "body-timeout", durationEnv(getenv, "LOT_TRACE_BODY_TIMEOUT", api.DefaultBodyTimeout), "longest a request body may take to arrive; for POST /api/v1/events, the longest pause in it (env LOT_TRACE_BODY_TIMEOUT)")
	fs.DurationVar(&t.write, "write-timeout", durationEnv(getenv, "LOT_TRACE_WRITE_TIMEOUT", api.DefaultWriteTimeout), "longest an answer may take, query included; more than -query-timeout (env LOT_TRACE_WRITE_TIMEOUT)")
	fs.DurationVar(&t.query, "query-timeout", durationEnv(getenv, "LOT_TRACE_QUERY_TIMEOUT", api.DefaultQueryTimeout), "longest the database work of a trace, recall, report, exposure or mass balance may take; past it, 504 (env LOT_TRACE_QUERY_TIMEOUT)")
}

func (t timeouts) check() error {
	if t.readHeader <= 0 || t.idle <= 0 || t.body <= 0 || t.write <= 0 || t.query <= 0 {
		return fmt.Errorf("every timeout (-read-header-timeout, -idle-timeout, -body-timeout, -write-timeout, -query-timeout) must be positive")
	}
	if t.write <= t.query {
		return fmt.Errorf("-write-timeout (%s) must be longer than -query-timeout (%s), or answers would be cut after their query", t.write, t.query)
	}
	return nil
}

// newHTTPServer is the http.Server of serve, with its connection-level limits.
func newHTTPServer(handler http.Handler, t timeouts) *http.Server {
	return &http.Server{Handler: handler, ReadHeaderTimeout: t.readHeader, IdleTimeout: t.idle}
}

func parseServeConfig(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	if err := checkEnv(getenv,
		[]string{"NEO4J_RETRY", "NEO4J_WAIT", "LOT_TRACE_SHUTDOWN_TIMEOUT", "LOT_TRACE_CYPHER_TIMEOUT",
			"LOT_TRACE_READ_HEADER_TIMEOUT", "LOT_TRACE_IDLE_TIMEOUT", "LOT_TRACE_BODY_TIMEOUT", "LOT_TRACE_WRITE_TIMEOUT", "LOT_TRACE_QUERY_TIMEOUT",
			"LOT_TRACE_MOCK_RECALL_TARGET"},
		[]string{"LOT_TRACE_MAX_BODY_BYTES", "LOT_TRACE_CYPHER_MAX_ROWS", "LOT_TRACE_TRACE_CAP", "LOT_TRACE_AUDIT_MAX_BYTES", "LOT_TRACE_AUDIT_KEEP"}); err != nil {
		return serveConfig{}, err
	}
	var c serveConfig
	fs := newFlagSet("serve", stderr)
	registerDBFlags(fs, getenv, &c.db)
	registerSecurityFlags(fs, getenv, &c.security)
	registerTimeoutFlags(fs, getenv, &c.timeouts)
	fs.StringVar(&c.addr, "addr", envOr(getenv, "LOT_TRACE_ADDR", "127.0.0.1:8080"), "listen address (env LOT_TRACE_ADDR)")
	fs.Int64Var(&c.maxBodyBytes, "max-body-bytes", int64Env(getenv, "LOT_TRACE_MAX_BODY_BYTES", 64<<20), "largest request body accepted, in bytes (env LOT_TRACE_MAX_BODY_BYTES)")
	fs.Int64Var(&c.traceCap, "trace-cap", int64Env(getenv, "LOT_TRACE_TRACE_CAP", graph.SafetyCap), "safety cap: most lots and batches one trace walk reaches before it answers cut_by safety_cap (env LOT_TRACE_TRACE_CAP)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", durationEnv(getenv, "LOT_TRACE_SHUTDOWN_TIMEOUT", 15*time.Second), "how long in-flight requests may take to finish at stop (env LOT_TRACE_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, "LOT_TRACE_LOG_FORMAT", "text"), "text or json (env LOT_TRACE_LOG_FORMAT)")
	fs.DurationVar(&c.mockTarget, "mock-recall-target", durationEnv(getenv, "LOT_TRACE_MOCK_RECALL_TARGET", api.DefaultMockRecallTarget), "the time a mock recall case has to be traced, notified and closed in to pass (env LOT_TRACE_MOCK_RECALL_TARGET)")
	fs.BoolVar(&c.demo, "demo", false, "load a generated demo history into an empty database at start")
	tolerance := fs.String("mass-balance-tolerance", envOr(getenv, "LOT_TRACE_MASS_BALANCE_TOLERANCE", "95-105"), "accounted percentages taken as balanced, LOW-HIGH (env LOT_TRACE_MASS_BALANCE_TOLERANCE)")
	if err := checkAuditSinksEnv(getenv, &c.security.auditSinks); err != nil {
		return serveConfig{}, err
	}
	if err := fs.Parse(args); err != nil {
		return serveConfig{}, err
	}
	var err error
	if c.tolerance, err = graph.ParseTolerance(*tolerance); err != nil {
		return serveConfig{}, fmt.Errorf("-mass-balance-tolerance: %s", graph.ErrorMessage(err))
	}
	if c.mockTarget <= 0 {
		return serveConfig{}, fmt.Errorf("-mock-recall-target must be positive, not %s", c.mockTarget)
	}
	if c.logFormat != "text" && c.logFormat != "json" {
		return serveConfig{}, fmt.Errorf("-log-format must be text or json, not %q", c.logFormat)
	}
	if c.maxBodyBytes <= 0 {
		return serveConfig{}, fmt.Errorf("-max-body-bytes must be positive")
	}
	if c.traceCap <= 0 {
		return serveConfig{}, fmt.Errorf("-trace-cap must be positive")
	}
	if err := c.timeouts.check(); err != nil {
		return serveConfig{}, err
	}
	if err := c.security.load(getenv, c.addr); err != nil {
		return serveConfig{}, err
	}
	return c, nil
}

// reopenOnHangup reopens the audit file on SIGHUP, after an outside tool (logrotate) renamed
// it. The returned function stops listening.
func reopenOnHangup(trail *audit.Log, logger *slog.Logger) (stop func()) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-hup:
				if err := trail.Reopen(); err != nil {
					// Appends keep going to the old file, which stays open; say so loudly.
					logger.Error("SIGHUP: the audit file was not reopened", "error", err.Error())
				} else {
					logger.Info("SIGHUP: audit file reopened")
				}
			case <-done:
				return
			}
		}
	}()
	return func() { signal.Stop(hup); close(done) }
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, nil))
	}
	return slog.New(slog.NewTextHandler(w, nil))
}

// runServe starts the HTTP service. It listens at once, so /healthz answers while the
// database is still starting, and stops gracefully when ctx ends (SIGINT or SIGTERM).
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseServeConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := newLogger(cfg.logFormat, stderr)

	// The metrics are made first: the store reports its query times to them, the server
	// records requests in them and serves them at /metrics.
	metrics := api.NewMetrics()
	storeCfg := cfg.db.storeConfig()
	storeCfg.ObserveQuery = metrics.ObserveQuery
	store, err := neo4j.Open(storeCfg, logger)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := store.Close(closeCtx); err != nil {
			logger.Warn("closing the database driver", "error", err.Error())
		}
	}()

	trail, file, err := cfg.security.start(logger, stdout, store, cfg.db.retryTime+5*time.Second)
	if err != nil {
		return err
	}
	if file != nil {
		defer file.Close()
		stopReopen := reopenOnHangup(file, logger)
		defer stopReopen()
	}

	apiCfg := api.Config{MaxBodyBytes: cfg.maxBodyBytes, Metrics: metrics, Tolerance: cfg.tolerance, TraceSafetyCap: int(cfg.traceCap),
		MockRecallTarget: cfg.mockTarget, BodyTimeout: cfg.timeouts.body, WriteTimeout: cfg.timeouts.write, QueryTimeout: cfg.timeouts.query}
	server := api.NewServer(store, logger, cfg.security.apiConfig(apiCfg, trail))
	listener, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	if err := startProfiling(getenv("LOT_TRACE_PPROF_ADDR"), logger); err != nil {
		return fmt.Errorf("LOT_TRACE_PPROF_ADDR: %w", err)
	}
	httpServer := newHTTPServer(server, cfg.timeouts)
	serveErr := make(chan error, 1)
	go func() { serveErr <- httpServer.Serve(listener) }()
	logger.Info("lot-trace listening", "url", "http://"+listener.Addr().String(), "neo4j_uri", cfg.db.uri, "version", version)
	fmt.Fprintf(stdout, "lot-trace: serving on http://%s\n", listener.Addr())

	// Wait for the database in the background: until then /readyz answers 503.
	go func() {
		waitCtx, cancel := context.WithTimeout(ctx, cfg.db.waitTimeout)
		defer cancel()
		if err := store.WaitUntilReady(waitCtx); err != nil {
			logger.Error("database never became ready; requests will answer 503 until it does", "error", err.Error())
			return
		}
		logger.Info("database ready, schema applied")
		if cfg.demo {
			if err := loadDemo(ctx, store, logger); err != nil {
				logger.Error("demo history", "error", err.Error())
			}
		}
	}()

	select {
	case err := <-serveErr:
		return fmt.Errorf("http server: %w", err)
	case <-ctx.Done():
	}
	logger.Info("stopping: letting in-flight requests finish", "timeout", cfg.shutdownTimeout.String())
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := httpServer.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("graceful stop: %w", err)
	}
	logger.Info("stopped")
	return nil
}
