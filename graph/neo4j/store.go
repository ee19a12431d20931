package neo4j

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j/config"
	"golang.org/x/sync/singleflight"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// Config says where the database is and how long to wait for it.
type Config struct {
	URI      string
	User     string
	Password string
	Database string // "" means the server's default database
	// RetryTime bounds the driver's retries of one transaction; a request never waits for the
	// database longer than this (or its own context), so an outage answers 503 quickly.
	RetryTime time.Duration
	// ObserveQuery, when set, is told each statement's name and time (see QueryObserver).
	ObserveQuery QueryObserver
	// RecallLinesInOneRow is the most shipment lines a streamed recall reads in its walk's
	// own row before it streams them instead; 0 means DefaultRecallLinesInOneRow.
	RecallLinesInOneRow int
	// ConsoleUser and ConsolePassword, when ConsoleUser is set, are the database user the
	// analysts' console runs as (console_user.go); "" runs it as User.
	ConsoleUser, ConsolePassword string
}

// Store is lot-trace's Neo4j store: it owns the driver and runs every statement in a managed
// transaction. It is safe for concurrent use.
type Store struct {
	driver   driver.DriverWithContext
	database string
	logger   *slog.Logger
	observe  QueryObserver // nil: queries are not timed
	// recallLines is Config.RecallLinesInOneRow with its default.
	recallLines  int
	firstConnect sync.Once          // see connectFirst
	schemaApply  singleflight.Group // one application of the schema at a time (schema.go)
	console      *consoleDriver     // the console's own database user, or nil (console_user.go)
}

// Open creates the driver. It does not contact the database: use WaitUntilReady for that.
func Open(cfg Config, logger *slog.Logger) (*Store, error) {
	retry := cfg.RetryTime
	if retry <= 0 {
		retry = 5 * time.Second
	}
	drv, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.User, cfg.Password, ""), driverConfig(retry))
	if err != nil {
		return nil, &graph.Error{Code: graph.EINVALID, Message: fmt.Sprintf("cannot use NEO4J_URI %q", cfg.URI), Err: err}
	}
	recallLines := cfg.RecallLinesInOneRow
	if recallLines <= 0 {
		recallLines = DefaultRecallLinesInOneRow
	}
	console, err := openConsoleDriver(cfg, retry)
	if err != nil {
		_ = drv.Close(context.Background())
		return nil, err
	}
	return &Store{driver: drv, database: cfg.Database, logger: logger, observe: cfg.ObserveQuery, recallLines: recallLines, console: console}, nil
}

// driverConfig is the driver's configuration, the console's driver included.
func driverConfig(retry time.Duration) func(c *config.Config) {
	return func(c *config.Config) {
		c.MaxTransactionRetryTime = retry
		c.SocketConnectTimeout = 2 * time.Second
		c.ConnectionAcquisitionTimeout = retry
		c.MaxConnectionPoolSize = 64
	}
}

// Close closes the drivers and their connections.
func (s *Store) Close(ctx context.Context) error {
	err := s.driver.Close(ctx)
	if s.console != nil {
		err = errors.Join(err, s.console.driver.Close(ctx))
	}
	return err
}

// connectFirst makes the driver's first connection attempt alone, before any other.
// neo4j-go-driver v5.28.4 sets up its connector on the first attempt without a lock
// (connector.Connect assigns SupplyConnection), so two first attempts at once are a data race,
// which the race detector caught between a readiness check and a request at start-up. Once an
// attempt has been made, whether it connected or not, attempts may run at once. The attempt
// outlives a cancelled caller (bounded by the driver's connect timeout) so that it is made.
func (s *Store) connectFirst(ctx context.Context) {
	s.firstConnect.Do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = s.driver.VerifyConnectivity(ctx)
	})
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	s.connectFirst(ctx)
	if err := s.driver.VerifyConnectivity(ctx); err != nil {
		return classify("graph.Ping", err)
	}
	return nil
}

// ApplySchema creates the constraints and indexes lot-trace relies on. Every statement is
// idempotent, so it runs at every start. A database written by an earlier version is first
// migrated (see migrateShipmentLines), and its GS1 lots are renamed to their canonical codes
// once the schema is in place (see migrateGS1Lots).
func (s *Store) ApplySchema(ctx context.Context) error {
	if err := s.migrateShipmentLines(ctx); err != nil {
		return err
	}
	if err := s.CreateSchema(ctx); err != nil {
		return err
	}
	return s.migrateGS1Lots(ctx)
}

// SchemaConstraints returns the names of the uniqueness constraints in place.
func (s *Store) SchemaConstraints(ctx context.Context) ([]string, error) {
	return readTx(ctx, s, "graph.SchemaConstraints", func(t txn) ([]string, error) {
		return collect(ctx, t, cypher.ConstraintNames, nil, func(r *row) string { return r.Str("name") })
	})
}

// HasLots reports whether the database holds any lot.
func (s *Store) HasLots(ctx context.Context) (bool, error) {
	return readTx(ctx, s, "graph.HasLots", func(t txn) (bool, error) {
		has, _, err := single(ctx, t, cypher.HasLots, nil, func(r *row) bool { return r.Bool("has_lots") })
		return has, err
	})
}

// Ready reports whether the database answers and every schema constraint is in place. A
// database that answers without the schema (it came up after the start-up wait gave up, or
// was wiped) gets the schema applied here, so readiness recovers without a restart.
func (s *Store) Ready(ctx context.Context) error {
	have, err := s.SchemaConstraints(ctx)
	if err != nil {
		return err
	}
	if len(missingConstraints(have)) == 0 {
		return nil
	}
	if err := s.applySchemaShared(ctx); err != nil {
		return err
	}
	if have, err = s.SchemaConstraints(ctx); err != nil {
		return err
	}
	if missing := missingConstraints(have); len(missing) > 0 {
		return graph.Errorf(graph.EUNAVAILABLE, "schema not in place: missing constraints %v", missing)
	}
	return nil
}

// RequiredConstraints are the uniqueness constraints the schema files create; readiness
// waits for all of them.
var RequiredConstraints = []string{"lot_code_unique", "batch_id_unique", "supplier_id_unique", "customer_id_unique",
	shipmentLineConstraint, "audit_entry_unique", "recall_case_id_unique", "recall_scope_version_unique", "recall_step_id_unique",
	"product_id_unique", "epcis_capture_id_unique", "epcis_cte_key_unique", "epcis_event_id_unique"}

// shipmentLineConstraint makes each shipment line unique (cypher/schema/08_shipped_to_line_unique.cypher).
const shipmentLineConstraint = "shipped_to_line_unique"

// migrateShipmentLines readies a database written before shipmentLineConstraint for it: the
// identical copies of a shipment line that racing requests could store are removed, once,
// while the constraint is missing. Copies that differ are an error naming them, since no
// program can tell which shipment was meant; the constraint (and readiness) waits for them.
func (s *Store) migrateShipmentLines(ctx context.Context) error {
	have, err := s.SchemaConstraints(ctx)
	if err != nil || slices.Contains(have, shipmentLineConstraint) {
		return err
	}
	type result struct {
		removed   int64
		conflicts []string
	}
	st := cypher.MigrateShipmentLineCopies
	r, err := writeTx(ctx, s, "graph.ApplySchema "+st.Name, func(t txn) (result, error) {
		out, _, err := single(ctx, t, st, nil, func(row *row) result {
			out := result{removed: row.Int("removed")}
			for _, m := range row.Maps("conflicts") {
				out.conflicts = append(out.conflicts, fmt.Sprintf("%s line %d", str(m["shipment_id"]), toInt(m["line"])))
			}
			return out
		})
		return out, err
	})
	if err != nil {
		return err
	}
	if r.removed > 0 {
		s.logger.Warn("removed identical copies of shipment lines stored twice by an earlier version", "removed", r.removed)
	}
	if len(r.conflicts) > 0 {
		return graph.Errorf(graph.EINTERNAL, "graph.ApplySchema: shipment lines stored more than once with different content, "+
			"which an earlier version allowed when requests raced; keep one copy of each and restart: %s", strings.Join(r.conflicts, ", "))
	}
	return nil
}

func missingConstraints(have []string) []string {
	seen := make(map[string]bool, len(have))
	for _, h := range have {
		seen[h] = true
	}
	var missing []string
	for _, r := range RequiredConstraints {
		if !seen[r] {
			missing = append(missing, r)
		}
	}
	return missing
}

// WaitUntilReady pings the database until it answers, then applies the schema. It retries
// with a growing pause (logged, without credentials) until ctx ends.
func (s *Store) WaitUntilReady(ctx context.Context) error {
	pause := 250 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := s.Ping(ctx)
		if err == nil {
			err = s.applySchemaShared(ctx)
		}
		if err == nil {
			return nil
		}
		s.logger.Warn("database not ready yet", "attempt", attempt, "retry_in", pause.String(), "error", err.Error())
		select {
		case <-ctx.Done():
			return fmt.Errorf("graph.WaitUntilReady: gave up after %d attempts: %w", attempt, err)
		case <-time.After(pause):
		}
		pause = min(pause*2, 5*time.Second)
	}
}

// classify turns a driver error into the error vocabulary, so that an outage is a 503 and
// never a 500, and wraps it with the operation that failed.
func classify(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *graph.Error
	switch {
	case errors.As(err, &e):
	case driver.IsConnectivityError(err), errors.Is(err, context.DeadlineExceeded), driver.IsTransactionExecutionLimit(err):
		err = &graph.Error{Code: graph.EUNAVAILABLE, Message: "database unavailable", Err: err}
	case isNeo4jCode(err, "Neo.ClientError.Schema.ConstraintValidationFailed"):
		err = &graph.Error{Code: graph.ECONFLICT, Message: "conflicts with stored data", Err: err}
	case isNeo4jCode(err, "Neo.ClientError.Transaction.InvalidBookmark"), isNeo4jCode(err, "Neo.ClientError.Transaction.InvalidBookmarkMixture"):
		// A client sent back a bookmark this database never issued (graph.Bookmarks).
		err = &graph.Error{Code: graph.EMALFORMED, Message: "the causal-consistency bookmark sent is not one this database issued", Err: err}
	case isTransient(err), isNeo4jCode(err, "Neo.ClientError.Database.DatabaseNotFound"):
		err = &graph.Error{Code: graph.EUNAVAILABLE, Message: "database unavailable", Err: err}
	default:
		err = &graph.Error{Code: graph.EINTERNAL, Err: err}
	}
	if op == "" {
		return err
	}
	return fmt.Errorf("%s: %w", op, err)
}

// isTransient reports a database error that may pass by itself (a database still starting or
// stopping, a leader switch): the caller should try later, so it is a 503, not a 500.
func isTransient(err error) bool {
	var ne *driver.Neo4jError
	return errors.As(err, &ne) && strings.HasPrefix(ne.Code, "Neo.TransientError.")
}

func isNeo4jCode(err error, code string) bool {
	var ne *driver.Neo4jError
	return errors.As(err, &ne) && ne.Code == code
}
