package test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/ingest"
)

// newPatientAPI is newAPI on a store of its own that waits a minute for the database, not
// five seconds: these tests queue a hundred transactions on one lock, and on a busy machine a
// 503 would say nothing about exactly-once.
func newPatientAPI(t *testing.T) *apiClient {
	t.Helper()
	sharedStore(t)
	store, err := neo4j.Open(neo4j.Config{URI: shared.db.URI, User: shared.db.User, Password: shared.db.Password,
		RetryTime: time.Minute}, quietLogger())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = store.Close(context.Background()) })
	srv := httptest.NewServer(api.NewServer(store, quietLogger(), api.Config{}))
	t.Cleanup(srv.Close)
	return &apiClient{t: t, base: srv.URL}
}

// race sends body to path n times at once and returns the statuses and answers in any order.
func race(t *testing.T, c *apiClient, n int, path, contentType string, bodies func(i int) string) ([]int, [][]byte) {
	t.Helper()
	statuses, answers := make([]int, n), make([][]byte, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			res, err := http.Post(c.base+path, contentType, strings.NewReader(bodies(i)))
			if err != nil {
				errs <- err
				return
			}
			defer res.Body.Close()
			answers[i], err = io.ReadAll(res.Body)
			statuses[i] = res.StatusCode
			if err != nil {
				errs <- err
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	return statuses, answers
}

// tally counts the statuses, and the 200 answers that say "created": false.
func tally(t *testing.T, statuses []int, answers [][]byte) (byStatus map[int]int, unchanged int) {
	t.Helper()
	byStatus = map[int]int{}
	for i, s := range statuses {
		byStatus[s]++
		if s == http.StatusOK {
			var rec struct{ Created *bool }
			if err := json.Unmarshal(answers[i], &rec); err != nil || rec.Created == nil || *rec.Created {
				t.Errorf("200 answer %s: want created false", answers[i])
				continue
			}
			unchanged++
		}
	}
	return byStatus, unchanged
}

// TestExactlyOnceParallelIdenticalPosts sends each event type 100 times at once: one 201, 99
// answers 200 "created": false, and one stored copy. Before the shipment-line constraint,
// ten parallel shipments stored three copies.
func TestExactlyOnceParallelIdenticalPosts(t *testing.T) {
	t.Parallel()
	c := newPatientAPI(t)
	tg := tag(t)
	const n = 100
	steps := []struct {
		name, path, body string
		nodes, rels      int64 // tagged nodes and their relationships after the step
	}{
		// the lot and the supplier; RECEIVED_FROM
		{"receipt", "/api/v1/receipts", receiptJSON, 2, 1},
		// the batch and its two lots; CONSUMED_IN and two PRODUCED
		{"production", "/api/v1/productions", productionJSON, 5, 4},
		// the customer; two SHIPPED_TO
		{"shipment", "/api/v1/shipments", shipmentJSON, 6, 6},
	}
	for _, s := range steps {
		statuses, answers := race(t, c, n, s.path, "application/json", func(int) string { return tagged(tg, s.body) })
		by, unchanged := tally(t, statuses, answers)
		if by[http.StatusCreated] != 1 || unchanged != n-1 {
			t.Fatalf("%s: statuses %v (%d unchanged), want one 201 and %d x 200 created:false", s.name, by, unchanged, n-1)
		}
		if nodes, rels := countTagged(t, tg); nodes != s.nodes || rels != s.rels {
			t.Fatalf("%s: stored %d nodes and %d relationships, want %d and %d", s.name, nodes, rels, s.nodes, s.rels)
		}
	}
	// The mass balance counts each shipment line once.
	row := query(t, `MATCH (l:Lot {code: $code})-[s:SHIPPED_TO]->() RETURN sum(s.quantity) AS shipped, count(s) AS lines`,
		map[string]any{"code": tg + "FG-CC-1A"})[0]
	if row["shipped"] != 50.0 || row["lines"] != int64(1) {
		t.Fatalf("FG-CC-1A shipped %v in %v lines, want 50 in 1", row["shipped"], row["lines"])
	}
}

// TestExactlyOnceParallelConflictingPosts sends, at once, 50 versions of each event under one
// id, each with other content: one is stored, the others are conflicts.
func TestExactlyOnceParallelConflictingPosts(t *testing.T) {
	t.Parallel()
	c := newPatientAPI(t)
	tg := tag(t)
	const n = 50
	steps := []struct {
		name, path, body, vary string
		nodes, rels            int64
	}{
		{"receipt", "/api/v1/receipts", receiptJSON, `"PO-1234"`, 2, 1},
		{"production", "/api/v1/productions", productionJSON, `"L1"`, 5, 4},
		{"shipment", "/api/v1/shipments", shipmentJSON, `"BOL-77"`, 6, 6},
	}
	for _, s := range steps {
		statuses, _ := race(t, c, n, s.path, "application/json", func(i int) string {
			return strings.Replace(tagged(tg, s.body), s.vary, fmt.Sprintf(`"V-%d"`, i), 1)
		})
		by := map[int]int{}
		for _, st := range statuses {
			by[st]++
		}
		if by[http.StatusCreated] != 1 || by[http.StatusConflict] != n-1 {
			t.Fatalf("%s: statuses %v, want one 201 and %d x 409", s.name, by, n-1)
		}
		if nodes, rels := countTagged(t, tg); nodes != s.nodes || rels != s.rels {
			t.Fatalf("%s: stored %d nodes and %d relationships, want %d and %d", s.name, nodes, rels, s.nodes, s.rels)
		}
	}
}

// bulkHistory is an NDJSON body of many small, independent chains (receipt, production,
// shipment of two lines), and how many tagged nodes and relationships it stores.
func bulkHistory(tg string, chains int) (body string, events int, nodes, rels int64) {
	var lines []string
	for i := range chains {
		p := fmt.Sprintf("%s%d-", tg, i)
		lines = append(lines, typed("receipt", strings.ReplaceAll(receiptJSON, "{T}", p)),
			typed("production", strings.ReplaceAll(productionJSON, "{T}", p)),
			typed("shipment", strings.ReplaceAll(shipmentJSON, "{T}", p)))
	}
	return ndjson(lines...), 3 * chains, 6 * int64(chains), 6 * int64(chains)
}

type bulkCounts struct {
	Accepted, Unchanged int
	Rejected            []json.RawMessage
}

// TestExactlyOnceParallelBulkLoads loads the same file twice at once, in small runs so that
// the two loads interleave: every event is stored once, and the two answers add up.
func TestExactlyOnceParallelBulkLoads(t *testing.T) {
	t.Parallel()
	c := newPatientAPI(t)
	tg := tag(t)
	body, events, nodes, rels := bulkHistory(tg, 300)
	statuses, answers := race(t, c, 2, "/api/v1/events", "application/x-ndjson", func(int) string { return body })
	var accepted, unchanged int
	for i, st := range statuses {
		var b bulkCounts
		if err := json.Unmarshal(answers[i], &b); st != http.StatusOK || err != nil || len(b.Rejected) != 0 {
			t.Fatalf("load %d: %d %s", i, st, answers[i])
		}
		if b.Accepted+b.Unchanged != events {
			t.Errorf("load %d: accepted %d + unchanged %d, want %d lines", i, b.Accepted, b.Unchanged, events)
		}
		accepted += b.Accepted
		unchanged += b.Unchanged
	}
	if accepted != events || unchanged != events {
		t.Errorf("accepted %d and unchanged %d in all, want %d each", accepted, unchanged, events)
	}
	if n, r := countTagged(t, tg); n != nodes || r != rels {
		t.Fatalf("stored %d nodes and %d relationships, want %d and %d", n, r, nodes, rels)
	}
}

// TestExactlyOnceSinglePostsRaceBulkLoad posts the events of a bulk body one by one while
// the body loads: each event is stored once, by one of the two, and the answers agree.
func TestExactlyOnceSinglePostsRaceBulkLoad(t *testing.T) {
	t.Parallel()
	c := newPatientAPI(t)
	tg := tag(t)
	const chains = 60
	body, events, nodes, rels := bulkHistory(tg, chains)
	var wg sync.WaitGroup
	var bulk bulkCounts
	var bulkStatus int
	wg.Add(1)
	go func() {
		defer wg.Done()
		res, err := http.Post(c.base+"/api/v1/events", "application/x-ndjson", strings.NewReader(body))
		if err != nil {
			t.Error(err)
			return
		}
		defer res.Body.Close()
		bulkStatus = res.StatusCode
		if err := json.NewDecoder(res.Body).Decode(&bulk); err != nil {
			t.Error(err)
		}
	}()
	created, unchanged := 0, 0
	paths := []string{"/api/v1/receipts", "/api/v1/productions", "/api/v1/shipments"}
	for i := range chains {
		p := fmt.Sprintf("%s%d-", tg, i)
		// Each chain's three events at once: the later ones may come before their lots exist.
		bodies := []string{receiptJSON, productionJSON, shipmentJSON}
		for step, path := range paths {
			statuses, answers := race(t, c, 2, path, "application/json", func(int) string { return strings.ReplaceAll(bodies[step], "{T}", p) })
			by, u := tally(t, statuses, answers)
			if by[http.StatusCreated]+by[http.StatusOK] != 2 || by[http.StatusCreated] > 1 {
				t.Fatalf("chain %d %s: statuses %v", i, path, by)
			}
			created += by[http.StatusCreated]
			unchanged += u
		}
	}
	wg.Wait()
	if bulkStatus != http.StatusOK || len(bulk.Rejected) != 0 {
		t.Fatalf("bulk load: %d %+v", bulkStatus, bulk)
	}
	if bulk.Accepted+created != events || bulk.Unchanged+unchanged != events*3-events {
		t.Errorf("bulk accepted %d unchanged %d, posts created %d unchanged %d: want %d created in all", bulk.Accepted, bulk.Unchanged, created, unchanged, events)
	}
	if n, r := countTagged(t, tg); n != nodes || r != rels {
		t.Fatalf("stored %d nodes and %d relationships, want %d and %d", n, r, nodes, rels)
	}
}

// TestExactlyOnceParallelLoaders runs two loaders over the same body at once in runs of 25
// events, two runs each in flight, so that the four transactions overlap on the same events
// all the way through: every event is stored once and the counts add up.
func TestExactlyOnceParallelLoaders(t *testing.T) {
	t.Parallel()
	store := sharedStore(t)
	tg := tag(t)
	body, events, nodes, rels := bulkHistory(tg, 200)
	counts := make([]ingest.Counts, 2)
	var wg sync.WaitGroup
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l := ingest.Loader{Recorder: store, BatchSize: 25, Parallel: 2}
			var err error
			if counts[i], err = l.Load(context.Background(), ingest.NewNDJSON(strings.NewReader(body))); err != nil {
				t.Errorf("load %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	for i, c := range counts {
		if c.Rejected != 0 || c.Accepted+c.Unchanged != events {
			t.Errorf("load %d: %+v, want %d lines accepted or unchanged", i, c, events)
		}
	}
	if a := counts[0].Accepted + counts[1].Accepted; a != events {
		t.Errorf("accepted %d in all, want %d", a, events)
	}
	if n, r := countTagged(t, tg); n != nodes || r != rels {
		t.Fatalf("stored %d nodes and %d relationships, want %d and %d", n, r, nodes, rels)
	}
}
