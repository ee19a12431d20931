package test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/test/testdb"
)

// shared is the one database of this test run, and the store every test uses.
var shared struct {
	db     *testdb.Neo4j
	store  *neo4j.Store
	driver driver.DriverWithContext // for tests that check what the service stored
	err    error                    // why there is no database, reported by each test that needs one
}

func TestMain(m *testing.M) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	shared.db, shared.err = testdb.Start(ctx)
	if shared.err == nil {
		shared.store, shared.err = openReadyStore(ctx, shared.db)
	}
	if shared.err == nil {
		shared.driver, shared.err = driver.NewDriverWithContext(shared.db.URI, driver.BasicAuth(shared.db.User, shared.db.Password, ""))
	}
	cancel()
	if shared.err != nil && testdb.InCI() {
		fmt.Fprintf(os.Stderr, "FAIL: no Neo4j for the integration tests (CI=true): %v\n", shared.err)
		os.Exit(1)
	}
	code := m.Run()
	if shared.store != nil {
		_ = shared.store.Close(context.Background())
	}
	if shared.driver != nil {
		_ = shared.driver.Close(context.Background())
	}
	if err := shared.db.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
	}
	os.Exit(code)
}

func openReadyStore(ctx context.Context, db *testdb.Neo4j) (*neo4j.Store, error) {
	store, err := neo4j.Open(neo4j.Config{URI: db.URI, User: db.User, Password: db.Password}, quietLogger())
	if err != nil {
		return nil, err
	}
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := store.WaitUntilReady(wctx); err != nil {
		_ = store.Close(ctx)
		return nil, err
	}
	return store, nil
}

// sharedStore returns the run's store, or ends the test when there is no database.
func sharedStore(t *testing.T) *neo4j.Store {
	t.Helper()
	if shared.err != nil {
		testdb.Unavailable(t, shared.err)
	}
	return shared.store
}

func quietLogger() *slog.Logger {
	if os.Getenv("LOT_TRACE_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
