// Command lot-trace-bench measures a running lot-trace service over HTTP: the bulk ingest rate
// of a generated history, and trace and recall latency and throughput on it. It also loads the
// same history into PostgreSQL and compares the service, lot by lot, with the recursive CTE a
// user would otherwise write (docs/bench.md).
package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lot-trace-bench:", err)
		os.Exit(1)
	}
}

const usage = `usage: lot-trace-bench ingest  -file HISTORY.ndjson [-url URL] [-pid SERVICE_PID]
       lot-trace-bench trace   -file HISTORY.ndjson [-url URL] [-n 10000] [-clients 8]
       lot-trace-bench pg-load -file HISTORY.ndjson -pg DSN
       lot-trace-bench compare -file HISTORY.ndjson -pg DSN [-url URL] [-n 3000] [-clients 4] [-csv PAIRS.csv]
       lot-trace-bench recall-case -file HISTORY.ndjson [-url URL] [-n 100]
       lot-trace-bench fsma    -file HISTORY.ndjson [-url URL] [-pid SERVICE_PID] [-months 3]
       lot-trace-bench epcis   -file HISTORY.ndjson [-url URL] [-events 100000] [-behaviour rollback|proceed] [-pid SERVICE_PID]`

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet(args[0], flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "the service")
	file := fs.String("file", "", "the generated history (NDJSON) the service holds or is to load")
	pid := fs.Int("pid", 0, "the service's process id, to report its peak memory")
	n := fs.Int("n", 10000, "traces (and recalls) to time, on random lots")
	clients := fs.Int("clients", 8, "concurrent clients for the throughput run")
	seed := fs.Uint64("seed", 1, "seed for choosing lots")
	phases := fs.String("phases", "", "which parts to run (trace: latency,hub,throughput; compare: pairs,hub,throughput); empty: all")
	dsn := fs.String("pg", "", "the PostgreSQL comparator (pg-load, compare), as a pgx connection string")
	csvFile := fs.String("csv", "", "compare: write every pair of latencies to this CSV file")
	deepPrefix := fs.String("deep-prefix", "STARTER-", "compare: also trace every lot whose code starts with this (the deep chain)")
	deepForward := fs.Int("deep-forward", 100, "compare: deep-chain lots traced forward and both ways, evenly spaced (0: every one)")
	deepBackward := fs.Int("deep-backward", 0, "compare: deep-chain lots traced backward, evenly spaced (0: every one)")
	perClient := fs.Int("per-client", 2000, "traces each client runs in a throughput run")
	months := fs.Int("months", 3, "fsma: the records request covers the history's last this many months")
	epcisEvents := fs.Int("events", 100000, "epcis: the events of the captured document (the history's first ones)")
	behaviour := fs.String("behaviour", "proceed", "epcis: GS1-Capture-Error-Behaviour, rollback or proceed")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *file == "" {
		return errors.New("-file is required\n" + usage)
	}
	if *dsn == "" && (args[0] == "pg-load" || args[0] == "compare") {
		return errors.New("-pg is required\n" + usage)
	}
	switch args[0] {
	case "ingest":
		return benchIngest(ctx, *base, *file, *pid, out)
	case "trace":
		return benchTrace(ctx, *base, *file, *n, *clients, *perClient, *seed, orAll(*phases, "latency,hub,throughput"), out)
	case "recall-case":
		cases := 100 // each leaves a case in the database: fewer than the traces' default
		fs.Visit(func(f *flag.Flag) {
			if f.Name == "n" {
				cases = *n
			}
		})
		return benchRecallCase(ctx, *base, *file, cases, *seed, out)
	case "pg-load":
		return pgLoad(ctx, *dsn, *file, out)
	case "fsma":
		return benchFSMA(ctx, *base, *file, *pid, *months, out)
	case "epcis":
		return benchEPCIS(ctx, *base, *file, *epcisEvents, *behaviour, *pid, out)
	case "compare":
		return benchCompare(ctx, compareConfig{base: *base, dsn: *dsn, file: *file, n: *n, clients: *clients, perClient: *perClient,
			seed: *seed, phases: orAll(*phases, "pairs,hub,throughput"), csvFile: *csvFile, deepPrefix: *deepPrefix, deepForward: *deepForward, deepBackward: *deepBackward, pid: *pid}, out)
	default:
		return errors.New(usage)
	}
}

// benchIngest posts the whole file to /api/v1/events in one streamed request.
func benchIngest(ctx context.Context, base, file string, pid int, out io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	info, _ := f.Stat()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/events", bufio.NewReaderSize(f, 1<<20))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.ContentLength = info.Size()
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	var answer struct {
		Accepted, Unchanged int
		Rejected            []json.RawMessage
	}
	body, _ := io.ReadAll(res.Body)
	took := time.Since(start)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("POST /api/v1/events: %d %s", res.StatusCode, truncate(body))
	}
	if err := json.Unmarshal(body, &answer); err != nil {
		return err
	}
	events := answer.Accepted + answer.Unchanged + len(answer.Rejected)
	fmt.Fprintf(out, "ingest: %d events (%d accepted, %d unchanged, %d rejected) from %.0f MB in %s: %.0f events/s\n",
		events, answer.Accepted, answer.Unchanged, len(answer.Rejected), float64(info.Size())/1e6, took.Round(time.Millisecond), float64(events)/took.Seconds())
	if pid > 0 {
		fmt.Fprintf(out, "ingest: service peak memory (VmHWM) %s\n", peakMemory(pid))
	}
	return nil
}

func orAll(phases, all string) string {
	if phases == "" {
		return all
	}
	return phases
}

func peakMemory(pid int) string {
	status, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return "unknown: " + err.Error()
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			return strings.Join(strings.Fields(strings.TrimPrefix(line, "VmHWM:")), " ")
		}
	}
	return "unknown"
}

// history is what the benchmark needs to know of the generated file: every lot code, the lot
// consumed in the most batches (the hub ingredient), and the lots of the deep chain.
type history struct {
	lots     []string
	hub      string
	hubCount int
	deep     []string // the lots whose code starts with the deep prefix, in file order
}

// readHistory reads the generated file; deepPrefix ("" for none) picks the deep chain's lots.
func readHistory(file, deepPrefix string) (*history, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := &history{}
	uses := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var ev struct {
			Type            string
			Lot             struct{ Code string }
			Inputs, Outputs []struct {
				Lot, Code string
			}
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			return nil, err
		}
		switch ev.Type {
		case "receipt":
			h.lots = append(h.lots, ev.Lot.Code)
			if deepPrefix != "" && strings.HasPrefix(ev.Lot.Code, deepPrefix) {
				h.deep = append(h.deep, ev.Lot.Code)
			}
		case "production":
			for _, in := range ev.Inputs {
				uses[in.Lot]++
			}
			for _, o := range ev.Outputs {
				h.lots = append(h.lots, o.Code)
				if deepPrefix != "" && strings.HasPrefix(o.Code, deepPrefix) {
					h.deep = append(h.deep, o.Code)
				}
			}
		}
	}
	for lot, n := range uses {
		if n > h.hubCount || (n == h.hubCount && lot < h.hub) {
			h.hub, h.hubCount = lot, n
		}
	}
	return h, sc.Err()
}

// benchTrace times traces and recalls of random lots, one client at a time (latency), then
// with several clients at once (throughput), and the forward trace of the hub ingredient.
func benchTrace(ctx context.Context, base, file string, n, clients, perClient int, seed uint64, phases string, out io.Writer) error {
	h, err := readHistory(file, "")
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "history: %d lots; hub ingredient %s consumed in %d batches\n", len(h.lots), h.hub, h.hubCount)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients * 2}}
	r := rand.New(rand.NewPCG(seed, seed))
	pick := func() string { return h.lots[r.IntN(len(h.lots))] }

	// Warm up the service, the driver's pool and Neo4j's page cache and query plans.
	for i := 0; i < 200; i++ {
		if _, err := get(ctx, client, base+tracePath(pick(), "both")); err != nil {
			return err
		}
	}
	run := func(phase string) bool { return strings.Contains(phases, phase) }
	for _, kind := range []string{"backward", "forward", "both", "recall"} {
		if !run("latency") {
			break
		}
		lat := make([]time.Duration, 0, n)
		for i := 0; i < n; i++ {
			path := tracePath(pick(), kind)
			if kind == "recall" {
				path = "/api/v1/lots/" + url.PathEscape(pick()) + "/recall"
			}
			start := time.Now()
			if _, err := get(ctx, client, base+path); err != nil {
				return err
			}
			lat = append(lat, time.Since(start))
		}
		fmt.Fprintf(out, "%-9s %d random lots, 1 client: p50 %s  p99 %s  max %s\n", kind, n, pct(lat, 50), pct(lat, 99), pct(lat, 100))
	}

	if run("hub") {
		if err := benchHub(ctx, client, base, h, out); err != nil {
			return err
		}
	}
	if !run("throughput") {
		return nil
	}
	return benchThroughput(ctx, client, base, h, clients, perClient, seed, out)
}

// benchHub times the hub ingredient's forward trace (every batch it went into, and on), in
// full and as a summary, and its recall, five times each.
func benchHub(ctx context.Context, client *http.Client, base string, h *history, out io.Writer) error {
	for _, q := range []struct{ name, path string }{
		{"forward trace", tracePath(h.hub, "forward")},
		{"forward trace, view=summary", tracePath(h.hub, "forward") + "&view=summary"},
		{"recall", "/api/v1/lots/" + url.PathEscape(h.hub) + "/recall"},
	} {
		var lat []time.Duration
		var body []byte
		for i := 0; i < 5; i++ {
			start := time.Now()
			b, err := get(ctx, client, base+q.path)
			if err != nil {
				return err
			}
			lat = append(lat, time.Since(start))
			body = b
		}
		var t struct {
			Nodes         []json.RawMessage
			Lots, Batches []string
			Customers     []string
			Affected      struct{ Lots, Customers []string }
		}
		_ = json.Unmarshal(body, &t)
		fmt.Fprintf(out, "hub %s of %s: %d nodes, %d lots, %d customers, %d bytes: median %s over 5\n",
			q.name, h.hub, len(t.Nodes), len(t.Lots)+len(t.Affected.Lots), len(t.Customers)+len(t.Affected.Customers), len(body), pct(lat, 50))
	}
	return nil
}

// benchThroughput runs clients in parallel, each tracing random lots (both directions).
func benchThroughput(ctx context.Context, client *http.Client, base string, h *history, clients, perClient int, seed uint64, out io.Writer) error {
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	start := time.Now()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rc := rand.New(rand.NewPCG(seed, uint64(c)+100))
			for i := 0; i < perClient; i++ {
				if _, err := get(ctx, client, base+tracePath(h.lots[rc.IntN(len(h.lots))], "both")); err != nil {
					errs <- err
					return
				}
			}
		}(c)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Fprintf(out, "throughput: %d clients x %d traces (both): %.0f traces/s\n", clients, perClient, float64(clients*perClient)/took.Seconds())
	return nil
}

func tracePath(lot, direction string) string {
	return "/api/v1/lots/" + url.PathEscape(lot) + "/trace?direction=" + direction
}

func get(ctx context.Context, client *http.Client, u string) ([]byte, error) {
	if !strings.HasPrefix(u, "http") {
		return nil, fmt.Errorf("bad url %q", u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	res, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", u, res.StatusCode, truncate(body))
	}
	return body, nil
}

func pct(d []time.Duration, p int) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	i := (len(s)*p + 99) / 100
	if i < 1 {
		i = 1
	}
	return s[i-1].Round(10 * time.Microsecond)
}

func truncate(b []byte) string {
	b = bytes.TrimSpace(b)
	if len(b) > 300 {
		b = b[:300]
	}
	return string(b)
}
