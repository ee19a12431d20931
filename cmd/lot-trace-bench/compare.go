package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// compareConfig is what the compare benchmark runs against and how much.
type compareConfig struct {
	base, dsn, file string
	n               int    // random lots per direction
	clients         int    // concurrent clients of each side in the throughput run
	perClient       int    // traces each throughput client runs
	seed            uint64 // picks the lots
	phases          string // pairs, hub, throughput
	csvFile         string // where the pairs go, one line each
	deepPrefix      string // the code prefix of the deep chain's lots (the starter)
	deepForward     int    // deep lots traced forward and both ways: an even sample of this many; 0: all
	deepBackward    int    // deep lots traced backward: an even sample of this many; 0: all
	pid             int    // the service's process id, for its peak memory
}

// pair is one lot traced in one direction by both sides, one right after the other.
type pair struct {
	direction, lot, kind string // kind: random, hub or deep
	service, cte         time.Duration
	serviceLots, cteLots int
	truncated            bool // the service said a bound cut its answer
	diffs                []listDiff
}

// serviceSummary is the service's view=summary answer: the four lists and whether a bound cut them.
type serviceSummary struct {
	summary
	Truncated bool   `json:"truncated"`
	CutBy     string `json:"cut_by"`
}

// benchCompare traces the same lots with the service and with the recursive CTE in
// PostgreSQL, pair by pair, then the hub's forward trace, then the throughput of both.
func benchCompare(ctx context.Context, cfg compareConfig, out io.Writer) error {
	h, err := readHistory(cfg.file, cfg.deepPrefix)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "compare: %d lots; hub %s (in %d batches); %d lots named %s*\n", len(h.lots), h.hub, h.hubCount, len(h.deep), cfg.deepPrefix)
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.clients * 2}}
	pg, err := newPGTracer(ctx, cfg.dsn)
	if err != nil {
		return fmt.Errorf("compare: %w", err)
	}
	defer pg.Close()

	// Warm up both sides alike: pools, plans and caches.
	r := rand.New(rand.NewPCG(cfg.seed, cfg.seed))
	for i := 0; i < 200; i++ {
		lot := h.lots[r.IntN(len(h.lots))]
		if _, err := get(ctx, client, cfg.base+tracePath(lot, "both")+"&view=summary"); err != nil {
			return err
		}
		if _, err := pg.summary(ctx, lot, "both"); err != nil {
			return err
		}
	}
	run := func(phase string) bool { return strings.Contains(cfg.phases, phase) }
	if run("pairs") {
		var all []pair
		for _, dir := range []string{"backward", "forward", "both"} {
			limit := cfg.deepForward
			if dir == "backward" {
				limit = cfg.deepBackward
			}
			pairs, err := comparePairs(ctx, client, pg, cfg.base, dir, compareTargets(h, r, cfg.n, limit), out)
			if err != nil {
				return err
			}
			all = append(all, pairs...)
		}
		if cfg.csvFile != "" {
			if err := writePairs(cfg.csvFile, all); err != nil {
				return err
			}
			fmt.Fprintf(out, "compare: %d pairs written to %s\n", len(all), cfg.csvFile)
		}
	}
	if run("hub") {
		if h.hub != "" {
			if err := compareOne(ctx, client, pg, cfg.base, "hub", h.hub, "forward", out); err != nil {
				return err
			}
		}
		// The deep chain's last lot has the longest genealogy behind it.
		if len(h.deep) > 0 {
			if err := compareOne(ctx, client, pg, cfg.base, "deepest", h.deep[len(h.deep)-1], "backward", out); err != nil {
				return err
			}
		}
		if cfg.pid > 0 {
			fmt.Fprintf(out, "service peak memory (VmHWM) so far %s\n", peakMemory(cfg.pid))
		}
	}
	if run("throughput") {
		return compareThroughput(ctx, client, cfg, h, out)
	}
	return nil
}

// target is a lot to trace and why it was chosen.
type target struct{ lot, kind string }

// compareTargets is n random lots, then the hub lot and the lots of the deep chain: every one,
// or with deepLimit > 0 an evenly spaced sample of that many, the first and the last included.
// (Forward from an early starter lot reaches most of the history, and a starter fed for years
// has thousands of lots: tracing every one forward on both sides would take hours.)
func compareTargets(h *history, r *rand.Rand, n, deepLimit int) []target {
	ts := make([]target, 0, n+1+len(h.deep))
	for i := 0; i < n; i++ {
		ts = append(ts, target{h.lots[r.IntN(len(h.lots))], "random"})
	}
	if h.hub != "" {
		ts = append(ts, target{h.hub, "hub"})
	}
	for _, lot := range evenSample(h.deep, deepLimit) {
		ts = append(ts, target{lot, "deep"})
	}
	return ts
}

// evenSample answers k members of xs evenly spaced, the first and the last included; all of
// xs when k is 0 or at least len(xs).
func evenSample(xs []string, k int) []string {
	if k <= 0 || k >= len(xs) {
		return xs
	}
	if k == 1 {
		return xs[len(xs)-1:]
	}
	out := make([]string, 0, k)
	for i := 0; i < k; i++ {
		out = append(out, xs[i*(len(xs)-1)/(k-1)])
	}
	return out
}

// comparePairs traces each target both ways, one client each side, the two requests right
// after one another, alternating which goes first so that neither always follows the other.
func comparePairs(ctx context.Context, client *http.Client, pg *pgTracer, base, dir string, targets []target, out io.Writer) ([]pair, error) {
	pairs := make([]pair, 0, len(targets))
	for i, t := range targets {
		p := pair{direction: dir, lot: t.lot, kind: t.kind}
		var svc serviceSummary
		var cte summary
		timeService := func() error {
			start := time.Now()
			body, err := get(ctx, client, base+tracePath(t.lot, dir)+"&view=summary")
			p.service = time.Since(start)
			if err != nil {
				return err
			}
			return json.Unmarshal(body, &svc)
		}
		timeCTE := func() (err error) {
			start := time.Now()
			cte, err = pg.summary(ctx, t.lot, dir)
			p.cte = time.Since(start)
			return err
		}
		first, second := timeService, timeCTE
		if i%2 == 1 {
			first, second = timeCTE, timeService
		}
		if err := first(); err != nil {
			return nil, err
		}
		if err := second(); err != nil {
			return nil, err
		}
		p.serviceLots, p.cteLots, p.truncated = len(svc.Lots), len(cte.Lots), svc.Truncated
		p.diffs = diffSummaries(svc.summary, cte)
		pairs = append(pairs, p)
	}
	reportPairs(dir, pairs, out)
	return pairs, nil
}

// reportPairs prints, for random lots and for the hub and deep lots apart, both sides'
// latencies and their ratio, then how many answers differ and the first few differences.
func reportPairs(dir string, pairs []pair, out io.Writer) {
	byKind := map[string][]pair{}
	for _, p := range pairs {
		k := p.kind
		if k == "hub" {
			k = "deep" // one hub lot: reported with the other special lots
		}
		byKind[k] = append(byKind[k], p)
	}
	for _, k := range []string{"random", "deep"} {
		ps := byKind[k]
		if len(ps) == 0 {
			continue
		}
		var svc, cte []time.Duration
		var ratios []float64
		slowest := ps[0]
		for _, p := range ps {
			svc = append(svc, p.service)
			cte = append(cte, p.cte)
			ratios = append(ratios, ratio(p.service, p.cte))
			if p.service > slowest.service {
				slowest = p
			}
		}
		name := fmt.Sprintf("%d random lots", len(ps))
		if k == "deep" {
			name = fmt.Sprintf("%d hub+deep lots", len(ps))
		}
		sort.Float64s(ratios)
		fmt.Fprintf(out, "pairs %-8s %-18s service p50 %-8s p99 %-8s max %-8s | CTE p50 %-8s p99 %-8s max %-8s | service/CTE p50 %.2f p99 %.2f, per pair median %.2f\n",
			dir, name+":", pct(svc, 50), pct(svc, 99), pct(svc, 100), pct(cte, 50), pct(cte, 99), pct(cte, 100),
			ratio(pct(svc, 50), pct(cte, 50)), ratio(pct(svc, 99), pct(cte, 99)), ratios[len(ratios)/2])
		fmt.Fprintf(out, "pairs %-8s %-18s slowest for the service: %s (%s, %d lots): service %s, CTE %s\n",
			dir, "", slowest.lot, slowest.kind, slowest.serviceLots, slowest.service.Round(10*time.Microsecond), slowest.cte.Round(10*time.Microsecond))
	}
	var differ, truncated, wrong int
	var cut, notCut []pair
	for _, p := range pairs {
		if p.truncated {
			truncated++
		}
		if len(p.diffs) == 0 {
			continue
		}
		differ++
		if p.truncated {
			cut = append(cut, p)
		} else {
			wrong++
			notCut = append(notCut, p)
		}
	}
	fmt.Fprintf(out, "pairs %-8s answers: %d compared, %d differ (%d of them not cut by a bound), %d cut short by the service (truncated)\n",
		dir, len(pairs), differ, wrong, truncated)
	// The differences nothing explains come first: a cut answer is expected to lack lots.
	for _, p := range append(notCut, cut...)[:min(5, differ)] {
		fmt.Fprintf(out, "  differs %s %s (%s, truncated %v): %s\n", dir, p.lot, p.kind, p.truncated, describeDiffs(p.diffs, 3))
	}
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// writePairs writes every pair to a CSV file, latencies in microseconds.
func writePairs(file string, pairs []pair) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"direction", "lot", "kind", "service_us", "cte_us", "service_over_cte", "service_lots", "cte_lots", "truncated", "same"})
	us := func(d time.Duration) string { return strconv.FormatInt(d.Microseconds(), 10) }
	for _, p := range pairs {
		_ = w.Write([]string{p.direction, p.lot, p.kind, us(p.service), us(p.cte), strconv.FormatFloat(ratio(p.service, p.cte), 'f', 3, 64),
			strconv.Itoa(p.serviceLots), strconv.Itoa(p.cteLots), strconv.FormatBool(p.truncated), strconv.FormatBool(len(p.diffs) == 0)})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// compareOne times one lot's trace in one direction on both sides, as a summary and as the
// full answer, five times each, and compares the summaries: the hub's forward trace (the
// widest) and the deepest lot's backward trace (the longest).
func compareOne(ctx context.Context, client *http.Client, pg *pgTracer, base, name, lot, dir string, out io.Writer) error {
	const times = 5
	path := base + tracePath(lot, dir)
	var svcSum, svcFull, cteSum, cteFull []time.Duration
	var svc serviceSummary
	var cte summary
	var fullBytes int
	var cteAnswer fullAnswer
	for i := 0; i < times; i++ {
		start := time.Now()
		body, err := get(ctx, client, path+"&view=summary")
		if err != nil {
			return err
		}
		svcSum = append(svcSum, time.Since(start))
		if err := json.Unmarshal(body, &svc); err != nil {
			return err
		}

		start = time.Now()
		if cte, err = pg.summary(ctx, lot, dir); err != nil {
			return err
		}
		cteSum = append(cteSum, time.Since(start))

		start = time.Now()
		if body, err = get(ctx, client, path); err != nil {
			return err
		}
		svcFull = append(svcFull, time.Since(start))
		fullBytes = len(body)

		start = time.Now()
		if cteAnswer, err = pg.full(ctx, lot, dir); err != nil {
			return err
		}
		cteFull = append(cteFull, time.Since(start))
	}
	label := name + " " + dir
	fmt.Fprintf(out, "%s %s: %d lots, %d batches, %d suppliers, %d customers (service truncated %v)\n",
		label, lot, len(svc.Lots), len(svc.Batches), len(svc.Suppliers), len(svc.Customers), svc.Truncated)
	fmt.Fprintf(out, "%s summary:     service %-8s CTE %-8s service/CTE %.2f  (median of %d)\n",
		label, pct(svcSum, 50), pct(cteSum, 50), ratio(pct(svcSum, 50), pct(cteSum, 50)), times)
	fmt.Fprintf(out, "%s full answer: service %-8s CTE %-8s service/CTE %.2f  (service %d bytes of JSON; CTE %d nodes, %d links, %d bytes of rows)\n",
		label, pct(svcFull, 50), pct(cteFull, 50), ratio(pct(svcFull, 50), pct(cteFull, 50)), fullBytes, cteAnswer.nodes, cteAnswer.edges, cteAnswer.bytes)
	if d := diffSummaries(svc.summary, cte); len(d) > 0 {
		fmt.Fprintf(out, "%s answers differ: %s\n", label, describeDiffs(d, 3))
	} else {
		fmt.Fprintf(out, "%s answers agree\n", label)
	}
	return nil
}

// compareThroughput runs cfg.clients clients at once on each side in turn, each tracing
// random lots in both directions, complete: full answers, then summaries.
func compareThroughput(ctx context.Context, client *http.Client, cfg compareConfig, h *history, out io.Writer) error {
	for _, view := range []string{"full", "summary"} {
		svc, err := throughput(cfg.clients, cfg.perClient, cfg.seed, h, func(int) (func(string) error, func(), error) {
			suffix := ""
			if view == "summary" {
				suffix = "&view=summary"
			}
			return func(lot string) error {
				_, err := get(ctx, client, cfg.base+tracePath(lot, "both")+suffix)
				return err
			}, func() {}, nil
		})
		if err != nil {
			return err
		}
		cte, err := throughput(cfg.clients, cfg.perClient, cfg.seed, h, func(int) (func(string) error, func(), error) {
			pg, err := newPGTracer(ctx, cfg.dsn)
			if err != nil {
				return nil, nil, err
			}
			return func(lot string) error {
				if view == "summary" {
					_, err := pg.summary(ctx, lot, "both")
					return err
				}
				_, err := pg.full(ctx, lot, "both")
				return err
			}, pg.Close, nil
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "throughput %-8s %d clients x %d traces (both directions, no bound set): service %.0f/s, CTE %.0f/s, service/CTE %.2f\n",
			view+":", cfg.clients, cfg.perClient, svc, cte, svc/cte)
	}
	return nil
}

// throughput runs clients at once, each made by open, each tracing perClient random lots (the
// same lots for both sides), and answers traces per second.
func throughput(clients, perClient int, seed uint64, h *history, open func(c int) (func(lot string) error, func(), error)) (float64, error) {
	traces := make([]func(string) error, clients)
	for c := range traces {
		trace, closeFn, err := open(c)
		if err != nil {
			return 0, err
		}
		defer closeFn()
		traces[c] = trace
	}
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	start := time.Now()
	for c, trace := range traces {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc := rand.New(rand.NewPCG(seed, uint64(c)+200))
			for i := 0; i < perClient; i++ {
				if err := trace(h.lots[rc.IntN(len(h.lots))]); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return float64(clients*perClient) / time.Since(start).Seconds(), nil
}
