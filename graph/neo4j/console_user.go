package neo4j

import (
	"context"
	"fmt"
	"sync"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/graph"
)

// consoleDriver is the driver of the analysts' console when it runs as a database user of its
// own (NEO4J_CONSOLE_USER). On Neo4j Enterprise that user has a read-only role with a DENY on
// the audit trail's label (scripts/neo4j/console-user.cypher): a second wall, in the database,
// around what the console's plan check already refuses (writes, procedures with effects, the
// audit trail). Neo4j Community has one role for every user, so there the plan check is the
// only wall, and the console may as well use the service's own user.
type consoleDriver struct {
	driver       driver.DriverWithContext
	firstConnect sync.Once // as Store.connectFirst, for this driver
}

// openConsoleDriver creates the console's driver when cfg names a console user, else nil.
func openConsoleDriver(cfg Config, retry time.Duration) (*consoleDriver, error) {
	if cfg.ConsoleUser == "" {
		return nil, nil
	}
	drv, err := driver.NewDriverWithContext(cfg.URI, driver.BasicAuth(cfg.ConsoleUser, cfg.ConsolePassword, ""), driverConfig(retry))
	if err != nil {
		return nil, &graph.Error{Code: graph.EINVALID, Message: fmt.Sprintf("cannot use NEO4J_URI %q for the console user", cfg.URI), Err: err}
	}
	return &consoleDriver{driver: drv}, nil
}

// consoleSession is a read session of the console's user (the service's user without one),
// with the request's bookmarks, so that an analyst's query sees the writes the client saw.
func (s *Store) consoleSession(ctx context.Context) driver.SessionWithContext {
	if s.console == nil {
		return s.session(ctx, driver.AccessModeRead)
	}
	s.console.firstConnect.Do(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = s.console.driver.VerifyConnectivity(ctx)
	})
	return s.console.driver.NewSession(ctx, s.sessionConfig(ctx, driver.AccessModeRead, 0))
}
