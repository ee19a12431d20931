package test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/test/testdb"
)

// BenchmarkAuditedLookup times one audited call (GET /api/v1/lots/{code}, one sequential
// client) with no trail, the file, and the trail in Neo4j (two more write transactions a
// call): what LOT_TRACE_AUDIT_SINKS=neo4j costs. Run it on a quiet machine:
//
//	go test ./test -run '^$' -bench BenchmarkAuditedLookup -benchtime 2000x
func BenchmarkAuditedLookup(b *testing.B) {
	if shared.err != nil {
		testdb.Unavailable(b, shared.err)
	}
	store := shared.store
	lot := "BENCH-AUDIT-" + time.Now().UTC().Format("20060102T150405.000000000")
	setup := httptest.NewServer(api.NewServer(store, quietLogger(), api.Config{}))
	res, err := http.Post(setup.URL+"/api/v1/receipts", "application/json", strings.NewReader(`{"lot": {"code": "`+lot+`", "product": "P", "quantity": 1, "unit": "kg"},
		"supplier": {"id": "BENCH-SUP", "location": "X"}, "received_at": "2026-10-01T07:00:00Z", "location": "BAKERY-1", "reference": {"type": "PO", "number": "1"}}`))
	setup.Close()
	if err != nil || res.StatusCode != http.StatusCreated {
		b.Fatalf("the lot: %v %v", err, res)
	}
	file, err := audit.Open(filepath.Join(b.TempDir(), "audit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer file.Close()
	for _, sink := range []struct {
		name  string
		trail api.AuditTrail
	}{
		{"none", nil},
		{"file", file},
		{"neo4j", audit.NewShared(store, 10*time.Second)},
	} {
		b.Run("sink="+sink.name, func(b *testing.B) {
			srv := httptest.NewServer(api.NewServer(store, quietLogger(), api.Config{Audit: sink.trail}))
			defer srv.Close()
			url := srv.URL + "/api/v1/lots/" + lot
			b.ResetTimer()
			for range b.N {
				res, err := http.Get(url)
				if err != nil {
					b.Fatal(err)
				}
				_, _ = io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: %d", url, res.StatusCode)
				}
			}
		})
	}
}
