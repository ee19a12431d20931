package test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/test/testdb"
)

func TestSchemaConstraintsExistAfterStart(t *testing.T) {
	store := sharedStore(t)
	ctx := context.Background()
	// Applying again must be harmless: every start does it.
	if err := store.ApplySchema(ctx); err != nil {
		t.Fatalf("ApplySchema a second time: %v", err)
	}
	names, err := store.SchemaConstraints(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range neo4j.RequiredConstraints {
		if !slices.Contains(names, want) {
			t.Errorf("constraint %s missing; have %v", want, names)
		}
	}
}

// TestReadyzFollowsTheDatabase stops and restarts its own Neo4j under a running service:
// /readyz must answer 503 while the database is down and 200 once it is back, without a restart.
// Its readiness checks have 150 ms each, less than creating the schema takes: the schema must
// still be applied (once, not cut at each check's deadline), past an index named like a
// constraint that no constraint owns, which is what a cut constraint creation leaves.
func TestReadyzFollowsTheDatabase(t *testing.T) {
	// -short leaves out this slow test on a developer's machine; CI always runs it.
	if testing.Short() && !testdb.InCI() {
		t.Skip("-short: this test starts a second database")
	}
	if shared.err != nil {
		testdb.Unavailable(t, shared.err)
	}
	ctx := context.Background()
	dataDir := t.TempDir()
	db, err := testdb.StartLauncher(ctx, dataDir)
	if err != nil {
		testdb.Unavailable(t, err)
	}
	t.Cleanup(func() { _ = db.Stop() })

	store, err := neo4j.Open(neo4j.Config{URI: db.URI, User: "neo4j", RetryTime: time.Second}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(ctx) })
	orphan, err := driver.NewDriverWithContext(db.URI, driver.BasicAuth("neo4j", "", ""))
	if err != nil {
		t.Fatal(err)
	}
	defer orphan.Close(ctx)
	if _, err := driver.ExecuteQuery(ctx, orphan, "CREATE INDEX lot_code_unique FOR (x:CutConstraint) ON (x.code)", nil,
		driver.EagerResultTransformer); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.NewServer(store, quietLogger(), api.Config{ReadyTimeout: 150 * time.Millisecond}))
	t.Cleanup(srv.Close)

	// The schema is applied by readiness itself when the database answers without it.
	waitForStatus(t, srv.URL+"/readyz", http.StatusOK, time.Minute)
	constraints, err := driver.ExecuteQuery(ctx, orphan, "SHOW CONSTRAINTS YIELD name, labelsOrTypes WHERE name = 'lot_code_unique' RETURN labelsOrTypes", nil,
		driver.EagerResultTransformer)
	if err != nil || len(constraints.Records) != 1 {
		t.Fatalf("constraint lot_code_unique after readiness: %v, %v", constraints, err)
	}
	if labels, _ := constraints.Records[0].Get("labelsOrTypes"); !slices.Equal(labels.([]any), []any{"Lot"}) {
		t.Errorf("lot_code_unique is on %v, want [Lot]", labels)
	}

	if err := db.Stop(); err != nil {
		t.Fatal(err)
	}
	res := waitForStatus(t, srv.URL+"/readyz", http.StatusServiceUnavailable, 30*time.Second)
	if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("503 Content-Type = %q, want application/problem+json", ct)
	}
	if res := get(t, srv.URL+"/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz while the database is down = %d, want 200", res.StatusCode)
	}

	db2, err := testdb.StartLauncherOn(ctx, db.Port, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db2.Stop() })
	waitForStatus(t, srv.URL+"/readyz", http.StatusOK, time.Minute)
}

// waitForStatus polls url until it answers want, failing the test after timeout.
func waitForStatus(t *testing.T, url string, want int, timeout time.Duration) *http.Response {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		res := get(t, url)
		if res.StatusCode == want {
			return res
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s = %d after %s, want %d", url, res.StatusCode, timeout, want)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// get fetches url and drains its body, for tests that look at the status and headers.
func get(t *testing.T, url string) *http.Response {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res
}
