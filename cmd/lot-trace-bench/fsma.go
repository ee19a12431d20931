package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// benchFSMA measures the FDA records request and the completeness report on the history the
// service holds: it gives every product of the history a Food Traceability List category (PUT
// /api/v1/products), then times the XLSX of every record of the last `months` months of the
// history (the target: at least 250,000 rows in 15 s, memory flat) while sampling the
// service's resident memory, and the completeness report over the whole history (10 s).
func benchFSMA(ctx context.Context, base, file string, pid, months int, out io.Writer) error {
	products, first, last, err := historyProducts(file)
	if err != nil {
		return err
	}
	cats := []string{"shell_eggs", "nut_butters", "cheese_soft_ripened", "leafy_greens", "herbs"}
	for i, p := range products {
		body := fmt.Sprintf(`{"description": "%s", "ftl_category": "%s"}`, p, cats[i%len(cats)])
		if status, answer, err := call(ctx, http.MethodPut, base+"/api/v1/products/"+url.PathEscape(p), body); err != nil || status >= 300 {
			return fmt.Errorf("PUT product %s: %d %s %v", p, status, truncate(answer), err)
		}
	}
	from := last.AddDate(0, -months, 0)
	fmt.Fprintf(out, "fsma: history %s to %s, %d products given FTL categories; request: every product, %s to %s\n",
		first.Format(time.DateOnly), last.Format(time.DateOnly), len(products), from.Format(time.RFC3339), last.Format(time.RFC3339))

	q := url.Values{"product": {strings.Join(products, "|")}, "from": {from.Format(time.RFC3339)}, "to": {last.Format(time.RFC3339)}, "format": {"xlsx"}}
	before := rssKiB(pid)
	peak, stop := sampleRSS(pid)
	start := time.Now()
	res, err := http.Get(base + "/api/v1/fsma/records?" + q.Encode())
	if err != nil {
		stop()
		return err
	}
	n, err := io.Copy(io.Discard, res.Body)
	res.Body.Close()
	took := time.Since(start)
	stop()
	if err != nil || res.StatusCode != http.StatusOK {
		return fmt.Errorf("records: %d %v", res.StatusCode, err)
	}
	rows := loggedRows(ctx, base, res.Header.Get("X-Records-Request-Id"))
	fmt.Fprintf(out, "fsma records xlsx: %s rows, %.1f MB in %s (target: >= 250000 rows in <= 15 s); service RSS %d MiB before, peak %d MiB during\n",
		rows, float64(n)/1e6, took.Round(time.Millisecond), before/1024, *peak/1024)

	start = time.Now()
	status, body, err := call(ctx, http.MethodGet, base+"/api/v1/fsma/completeness", "")
	took = time.Since(start)
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("completeness: %d %s %v", status, truncate(body), err)
	}
	var rep struct {
		CTEs []struct {
			CTE     string  `json:"cte"`
			Records int     `json:"records"`
			Percent float64 `json:"percent_complete"`
		} `json:"ctes"`
	}
	_ = json.Unmarshal(body, &rep)
	var parts []string
	for _, c := range rep.CTEs {
		parts = append(parts, fmt.Sprintf("%s %d records %.2f%% complete", c.CTE, c.Records, c.Percent))
	}
	fmt.Fprintf(out, "fsma completeness, whole history: %s (target <= 10 s): %s\n", took.Round(time.Millisecond), strings.Join(parts, "; "))
	if pid > 0 {
		fmt.Fprintf(out, "fsma: service peak memory (VmHWM) so far %s\n", peakMemory(pid))
	}
	return nil
}

// historyProducts lists the history's product codes and the dates its events span.
func historyProducts(file string) (products []string, first, last time.Time, err error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, first, last, err
	}
	defer f.Close()
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var ev struct {
			Lot        struct{ Product string }
			Outputs    []struct{ Product string }
			ReceivedAt time.Time `json:"received_at"`
			ProducedAt time.Time `json:"produced_at"`
			ShippedAt  time.Time `json:"shipped_at"`
		}
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			continue
		}
		for _, p := range append([]struct{ Product string }{ev.Lot}, ev.Outputs...) {
			if p.Product != "" && !seen[p.Product] {
				seen[p.Product] = true
				products = append(products, p.Product)
			}
		}
		for _, t := range []time.Time{ev.ReceivedAt, ev.ProducedAt, ev.ShippedAt} {
			if t.IsZero() {
				continue
			}
			if first.IsZero() || t.Before(first) {
				first = t
			}
			if t.After(last) {
				last = t
			}
		}
	}
	slices.Sort(products)
	return products, first, last, sc.Err()
}

func call(ctx context.Context, method, u, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, b, err
}

// loggedRows reads the request's row counts from the requests log.
func loggedRows(ctx context.Context, base, id string) string {
	_, body, err := call(ctx, http.MethodGet, base+"/api/v1/fsma/requests?limit=20", "")
	if err != nil {
		return "?"
	}
	var list struct {
		Requests []struct {
			ID   string         `json:"id"`
			Rows map[string]int `json:"rows"`
		} `json:"requests"`
	}
	_ = json.Unmarshal(body, &list)
	for _, r := range list.Requests {
		if r.ID == id {
			return fmt.Sprintf("%d (shipping %d, receiving %d, transformation %d)", r.Rows["total"], r.Rows["shipping"], r.Rows["receiving"], r.Rows["transformation"])
		}
	}
	return "?"
}

// rssKiB is the process's resident memory in KiB, 0 without a pid.
func rssKiB(pid int) int {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			if len(f) >= 2 {
				n, _ := strconv.Atoi(f[1])
				return n
			}
		}
	}
	return 0
}

// sampleRSS records the highest resident memory of the process every 50 ms until stopped.
func sampleRSS(pid int) (*int, func()) {
	peak := new(int)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if r := rssKiB(pid); r > *peak {
				*peak = r
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	return peak, func() { close(done); wg.Wait() }
}
