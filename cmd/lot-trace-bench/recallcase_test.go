package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRecallCaseModeOpensMockCases: the recall-case mode posts n mock cases on lots of the
// history and reports their latency; a refused case ends it with the answer.
func TestRecallCaseModeOpensMockCases(t *testing.T) {
	var opened atomic.Int32
	var refuse atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			Lots []string
			Kind string
		}
		if r.URL.Path != "/api/v1/recalls" || json.NewDecoder(r.Body).Decode(&body) != nil || body.Kind != "mock" || len(body.Lots) != 1 || refuse.Load() {
			http.Error(w, "refused", http.StatusUnprocessableEntity)
			return
		}
		opened.Add(1)
		w.WriteHeader(http.StatusCreated)
	}))
	defer srv.Close()
	file := filepath.Join(t.TempDir(), "h.ndjson")
	if err := os.WriteFile(file, []byte(`{"type": "receipt", "lot": {"code": "A"}}`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"recall-case", "-file", file, "-url", srv.URL, "-n", "7"}, &out); err != nil {
		t.Fatal(err)
	}
	if opened.Load() != 7 || !strings.Contains(out.String(), "recall-case 7 mock cases") {
		t.Errorf("opened %d: %s", opened.Load(), out.String())
	}
	refuse.Store(true)
	if err := run(context.Background(), []string{"recall-case", "-file", file, "-url", srv.URL}, &out); err == nil || !strings.Contains(err.Error(), "422") {
		t.Errorf("a refused case: %v", err)
	}
}
