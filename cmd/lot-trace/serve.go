package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
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
	security        securityConfig
}

func parseServeConfig(args []string, getenv func(string) string, stderr io.Writer) (serveConfig, error) {
	if err := checkEnv(getenv,
		[]string{"NEO4J_RETRY", "NEO4J_WAIT", "LOT_TRACE_SHUTDOWN_TIMEOUT", "LOT_TRACE_CYPHER_TIMEOUT"},
		[]string{"LOT_TRACE_MAX_BODY_BYTES", "LOT_TRACE_CYPHER_MAX_ROWS", "LOT_TRACE_TRACE_CAP"}); err != nil {
		return serveConfig{}, err
	}
	var c serveConfig
	fs := newFlagSet("serve", stderr)
	registerDBFlags(fs, getenv, &c.db)
	registerSecurityFlags(fs, getenv, &c.security)
	fs.StringVar(&c.addr, "addr", envOr(getenv, "LOT_TRACE_ADDR", "127.0.0.1:8080"), "listen address (env LOT_TRACE_ADDR)")
	fs.Int64Var(&c.maxBodyBytes, "max-body-bytes", int64Env(getenv, "LOT_TRACE_MAX_BODY_BYTES", 64<<20), "largest request body accepted, in bytes (env LOT_TRACE_MAX_BODY_BYTES)")
	fs.Int64Var(&c.traceCap, "trace-cap", int64Env(getenv, "LOT_TRACE_TRACE_CAP", graph.SafetyCap), "safety cap: most lots and batches one trace walk reaches before it answers cut_by safety_cap (env LOT_TRACE_TRACE_CAP)")
	fs.DurationVar(&c.shutdownTimeout, "shutdown-timeout", durationEnv(getenv, "LOT_TRACE_SHUTDOWN_TIMEOUT", 15*time.Second), "how long in-flight requests may take to finish at stop (env LOT_TRACE_SHUTDOWN_TIMEOUT)")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, "LOT_TRACE_LOG_FORMAT", "text"), "text or json (env LOT_TRACE_LOG_FORMAT)")
	fs.BoolVar(&c.demo, "demo", false, "load a generated demo history into an empty database at start")
	tolerance := fs.String("mass-balance-tolerance", envOr(getenv, "LOT_TRACE_MASS_BALANCE_TOLERANCE", "95-105"), "accounted percentages taken as balanced, LOW-HIGH (env LOT_TRACE_MASS_BALANCE_TOLERANCE)")
	if err := fs.Parse(args); err != nil {
		return serveConfig{}, err
	}
	var err error
	if c.tolerance, err = graph.ParseTolerance(*tolerance); err != nil {
		return serveConfig{}, fmt.Errorf("-mass-balance-tolerance: %s", graph.ErrorMessage(err))
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
	if err := c.security.load(getenv, c.addr); err != nil {
		return serveConfig{}, err
	}
	return c, nil
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
	store, err := graph.OpenStore(storeCfg, logger)
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

	trail, err := cfg.security.start(logger)
	if err != nil {
		return err
	}
	defer trail.Close()

	server := api.NewServer(store, logger, cfg.security.apiConfig(api.Config{MaxBodyBytes: cfg.maxBodyBytes, Metrics: metrics, Tolerance: cfg.tolerance, TraceSafetyCap: int(cfg.traceCap)}, trail))
	listener, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	httpServer := &http.Server{Handler: server, ReadHeaderTimeout: 10 * time.Second}
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
