package test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/graph/neo4j"
)

// Replicas of the service, as a load balancer spreads calls over them (issue 18): each has
// its own store (its own driver, connected through neo4j:// routing, as on a cluster) and its
// own HTTP server, with the same keys, and the audit trail kept in Neo4j, which every replica
// writes and reads. A test writes on one and reads on another: newReplicas(t, 2, cfg)[0].as(role).

// routingURI is the shared database's address with the neo4j:// scheme, so the driver asks it
// for a routing table and sends reads and writes where the table says, as it does on a
// cluster: a single Neo4j answers with itself for every role. A testcontainers database
// advertises its in-container address, which the host cannot reach, so it keeps bolt://.
func routingURI(t *testing.T) string {
	t.Helper()
	sharedStore(t)
	uri := shared.db.URI
	if shared.db.Source == "testcontainers" {
		t.Logf("the test container advertises its own address: replicas use %s without routing", uri)
		return uri
	}
	if scheme, rest, ok := strings.Cut(uri, "://"); ok && (scheme == "bolt" || scheme == "neo4j") {
		return "neo4j://" + rest
	}
	return uri
}

// openReplicaStore opens a store of its own on the shared database, through routing.
func openReplicaStore(t *testing.T) *neo4j.Store {
	t.Helper()
	cfg := neo4j.Config{URI: routingURI(t), User: shared.db.User, Password: shared.db.Password}
	if shared.db.Source != "NEO4J_URI" {
		// A database this run started has no authentication: the console's own user
		// (NEO4J_CONSOLE_USER) connects, so the replicas' console runs on its own driver.
		cfg.ConsoleUser, cfg.ConsolePassword = "lot_trace_console", "unused"
	}
	store, err := neo4j.Open(cfg, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := store.WaitUntilReady(ctx); err != nil {
		t.Fatalf("a replica's store over %s: %v", routingURI(t), err)
	}
	return store
}

// newReplicas starts n replicas of the service on the shared database, with auth on (one key
// per role, testSecrets) and the audit trail in Neo4j. cfg's Keys and Audit are set here.
func newReplicas(t *testing.T, n int, cfg api.Config) []*securedAPI {
	t.Helper()
	keys, err := api.NewKeyring(testKeys(t)...)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]*securedAPI, n)
	for i := range out {
		store := openReplicaStore(t)
		c := cfg
		c.Keys, c.Audit = keys, audit.NewShared(store, 10*time.Second)
		server := api.NewServer(store, quietLogger(), c)
		srv := httptest.NewServer(server)
		t.Cleanup(srv.Close)
		out[i] = &securedAPI{t: t, server: server, base: srv.URL}
	}
	return out
}

// testKeysEnv is testSecrets as LOT_TRACE_API_KEYS sets them: name:role:key, each named role-key.
func testKeysEnv() string {
	var entries []string
	for role, secret := range testSecrets {
		entries = append(entries, fmt.Sprintf("%s-key:%s:%s", role, role, secret))
	}
	return strings.Join(entries, ",")
}

// testKeys are the keys of testSecrets.
func testKeys(t *testing.T) []api.Key {
	t.Helper()
	keys, err := api.ParseKeysEnv(testKeysEnv())
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// send is do with request headers, returning the answer's headers too (the bookmark).
func (c *apiClient) send(method, path, contentType, body string, header http.Header) (int, http.Header, []byte) {
	c.t.Helper()
	req, err := http.NewRequest(method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	out, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res.StatusCode, res.Header, out
}

// bookmarkOf is the header that sends an answer's bookmarks back, as a client does.
func bookmarkOf(t *testing.T, answer http.Header) http.Header {
	t.Helper()
	b := answer.Get(api.BookmarkHeader)
	if b == "" {
		t.Fatalf("the answer has no %s header", api.BookmarkHeader)
	}
	return http.Header{api.BookmarkHeader: {b}}
}
