package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"time"

	"github.com/lot-trace/lot-trace/epcis"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
)

// benchEPCIS measures an end-to-end EPCIS capture: the first n events of a generated history
// written as one EPCISDocument (the export's mapping, master data included), posted to
// POST /epcis/capture, and its job followed to its end. It reports the document's size, the
// time to the 202 (reading and validating it against GS1's schema) and to the job's end, the
// events a second, and the service's peak memory.
func benchEPCIS(ctx context.Context, base, file string, n int, behaviour string, pid int, out io.Writer) error {
	doc, events, err := epcisDocument(file, n)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "epcis: %d events, a %.1f MB document, behaviour %s\n", events, float64(len(doc))/1e6, behaviour)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/epcis/capture", bytes.NewReader(doc))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/ld+json")
	req.Header.Set("GS1-Capture-Error-Behaviour", behaviour)
	start := time.Now()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	accepted := time.Since(start)
	if res.StatusCode != http.StatusAccepted {
		return fmt.Errorf("POST /epcis/capture: %d %s", res.StatusCode, truncate(body))
	}
	loc := res.Header.Get("Location")
	var job struct {
		Running, Success bool
		Errors           []json.RawMessage
		Notes            []json.RawMessage
	}
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
		res, err := http.Get(base + loc)
		if err != nil {
			return err
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if err := json.Unmarshal(body, &job); err != nil {
			return fmt.Errorf("GET %s: %d %s", loc, res.StatusCode, truncate(body))
		}
		if !job.Running {
			break
		}
	}
	took := time.Since(start)
	fmt.Fprintf(out, "epcis: 202 after %s (read and validated); job ended after %s: success %v, %d errors, %d notes: %.0f events/s end to end\n",
		accepted.Round(time.Millisecond), took.Round(time.Millisecond), job.Success, len(job.Errors), len(job.Notes), float64(events)/took.Seconds())
	if pid > 0 {
		fmt.Fprintf(out, "epcis: service peak memory (VmHWM) %s\n", peakMemory(pid))
	}
	return nil
}

// epcisDocument writes the first n events of an NDJSON history as an EPCISDocument.
func epcisDocument(file string, n int) ([]byte, int, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var rows []graph.KDERow
	events := map[string]graph.Event{}
	for len(rows) < n && sc.Scan() {
		ev, err := ingest.DecodeEvent(sc.Bytes())
		if err != nil {
			return nil, 0, fmt.Errorf("%s: %w", file, err)
		}
		var row graph.KDERow
		var key string
		switch e := ev.(type) {
		case *graph.Receipt:
			row, key = graph.KDERow{CTE: graph.CTEReceiving, Lot: e.Lot.Code}, "receipt:"+string(e.Lot.Code)
		case *graph.Production:
			row, key = graph.KDERow{CTE: graph.CTETransformation, EventID: string(e.Batch.ID)}, "batch:"+string(e.Batch.ID)
		case *graph.Shipment:
			row, key = graph.KDERow{CTE: graph.CTEShipping, EventID: string(e.ID)}, "shipment:"+string(e.ID)
		}
		rows, events[key] = append(rows, row), ev
	}
	if err := sc.Err(); err != nil {
		return nil, 0, err
	}
	var doc bytes.Buffer
	err = epcis.Export(&doc, time.Now(), func(yield func(graph.KDERow) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}, epcis.Sources{Events: func(keys []string) (map[string]graph.Event, error) { return events, nil }})
	return doc.Bytes(), len(rows), err
}
