package test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

// A big records request is answered in bounded memory: some 40,000 shipment lines and the
// batches' lines, as JSON, CSV and XLSX, while the service's heap grows by a small part of
// the answer. Not parallel, so that no other test's allocations are counted.
func TestFSMARecordsBigInBoundedMemory(t *testing.T) {
	c := newAPI(t, api.Config{})
	const batches, shipments, lines = 500, 400, 100
	tg := loadLines(t, c, batches, shipments, lines)
	var lots []string
	for i := range batches {
		lots = append(lots, fmt.Sprintf("%sFG-%05d-A", tg, i), fmt.Sprintf("%sFG-%05d-B", tg, i))
	}
	q := "tlc=" + url.QueryEscape(strings.Join(lots, "|"))
	status, raw := c.do(http.MethodGet, "/api/v1/fsma/records?"+q, "", "")
	if status != http.StatusOK {
		t.Fatalf("records: %d %s", status, raw[:min(len(raw), 500)])
	}
	if n := strings.Count(string(raw), `"cte":"shipping"`); n < shipments*lines {
		t.Fatalf("records: %d shipment lines, want at least %d", n, shipments*lines)
	}
	for _, format := range []string{"json", "csv", "xlsx"} {
		stop := heapWatch()
		status, size := c.getCounted("/api/v1/fsma/records?" + q + "&format=" + format)
		peak := stop()
		t.Logf("%s: %d bytes, peak heap growth %.2f MiB (JSON answer %.2f MiB)", format, size, float64(peak)/(1<<20), float64(len(raw))/(1<<20))
		if status != http.StatusOK || size < 100_000 {
			t.Fatalf("%s: %d, %d bytes", format, status, size)
		}
		// The stream holds one fetch of driver records, a row and the writer's buffers: not the
		// answer. An XLSX also holds up to 16 MiB of each sheet's XML (excelize's share in
		// memory, in a buffer that grows by doubling; the trace export's test allows 34 MiB for
		// its one sheet), whatever its size: flat, not small. Here the Shipping tab is nearly
		// all of it, the other two small. CI, under the race detector, measured 52.5 MiB
		// here: the limit leaves room for that, and stays a fixed budget.
		limit := uint64(len(raw)) / 2
		if format == "xlsx" {
			limit = 64 << 20
		}
		if peak > limit {
			t.Errorf("%s: heap grew by %d bytes while answering, want under %d (the JSON answer is %d bytes)", format, peak, limit, len(raw))
		}
	}
}
