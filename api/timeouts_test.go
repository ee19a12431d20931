package api

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// stall sends a request's head and the start of its body, then stops sending, and returns how
// long the server took to answer and close the connection, and the status it answered.
func stall(t *testing.T, base, path, contentType string) (time.Duration, int) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: %s\r\nContent-Length: 100000\r\n\r\n{\"lot\": ", path, contentType)
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	status := 0
	if res, err := http.ReadResponse(bufio.NewReader(conn), nil); err == nil {
		status = res.StatusCode
		_, _ = io.Copy(io.Discard, res.Body)
	}
	// After the answer the server closes: a read ends with EOF, not with our 10 s deadline.
	_, err = conn.Read(make([]byte, 1))
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		t.Fatalf("POST %s: the connection was still open after 10 s of a stalled body", path)
	}
	return time.Since(start), status
}

// TestAStalledBodyIsCut: a body that stops arriving is answered 408 and its connection closed
// within the body timeout, on the single-event routes and on the streamed bulk route.
func TestAStalledBodyIsCut(t *testing.T) {
	const limit = 300 * time.Millisecond
	srv := httptest.NewServer(quietServer(t, Config{BodyTimeout: limit}))
	defer srv.Close()
	for path, ct := range map[string]string{"/api/v1/receipts": mediaJSON, "/api/v1/cypher": mediaJSON, "/api/v1/events": mediaNDJSON} {
		took, status := stall(t, srv.URL, path, ct)
		if took > limit+time.Second {
			t.Errorf("POST %s: the stalled connection stayed open %v, want about %v", path, took, limit)
		}
		if status != http.StatusRequestTimeout {
			t.Errorf("POST %s: %d, want 408", path, status)
		}
	}
}

// TestABulkBodyMayTakeLongerThanTheBodyTimeout: the bulk route's limit is a pause between
// reads, so a body that keeps coming is read to its end however long it takes.
func TestABulkBodyMayTakeLongerThanTheBodyTimeout(t *testing.T) {
	const limit = 300 * time.Millisecond
	srv := httptest.NewServer(quietServer(t, Config{BodyTimeout: limit}))
	defer srv.Close()
	pr, pw := io.Pipe()
	go func() {
		for range 8 { // 8 lines, 100 ms apart: 800 ms in all, well past the limit
			_, _ = pw.Write([]byte("{}\n"))
			time.Sleep(100 * time.Millisecond)
		}
		pw.Close()
	}()
	res, err := http.Post(srv.URL+"/api/v1/events", mediaNDJSON, pr)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"line":8`) {
		t.Errorf("a slow but steady bulk body: %d %s, want every line read and answered", res.StatusCode, body)
	}
}

// TestAnswersHaveAWriteDeadline: the write deadline is set on every request's connection; one
// already past when the answer is written cuts the connection instead of answering.
func TestAnswersHaveAWriteDeadline(t *testing.T) {
	srv := httptest.NewServer(quietServer(t, Config{WriteTimeout: time.Nanosecond}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/v1/openapi.json")
	if err == nil {
		_, err = io.ReadAll(res.Body)
		res.Body.Close()
	}
	if err == nil {
		t.Errorf("an answer past its write deadline arrived (%d), want the connection cut", res.StatusCode)
	}
	ok := httptest.NewServer(quietServer(t, Config{}))
	defer ok.Close()
	if res, err := http.Get(ok.URL + "/api/v1/openapi.json"); err != nil || res.StatusCode != http.StatusOK {
		t.Errorf("with the default write timeout: %v %v, want 200", res, err)
	}
}

// slowStore takes `delay` before its trace starts, and notes whether the request's context
// was cancelled while it waited.
type slowStore struct {
	Store
	delay     time.Duration
	cancelled chan error
}

func (s slowStore) StreamTrace(ctx context.Context, code graph.LotCode, _ graph.Direction, _ graph.Bounds, _ graph.TraceParts, sink graph.TraceSink) error {
	select {
	case <-ctx.Done():
		s.cancelled <- context.Cause(ctx)
		return ctx.Err()
	case <-time.After(s.delay):
	}
	return sink.Reached(&graph.Reach{Lots: []string{string(code)}, Batches: []string{}, Suppliers: []string{}, Customers: []string{}})
}

// TestAnAnswerMayTakeLongerThanTheBodyTimeout: the body limit is for bodies. An answer that
// takes longer than it to produce (a GET without a body, or a POST whose body was read to
// its end) is not cut: net/http's background read of the connection must not meet a passed
// read deadline, which would cancel the request.
func TestAnAnswerMayTakeLongerThanTheBodyTimeout(t *testing.T) {
	const limit = 200 * time.Millisecond
	store := slowStore{delay: 3 * limit, cancelled: make(chan error, 1)}
	srv := httptest.NewServer(NewServer(store, slog.New(slog.NewTextHandler(io.Discard, nil)), Config{BodyTimeout: limit}))
	defer srv.Close()
	res, err := http.Get(srv.URL + "/api/v1/lots/FG-1/trace?direction=backward")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK || !strings.Contains(string(body), `"root"`) {
		t.Errorf("a trace that took %v with a %v body limit: %d %q %v, want the whole answer", store.delay, limit, res.StatusCode, body, err)
	}
	select {
	case cause := <-store.cancelled:
		t.Errorf("the request was cancelled while the store worked: %v", cause)
	default:
	}
}
