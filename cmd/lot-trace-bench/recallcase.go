package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// benchRecallCase times opening mock recall cases (POST /api/v1/recalls) on n random lots:
// each is the recall and the exposure of the lot, walked complete, and the case, its scope
// snapshot and its (unenforced) holds written. Mock cases hold nothing, so the history's
// shipments are not refused afterwards; the cases stay in the database.
func benchRecallCase(ctx context.Context, base, file string, n int, seed uint64, out io.Writer) error {
	h, err := readHistory(file, "")
	if err != nil {
		return err
	}
	client := &http.Client{}
	r := rand.New(rand.NewPCG(seed, seed^0x16))
	lat := make([]time.Duration, 0, n)
	for i := 0; i < n; i++ {
		body, _ := json.Marshal(map[string]any{"lots": []string{h.lots[r.IntN(len(h.lots))]}, "kind": "mock", "reason": "lot-trace-bench"})
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/recalls", strings.NewReader(string(body)))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		start := time.Now()
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		answer, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			return fmt.Errorf("POST /api/v1/recalls: %d %s", res.StatusCode, truncate(answer))
		}
		lat = append(lat, time.Since(start))
	}
	fmt.Fprintf(out, "recall-case %d mock cases on random lots, 1 client: p50 %s  p99 %s  max %s\n", n, pct(lat, 50), pct(lat, 99), pct(lat, 100))
	return nil
}
