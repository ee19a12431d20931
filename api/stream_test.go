package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// failingStore is a small fake of the store's streaming reads (the integration tests use a
// real Neo4j): it hands over `nodes` nodes, or `rows` spreadsheet rows, and then fails as a
// database dropping the connection would; or a recall's `lines` shipment lines. Any other
// method is not expected here (nil Store).
type failingStore struct {
	Store
	nodes, rows, lines int
}

var errDropped = &graph.Error{Code: graph.EUNAVAILABLE, Message: "database unavailable", Err: errors.New("connection reset")}

func (f failingStore) StreamTrace(_ context.Context, code graph.LotCode, _ graph.Direction, _ graph.Bounds, _ graph.TraceParts, sink graph.TraceSink) error {
	r := &graph.Reach{Lots: []string{string(code)}, Batches: []string{}, Suppliers: []string{}, Customers: []string{}}
	if err := sink.Reached(r); err != nil {
		return err
	}
	for i := range f.nodes {
		key := fmt.Sprintf("LOT-%06d", i)
		n := graph.Node{ID: graph.NewNodeID(graph.KindLot, key), Kind: graph.KindLot, Key: key,
			Lot: &graph.LotRecord{Code: graph.LotCode(key), Description: strings.Repeat("flour ", 20)}}
		if err := sink.Node(n); err != nil {
			return err
		}
	}
	return errDropped
}

func (f failingStore) StreamRecall(_ context.Context, code graph.LotCode, _ graph.Bounds, sink graph.RecallSink) error {
	empty := &graph.Reach{Lots: []string{}, Batches: []string{}, Suppliers: []string{}, Customers: []string{}}
	affected := &graph.Reach{Lots: []string{string(code)}, Batches: []string{}, Suppliers: []string{}, Customers: []string{"CUST-1"}}
	if err := sink.Reached(&graph.RecallKeys{Lot: code, SourceBatches: []string{}, Ingredients: empty, Affected: affected}); err != nil {
		return err
	}
	for i := range f.lines {
		l := graph.ShipmentLine{ID: graph.ShipmentID(fmt.Sprintf("SH-%06d", i)), Line: 1, Lot: code, Customer: graph.Customer{ID: "CUST-1"},
			Quantity: graph.Quantity{Amount: 10, Unit: "case"}, ShippedAt: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)}
		if err := sink.Shipment(l); err != nil {
			return err
		}
	}
	return errDropped
}

func (f failingStore) TraceReach(_ context.Context, code graph.LotCode, dir graph.Direction, _ graph.Bounds) (*graph.TraceReach, error) {
	r := &graph.Reach{Lots: []string{string(code)}}
	return &graph.TraceReach{Reach: r, Back: r}, nil
}

func (f failingStore) StreamKDERows(_ context.Context, _ graph.KDEScope, yield func(graph.KDERow) error) error {
	for i := range f.rows {
		if err := yield(graph.KDERow{CTE: graph.CTEReceiving, EventID: fmt.Sprint(i), Lot: graph.LotCode(fmt.Sprintf("LOT-%06d", i)),
			Description: strings.Repeat("flour ", 20)}); err != nil {
			return err
		}
	}
	return errDropped
}

// syncBuffer is a log the server writes while the test reads it. The cut is logged before the
// connection closes, so it is there once the client has read the broken body.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// A streamed answer that fails after its first bytes went out cannot turn into a problem
// document: the connection is cut, so the client sees a broken body, never a short one that
// looks whole. One that fails before anything went out is an ordinary problem document.
func TestStreamFailureCutsTheAnswer(t *testing.T) {
	for _, tt := range []struct {
		name        string
		store       failingStore
		path        string
		wantStatus  int
		wantBroken  bool
		wantProblem bool
	}{
		{"trace failing after 2,000 nodes", failingStore{nodes: 2000}, "/api/v1/lots/FG-1/trace", http.StatusOK, true, false},
		{"trace failing at once", failingStore{nodes: 0}, "/api/v1/lots/FG-1/trace", http.StatusServiceUnavailable, false, true},
		{"CSV failing after 2,000 rows", failingStore{rows: 2000}, "/api/v1/lots/FG-1/trace?format=csv", http.StatusOK, true, false},
		{"CSV failing at once", failingStore{rows: 0}, "/api/v1/lots/FG-1/trace?format=csv", http.StatusServiceUnavailable, false, true},
		{"recall failing after 2,000 shipment lines", failingStore{lines: 2000}, "/api/v1/lots/FG-1/recall", http.StatusOK, true, false},
		{"recall failing at once", failingStore{lines: 0}, "/api/v1/lots/FG-1/recall", http.StatusServiceUnavailable, false, true},
		// The XLSX is only sent once every row is in: a failure is always a problem document.
		{"XLSX failing after 2,000 rows", failingStore{rows: 2000}, "/api/v1/lots/FG-1/trace?format=xlsx", http.StatusServiceUnavailable, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			srv := httptest.NewServer(NewServer(tt.store, slog.New(slog.NewTextHandler(&logs, nil)), Config{}))
			defer srv.Close()
			res, err := http.Get(srv.URL + tt.path)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, readErr := io.ReadAll(res.Body)
			if res.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, tt.wantStatus, body[:min(len(body), 300)])
			}
			if tt.wantBroken {
				if !errors.Is(readErr, io.ErrUnexpectedEOF) {
					t.Errorf("reading the body: %v after %d bytes, want an unexpected EOF (a cut connection)", readErr, len(body))
				}
				if len(body) == 0 {
					t.Error("nothing was sent before the cut")
				}
				if !strings.Contains(logs.String(), "answer cut short") {
					t.Errorf("the cut is not logged: %s", logs.String())
				}
			} else if readErr != nil {
				t.Errorf("reading the body: %v", readErr)
			}
			if tt.wantProblem {
				var p problem
				if err := json.Unmarshal(body, &p); err != nil || p.Status != tt.wantStatus || res.Header.Get("Content-Type") != "application/problem+json" {
					t.Errorf("want a problem document, got %s %q (%v)", res.Header.Get("Content-Type"), body, err)
				}
				if res.Header.Get("Content-Disposition") != "" {
					t.Errorf("a problem document named as a download: %q", res.Header.Get("Content-Disposition"))
				}
			}
		})
	}
}
