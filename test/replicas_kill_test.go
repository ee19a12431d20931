package test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/internal/synth"
	"github.com/lot-trace/lot-trace/test/testdb"
)

// TestKilledReplicaMidBulkLoadConverges runs two lot-trace processes on the shared database over
// neo4j://, as two replicas behind a load balancer. Replica A is sent a bulk load and killed
// (SIGKILL) part-way, with the body still arriving; replica B loads the same history at the same
// time and goes on. Posting the history again to B then converges: every event stored once,
// with the history's fingerprints (a further post finds every event unchanged), and the graph
// holds what one clean load of the same history holds. B's trail shows A's unfinished call.
func TestKilledReplicaMidBulkLoadConverges(t *testing.T) {
	t.Parallel()
	sharedStore(t)
	bin := buildService(t)
	a, b := startReplicaProcess(t, bin), startReplicaProcess(t, bin)
	tg, ref := tag(t), tag(t)
	history := func(prefix string) []byte {
		var buf bytes.Buffer
		if _, err := synth.Generate(&buf, synth.Options{Seed: 18, Lots: 9000, HubBatches: 50, Prefix: prefix}); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	body := history(tg)
	lines := bytes.SplitAfter(body, []byte("\n"))
	events := len(lines) - 1 // the last is empty
	if events < 3*5000 {
		t.Fatalf("the history has %d events, want over three runs of the loader", events)
	}
	start := time.Now().UTC()

	// A: the first 60% of the body, then nothing more until it dies.
	pr, pw := io.Pipe()
	aDone := make(chan error, 1)
	go func() {
		req, _ := http.NewRequest("POST", a.base+"/api/v1/events", pr)
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+testSecrets[api.RoleWriter])
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			err = fmt.Errorf("A answered %d %s: it should have died first", res.StatusCode, clip(raw))
		}
		aDone <- err
	}()
	part := bytes.Join(lines[:events*6/10], nil)
	if _, err := pw.Write(part); err != nil {
		t.Fatal(err)
	}
	// Until A has stored a run of it (5,000 events a transaction).
	deadline := time.Now().Add(2 * time.Minute)
	for nodes, _ := countTagged(t, tg); nodes == 0; nodes, _ = countTagged(t, tg) {
		if time.Now().After(deadline) {
			t.Fatal("A stored nothing of the load in 2 minutes")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// B loads the whole history while A dies mid-load.
	bDone := make(chan struct{})
	var bStatus int
	var bRaw []byte
	go func() {
		defer close(bDone)
		bStatus, bRaw = b.as(api.RoleWriter).do("POST", "/api/v1/events", "application/x-ndjson", string(body))
	}()
	time.Sleep(200 * time.Millisecond)
	a.kill()
	_ = pw.CloseWithError(io.ErrUnexpectedEOF)
	if err := <-aDone; err == nil || strings.Contains(err.Error(), "should have died") {
		t.Fatalf("A's load: %v", err)
	}
	<-bDone
	if answer := decodeObject(t, bRaw); bStatus != http.StatusOK || answer["rejected_count"] != 0.0 ||
		answer["accepted"].(float64)+answer["unchanged"].(float64) != float64(events) {
		t.Fatalf("B's load beside A's: %d %s", bStatus, clip(bRaw))
	}

	// The re-post converges, and a second one changes nothing.
	writer := b.as(api.RoleWriter)
	status, raw := writer.do("POST", "/api/v1/events", "application/x-ndjson", string(body))
	if answer := decodeObject(t, raw); status != http.StatusOK || answer["accepted"] != 0.0 || answer["unchanged"] != float64(events) {
		t.Fatalf("re-posting to B: %d %s, want every event unchanged", status, clip(raw))
	}
	nodes, rels := countTagged(t, tg)

	// One clean load of the same history, under another tag, stores as much.
	status, raw = writer.do("POST", "/api/v1/events", "application/x-ndjson", string(history(ref)))
	if answer := decodeObject(t, raw); status != http.StatusOK || answer["accepted"] != float64(events) {
		t.Fatalf("the clean load: %d %s", status, clip(raw))
	}
	if refNodes, refRels := countTagged(t, ref); refNodes != nodes || refRels != rels {
		t.Errorf("after the kill and the re-post: %d nodes, %d relationships; one clean load: %d, %d", nodes, rels, refNodes, refRels)
	}

	// A's call began and never ended: B's trail shows its begin entry.
	_, entries := b.as(api.RoleAdmin).auditEntries("limit=1000&since=" + start.Format(time.RFC3339Nano))
	var begun, ended int
	for _, e := range entries {
		if e.Route == "/api/v1/events" && e.Key == "writer-key" {
			switch e.Phase {
			case "begin":
				begun++
			case "end":
				ended++
			}
		}
	}
	if begun < 1 || ended < 3 {
		t.Errorf("B's trail holds %d unfinished and %d finished loads since the test began, want A's unfinished one and B's three", begun, ended)
	}
}

// serviceBinary is the lot-trace command, built once for the tests that run it as a process.
var serviceBinary struct {
	once sync.Once
	path string
	err  error
}

// buildService builds cmd/lot-trace (without the explorer's files, which these tests do not
// need) and returns the binary's path.
func buildService(t *testing.T) string {
	t.Helper()
	serviceBinary.once.Do(func() {
		// One place per checkout, rebuilt by every run: no binaries pile up in the temp folder.
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("lot-trace-bin-%x", sha256.Sum256([]byte(testdb.RepoRoot())))[:24])
		if err := os.MkdirAll(dir, 0o755); err != nil {
			serviceBinary.err = err
			return
		}
		serviceBinary.path = filepath.Join(dir, "lot-trace")
		cmd := exec.Command("go", "build", "-o", serviceBinary.path, "./cmd/lot-trace")
		cmd.Dir = testdb.RepoRoot()
		if out, err := cmd.CombinedOutput(); err != nil {
			serviceBinary.err = fmt.Errorf("go build: %v: %s", err, out)
		}
	})
	if serviceBinary.err != nil {
		t.Fatal(serviceBinary.err)
	}
	return serviceBinary.path
}

// replicaProcess is a lot-trace serve process.
type replicaProcess struct {
	*securedAPI
	cmd *exec.Cmd
}

// startReplicaProcess starts lot-trace serve on the shared database over neo4j://, with the
// tests' keys and the audit trail in Neo4j (and on stdout), and waits until it is ready.
func startReplicaProcess(t *testing.T, bin string) *replicaProcess {
	t.Helper()
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(),
		"NEO4J_URI="+routingURI(t), "NEO4J_USER="+shared.db.User, "NEO4J_PASSWORD="+shared.db.Password,
		"LOT_TRACE_ADDR=127.0.0.1:0", "LOT_TRACE_API_KEYS="+testKeysEnv(),
		"LOT_TRACE_AUDIT_SINKS=neo4j,stdout", "LOT_TRACE_LOG_FORMAT=json")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &replicaProcess{cmd: cmd}
	t.Cleanup(p.kill)
	r := bufio.NewReader(stdout)
	line, err := r.ReadString('\n')
	if err != nil {
		t.Fatalf("reading the serve line: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, r) }() // the audit trail's lines
	p.securedAPI = &securedAPI{t: t, base: strings.TrimSpace(strings.TrimPrefix(line, "lot-trace: serving on "))}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for {
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the replica at %s was not ready within 2 minutes", p.base)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// kill ends the process at once, as a crash or an OOM kill would.
func (p *replicaProcess) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
		_ = p.cmd.Wait()
	}
}
