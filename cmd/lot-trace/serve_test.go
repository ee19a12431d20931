package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestStalledHeadersAreCut: a client that sends part of its headers and stops is disconnected
// once the read-header timeout passes (the body limits are the API's: api/timeouts_test.go).
func TestStalledHeadersAreCut(t *testing.T) {
	const limit = 200 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.NotFoundHandler(), timeouts{readHeader: limit, idle: time.Minute, body: time.Minute, write: time.Hour, query: time.Minute})
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprint(conn, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.Copy(io.Discard, conn) // ends when the server closes (or our deadline)
	if took := time.Since(start); took > limit+time.Second {
		t.Errorf("a stalled header kept the connection %v, want about %v", took, limit)
	}
}

func TestTimeoutSettingsAreChecked(t *testing.T) {
	for name, env := range map[string]map[string]string{
		"bad duration":          {"LOT_TRACE_QUERY_TIMEOUT": "soon"},
		"zero body timeout":     {"LOT_TRACE_BODY_TIMEOUT": "0s"},
		"write shorter than q.": {"LOT_TRACE_QUERY_TIMEOUT": "10m", "LOT_TRACE_WRITE_TIMEOUT": "5m"},
		"bad audit size":        {"LOT_TRACE_AUDIT_MAX_BYTES": "1k"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := parseServeConfig(nil, func(k string) string { return env[k] }, io.Discard)
			if err == nil {
				t.Fatalf("%v accepted, want an error", env)
			}
		})
	}
	c, err := parseServeConfig([]string{"-query-timeout", "3s", "-body-timeout", "4s"}, func(string) string { return "" }, io.Discard)
	if err != nil || c.timeouts.query != 3*time.Second || c.timeouts.body != 4*time.Second {
		t.Errorf("flags gave %+v, %v", c.timeouts, err)
	}
}

// TestServeReopensTheAuditFileOnSIGHUP: after logrotate renames the audit file and sends
// SIGHUP, entries go to a new file at the configured path.
func TestServeReopensTheAuditFileOnSIGHUP(t *testing.T) {
	file := filepath.Join(t.TempDir(), "audit.jsonl")
	env := map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_RETRY": "200ms", "LOT_TRACE_ADDR": "127.0.0.1:0", "LOT_TRACE_AUDIT_FILE": file}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stdoutR, stdoutW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve"}, func(k string) string { return env[k] }, stdoutW, io.Discard)
		stdoutW.Close()
	}()
	line, err := bufio.NewReader(stdoutR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the serve line: %v", err)
	}
	go func() { _, _ = io.Copy(io.Discard, stdoutR) }()
	base := strings.TrimSpace(strings.TrimPrefix(line, "lot-trace: serving on "))

	// An audited read writes its begin entry before it asks the (absent) database.
	statusOf(t, base+"/api/v1/lots?q=before")
	if err := os.Rename(file, file+".1"); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(file); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no new audit file 5 s after SIGHUP")
		}
		time.Sleep(20 * time.Millisecond)
	}
	statusOf(t, base+"/api/v1/lots?q=after")
	now, _ := os.ReadFile(file)
	old, _ := os.ReadFile(file + ".1")
	if !strings.Contains(string(now), "q=after") || strings.Contains(string(now), "q=before") || !strings.Contains(string(old), "q=before") {
		t.Errorf("after SIGHUP the file holds %q and the rotated one %q; want the new entries in the new file", now, old)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
}

// TestIdleConnectionsAreClosed: a kept-alive connection with no next request is closed once
// the idle timeout passes.
func TestIdleConnectionsAreClosed(t *testing.T) {
	const limit = 200 * time.Millisecond
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(http.NotFoundHandler(), timeouts{readHeader: time.Minute, idle: limit, body: time.Minute, write: time.Hour, query: time.Minute})
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	r := bufio.NewReader(conn)
	res, err := http.ReadResponse(r, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	start := time.Now()
	_ = conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, _ = io.Copy(io.Discard, r)
	if took := time.Since(start); took > limit+time.Second {
		t.Errorf("an idle kept-alive connection stayed open %v, want about %v", took, limit)
	}
}
