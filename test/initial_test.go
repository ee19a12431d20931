package test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/ingest"
	"github.com/lot-trace/lot-trace/internal/initial"
	"github.com/lot-trace/lot-trace/internal/synth"
	"github.com/lot-trace/lot-trace/test/testdb"
)

// TestInitialImportEqualsTheAPI loads one generated history (with bad lines, references out
// of file order, a resend and descriptions that change woven in) twice: through POST
// /api/v1/events into the shared database, and with an initial import into a new embedded
// Neo4j. The two graphs must be the same node for node and relationship for relationship,
// every property with its type; the rejected lines the same; traces both ways, and the FSMA
// spreadsheet of recalls, byte for byte; and posting the file again to the imported database
// must find every event stored (the fingerprints are the API's).
//
// scripts/bench-initial runs it on a 100k-lot history with 1,000 traces each way
// (LOT_TRACE_INITIAL_LOTS, LOT_TRACE_INITIAL_TRACES, LOT_TRACE_INITIAL_RECALLS).
func TestInitialImportEqualsTheAPI(t *testing.T) {
	store := sharedStore(t)
	lots, traces, recalls := envInt(t, "LOT_TRACE_INITIAL_LOTS", 2000), envInt(t, "LOT_TRACE_INITIAL_TRACES", 60), envInt(t, "LOT_TRACE_INITIAL_RECALLS", 20)
	ctx := context.Background()
	tg := tag(t)
	dir := t.TempDir()

	var history bytes.Buffer
	if _, err := synth.Generate(&history, synth.Options{Seed: 17, Lots: lots, Prefix: tg}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "history.ndjson")
	if err := os.WriteFile(file, withAwkwardLines(t, tg, history.Bytes()), 0o644); err != nil {
		t.Fatal(err)
	}
	body, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}

	// Through the API, into the shared database.
	viaAPI := httptest.NewServer(api.NewServer(store, quietLogger(), api.Config{MaxBodyBytes: 1 << 30}))
	defer viaAPI.Close()
	began := time.Now()
	posted := postEvents(t, viaAPI.URL, body)
	t.Logf("loaded through the API in %s", time.Since(began).Round(time.Millisecond))
	if posted.Accepted == 0 || posted.Unchanged != 1 || posted.RejectedCount != 5 {
		t.Fatalf("the API accepted %d, found %d unchanged and rejected %d lines: the history or its awkward lines did not load as meant",
			posted.Accepted, posted.Unchanged, posted.RejectedCount)
	}

	// With an initial import, into a new embedded Neo4j.
	dataDir := filepath.Join(dir, "neo4j")
	inputs, err := ingest.PlanInputs([]string{file}, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	var progress bytes.Buffer
	res, err := initial.Run(ctx, initial.Options{
		Inputs:   inputs,
		StatusOf: func(code string) int { return api.HTTPStatus(&graph.Error{Code: code}) },
		FilesDir: filepath.Join(dir, "files"),
		Embedded: &initial.Embedded{Launch: filepath.Join(testdb.RepoRoot(), "neo4j-embedded", "launch"), DataDir: dataDir},
		Logger:   quietLogger(),
		Progress: &progress,
	})
	if err != nil && !errors.Is(err, initial.ErrNotEmpty) && strings.Contains(err.Error(), "did not start") {
		testdb.Unavailable(t, err)
	}
	if err != nil {
		t.Fatalf("initial import: %v\n%s", err, progress.String())
	}
	t.Logf("initial import of %d lines:\n%s", res.Counts.Lines(), progress.String())
	for _, phase := range []string{"validate:", "write:", "import:", "start:", "schema:"} {
		if !strings.Contains(progress.String(), phase) {
			t.Errorf("no progress line for %s", phase)
		}
	}
	if res.Counts.Accepted != posted.Accepted || res.Counts.Unchanged != posted.Unchanged || res.Counts.Rejected != posted.RejectedCount {
		t.Errorf("initial import counted %+v, the API %d accepted, %d unchanged, %d rejected",
			res.Counts, posted.Accepted, posted.Unchanged, posted.RejectedCount)
	}
	if _, err := os.Stat(filepath.Join(dir, "files")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the importer's files were not removed after the import: %v", err)
	}
	compareRejects(t, inputs[0].Rejects, posted.Rejected)
	if _, err := os.Stat("import.report"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the importer left its report in the working folder: %v", err)
	}

	imported, err := testdb.StartLauncher(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer imported.Stop()
	importedDriver, err := driver.NewDriverWithContext(imported.URI, driver.NoAuth())
	if err != nil {
		t.Fatal(err)
	}
	defer importedDriver.Close(ctx)
	checkInitialSchema(t, importedDriver) // before the service's start-up would add what is missing
	importedStore, err := openReadyStore(ctx, imported.Neo4j)
	if err != nil {
		t.Fatal(err)
	}
	defer importedStore.Close(ctx)

	t.Logf("imported and restarted at %s", time.Since(began).Round(time.Millisecond))
	want := dumpGraph(t, shared.driver, tg)
	got := dumpGraph(t, importedDriver, tg)
	compareDumps(t, "the imported graph", got, want)

	viaImport := httptest.NewServer(api.NewServer(importedStore, quietLogger(), api.Config{MaxBodyBytes: 1 << 30}))
	defer viaImport.Close()
	codes := lotCodes(want)
	sample := evenly(codes, traces)
	same := 0
	for _, code := range sample {
		for _, dir := range []string{"backward", "forward"} {
			path := "/api/v1/lots/" + code + "/trace?direction=" + dir
			if compareAnswers(t, viaAPI.URL, viaImport.URL, path) {
				same++
			}
		}
	}
	for _, code := range evenly(codes, recalls) {
		if compareAnswers(t, viaAPI.URL, viaImport.URL, "/api/v1/lots/"+code+"/recall?format=csv") {
			same++
		}
	}
	t.Logf("at %s: %d traces each way and %d recall spreadsheets compared: %d answers the same", time.Since(began).Round(time.Millisecond), len(sample), min(recalls, len(codes)), same)

	// Posting the file again to the imported database finds every event stored, and does what
	// it does to the database loaded through the API: the shipment first refused for a lot
	// received later in the file is accepted now, in both.
	again := postEvents(t, viaImport.URL, body)
	if again.Unchanged != posted.Accepted+posted.Unchanged || again.Accepted != 1 {
		t.Errorf("posting the file again to the imported database: %d accepted, %d unchanged, %d rejected; want 1 (the early shipment), %d, %d",
			again.Accepted, again.Unchanged, again.RejectedCount, posted.Accepted+posted.Unchanged, posted.RejectedCount-1)
	}
	againAPI := postEvents(t, viaAPI.URL, body)
	if !reflect.DeepEqual(again, againAPI) {
		t.Errorf("posting the file again: the imported database answered %+v, the one loaded through the API %+v", again, againAPI)
	}
	compareDumps(t, "the graphs after the file was posted again to both", dumpGraph(t, importedDriver, tg), dumpGraph(t, shared.driver, tg))

	// A database that holds data is refused, and nothing is touched: running...
	_, err = initial.Run(ctx, initial.Options{Inputs: inputs, FilesDir: filepath.Join(dir, "files2"),
		Embedded: &initial.Embedded{Launch: filepath.Join(testdb.RepoRoot(), "neo4j-embedded", "launch"), DataDir: dataDir}})
	if err == nil || !strings.Contains(err.Error(), "is running (process") {
		t.Errorf("an initial import into a running embedded Neo4j: %v, want a refusal", err)
	}
	// ... reached over Bolt (an external Neo4j) ...
	_, err = initial.Run(ctx, initial.Options{Inputs: inputs, FilesDir: filepath.Join(dir, "files2"),
		DB: neo4j.Config{URI: imported.URI}, ConnectWait: time.Minute})
	if !errors.Is(err, initial.ErrNotEmpty) {
		t.Errorf("an initial import into an external database that holds data: %v, want ErrNotEmpty", err)
	}
	if _, serr := os.Stat(filepath.Join(dir, "files2")); !errors.Is(serr, os.ErrNotExist) {
		t.Errorf("a refused initial import wrote files: %v", serr)
	}
	// ... or stopped.
	if err := imported.Stop(); err != nil {
		t.Fatal(err)
	}
	_, err = initial.Run(ctx, initial.Options{Inputs: inputs, FilesDir: filepath.Join(dir, "files2"), Logger: quietLogger(),
		Embedded: &initial.Embedded{Launch: filepath.Join(testdb.RepoRoot(), "neo4j-embedded", "launch"), DataDir: dataDir}})
	if !errors.Is(err, initial.ErrNotEmpty) {
		t.Errorf("an initial import into a stopped embedded Neo4j that holds data: %v, want ErrNotEmpty", err)
	}
}

// TestInitialImportForAnExternalNeo4j follows the operator's steps for an external Neo4j
// (here a new embedded one, reached over Bolt): the command checks it is empty and writes
// the files without touching it; the printed neo4j-admin arguments, run on the stopped
// database, import the graph; started again, the service's start-up creates the schema.
func TestInitialImportForAnExternalNeo4j(t *testing.T) {
	sharedStore(t)
	ctx := context.Background()
	dir := t.TempDir()
	tg := tag(t)
	file := filepath.Join(dir, "h.ndjson")
	var history bytes.Buffer
	if _, err := synth.Generate(&history, synth.Options{Seed: 3, Lots: 300, Prefix: tg}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, history.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	inputs, err := ingest.PlanInputs([]string{file}, "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	dataDir := filepath.Join(dir, "neo4j")
	external, err := testdb.StartLauncher(ctx, dataDir)
	if err != nil {
		testdb.Unavailable(t, err)
	}
	defer external.Stop()
	res, err := initial.Run(ctx, initial.Options{Inputs: inputs, FilesDir: filepath.Join(dir, "files"),
		DB: neo4j.Config{URI: external.URI}, ConnectWait: time.Minute, Logger: quietLogger()})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range append(res.Files.Nodes, res.Files.Relationships...) {
		if !strings.Contains(res.Command, "="+f.Path) {
			t.Errorf("the command does not name %s: %s", f.Path, res.Command)
		}
	}
	if !strings.HasPrefix(res.Command, "neo4j-admin database import full neo4j --overwrite-destination=true") {
		t.Errorf("the command: %s", res.Command)
	}
	store, err := openReadyStore(ctx, external.Neo4j)
	if err != nil {
		t.Fatal(err)
	}
	if empty, err := store.IsEmpty(ctx); err != nil || !empty {
		t.Errorf("writing the files touched the database: empty %v, %v", empty, err)
	}
	_ = store.Close(ctx)

	// The operator's steps: stop, neo4j-admin, start, lot-trace serve's start-up.
	if err := external.Stop(); err != nil {
		t.Fatal(err)
	}
	admin := exec.Command(filepath.Join(testdb.RepoRoot(), "neo4j-embedded", "launch"),
		append([]string{"admin", "--data-dir", dataDir}, res.Files.AdminArgs("", "")...)...)
	if out, err := admin.CombinedOutput(); err != nil {
		t.Fatalf("neo4j-admin: %v\n%s", err, out)
	}
	again, err := testdb.StartLauncher(ctx, dataDir)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Stop()
	store, err = openReadyStore(ctx, again.Neo4j)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close(ctx)
	nodes, rels, err := store.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if nodes != int64(res.Files.NodeCount()) || rels != int64(res.Files.RelationshipCount()) || nodes == 0 {
		t.Errorf("imported %d nodes and %d relationships, the files hold %d and %d", nodes, rels, res.Files.NodeCount(), res.Files.RelationshipCount())
	}
	missing, err := store.SchemaConstraints(ctx)
	if err != nil || len(missing) < len(neo4j.RequiredConstraints) {
		t.Errorf("after the service's start-up the constraints are %v (%v), want %v", missing, err, neo4j.RequiredConstraints)
	}
}

func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return n
}

// withAwkwardLines weaves into a history the lines an initial import must treat as the API
// does: a shipment of a lot received only later (refused: file order), a resend (unchanged),
// a conflicting receipt, a line that does not parse, one that does not validate, a unit that
// is not the lot's, a supplier described anew, times in other zones with fractions of a
// second, and text with quotes, commas, backslashes and accents.
func withAwkwardLines(t *testing.T, tg string, history []byte) []byte {
	t.Helper()
	lines := bytes.SplitAfter(history, []byte("\n"))
	first := strings.TrimSpace(string(lines[0]))
	var firstReceipt ingest.ReceiptJSON
	if err := json.Unmarshal([]byte(first), &firstReceipt); err != nil {
		t.Fatal(err)
	}
	conflicting := strings.Replace(first, `"quantity":`, `"quantity":1`, 1)
	extra := tagged(tg, strings.Join([]string{
		`{"type":"shipment","id":"{T}SH-EARLY","customer":{"id":"{T}CUST-X","location":"Somewhere"},"shipped_at":"2026-01-02T10:00:00Z","from":"BAKERY-1","reference":{"type":"BOL","number":"{T}BOL-EARLY"},"lines":[{"lot":"{T}LATE-1","quantity":1,"unit":"kg"}]}`,
		`{"type":"receipt","lot":{"code":"{T}LATE-1","product":"RAISINS \"Thompson\", seedless","description":"Crème, a\\b; 1/2 \"sweet\"","quantity":0.1,"unit":"kg"},"supplier":{"id":"{T}SUP-NEW","location":"Fresno, CA"},"received_at":"2026-01-02T11:00:00.123456789+02:00","location":"BAKERY-1","tlc_source":"GLN 0614141000005","reference":{"type":"PO","number":"{T}PO-LATE"}}`,
		`{"type":"receipt","lot":{"code":"{T}LATE-2","product":"RAISINS","quantity":1e-6,"unit":"kg","expires_at":"2027-02-28"},"supplier":{"id":"{T}SUP-NEW","name":"Valley Fruit Co., \"Fresno\"","location":"Fresno, CA"},"received_at":"2026-01-02T12:00:00-08:00","location":"BAKERY-1","reference":{"type":"PO","number":"{T}PO-LATE-2"}}`,
		`{"type":"shipment","id":"{T}SH-LATE","customer":{"id":"{T}CUST-X","name":"Corner <Store> & Co","location":"Main St","contact":"+1 555 0100"},"shipped_at":"2026-01-03T10:00:00.5Z","from":"BAKERY-1","reference":{"type":"BOL","number":"{T}BOL-LATE"},"lines":[{"lot":"{T}LATE-1","quantity":0.05,"unit":"kg"},{"lot":"{T}LATE-2","quantity":1e-6,"unit":"kg"}]}`,
		`{"type":"shipment","id":"{T}SH-UNIT","customer":{"id":"{T}CUST-X","location":"Main St"},"shipped_at":"2026-01-03T10:00:00Z","from":"BAKERY-1","reference":{"type":"BOL","number":"{T}BOL-UNIT"},"lines":[{"lot":"{T}LATE-1","quantity":1,"unit":"case"}]}`,
		`{"type":"receipt","lot":{"code":"{T}BROKEN"`,
		`{"type":"receipt","lot":{"code":"{T}NO-QTY","product":"X","unit":"kg"},"supplier":{"id":"{T}SUP-NEW","location":"Fresno, CA"},"received_at":"2026-01-02T11:00:00Z","location":"BAKERY-1","reference":{"type":"PO","number":"{T}PO-X"}}`,
	}, "\n")) + "\n"
	var out bytes.Buffer
	out.Write(lines[0])
	out.WriteString(extra)
	half := len(lines) / 2
	for _, l := range lines[1:half] {
		out.Write(l)
	}
	out.WriteString(first + "\n")       // a resend: unchanged
	out.WriteString(conflicting + "\n") // the same lot with other content: a conflict
	for _, l := range lines[half:] {
		out.Write(l)
	}
	return out.Bytes()
}

// bulkAnswer is POST /api/v1/events' answer.
type bulkAnswer struct {
	Accepted      int          `json:"accepted"`
	Unchanged     int          `json:"unchanged"`
	RejectedCount int          `json:"rejected_count"`
	Rejected      []rejectJSON `json:"rejected"`
}

// rejectJSON is what the API's answer and a rejects file both say of a rejected line.
type rejectJSON struct {
	Line    int    `json:"line"`
	Status  int    `json:"status"`
	Message string `json:"message"`
	Errors  []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func postEvents(t *testing.T, base string, body []byte) bulkAnswer {
	t.Helper()
	res, err := http.Post(base+"/api/v1/events", "application/x-ndjson", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var answer bulkAnswer
	if err := json.NewDecoder(res.Body).Decode(&answer); err != nil || res.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v1/events: %d, %v", res.StatusCode, err)
	}
	return answer
}

// compareRejects checks the rejects file says of each line what the API said.
func compareRejects(t *testing.T, path string, want []rejectJSON) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("the initial import's rejects file: %v", err)
	}
	defer f.Close()
	var got []rejectJSON
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var r rejectJSON
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("the rejects file differs from the API's rejections:\n%s\nwant\n%s", g, w)
	}
}

// dumpGraph lists every node and relationship whose keys start with prefix, each with
// every property's name, type and value (sorted by name), sorted.
func dumpGraph(t *testing.T, d driver.DriverWithContext, prefix string) []string {
	t.Helper()
	run := func(cypher string) []string {
		res, err := driver.ExecuteQuery(context.Background(), d, cypher, map[string]any{"prefix": prefix}, driver.EagerResultTransformer)
		if err != nil {
			t.Fatal(err)
		}
		out := make([]string, len(res.Records))
		for i, r := range res.Records {
			head, _ := r.Get("head")
			list, _ := r.Get("props")
			props := make([]string, 0, len(list.([]any)))
			for _, p := range list.([]any) {
				props = append(props, p.(string))
			}
			slices.Sort(props)
			out[i] = head.(string) + " {" + strings.Join(props, ", ") + "}"
		}
		return out
	}
	const props = `[k IN keys(x) | k + ':' + valueType(x[k]) + '=' + toString(x[k])] AS props`
	nodes := run(`MATCH (x) WHERE coalesce(x.code, x.id) STARTS WITH $prefix
		RETURN 'node ' + reduce(s = '', l IN labels(x) | s + ':' + l) + ' ' + coalesce(x.code, x.id) AS head, ` + props)
	rels := run(`MATCH (a)-[x]->(b) WHERE coalesce(a.code, a.id) STARTS WITH $prefix
		RETURN 'rel ' + coalesce(a.code, a.id) + ' -' + type(x) + '-> ' + coalesce(b.code, b.id) AS head, ` + props)
	all := append(nodes, rels...)
	slices.Sort(all)
	return all
}

func compareDumps(t *testing.T, what string, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		t.Logf("%s: %d nodes and relationships, the same", what, len(want))
		return
	}
	shown := 0
	gi, wi := 0, 0
	for (gi < len(got) || wi < len(want)) && shown < 8 {
		switch {
		case wi == len(want) || (gi < len(got) && got[gi] < want[wi]):
			t.Errorf("%s: only in the import: %s", what, got[gi])
			gi++
			shown++
		case gi == len(got) || want[wi] < got[gi]:
			t.Errorf("%s: only through the API: %s", what, want[wi])
			wi++
			shown++
		default:
			gi++
			wi++
		}
	}
	t.Errorf("%s: %d lines, through the API %d", what, len(got), len(want))
}

// lotCodes are the codes of the lots in a dump, in order.
func lotCodes(dump []string) []string {
	var codes []string
	for _, line := range dump {
		if rest, ok := strings.CutPrefix(line, "node :Lot "); ok {
			codes = append(codes, strings.SplitN(rest, " ", 2)[0])
		}
	}
	return codes
}

// evenly picks n of xs, evenly spaced.
func evenly(xs []string, n int) []string {
	if n >= len(xs) {
		return xs
	}
	out := make([]string, n)
	for i := range out {
		out[i] = xs[i*len(xs)/n]
	}
	return out
}

// compareAnswers gets path from both services and reports whether the answers are the same
// but for the time they took.
func compareAnswers(t *testing.T, a, b, path string) bool {
	t.Helper()
	get := func(base string) string {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var buf bytes.Buffer
		if _, err := buf.ReadFrom(res.Body); err != nil {
			t.Fatal(err)
		}
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", path, res.StatusCode, buf.String())
		}
		if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			var v map[string]any
			if err := json.Unmarshal(buf.Bytes(), &v); err != nil {
				t.Fatal(err)
			}
			delete(v, "took_ms")
			out, _ := json.Marshal(v)
			return string(out)
		}
		return buf.String()
	}
	x, y := get(a), get(b)
	if x != y {
		t.Errorf("GET %s differs:\nthrough the API: %.600s\nimported:        %.600s", path, x, y)
		return false
	}
	return true
}
