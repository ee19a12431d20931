package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestRunRejectsUnknownCommandsAndBadConfig(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"no command", nil, nil, "no command"},
		{"unknown command", []string{"fly"}, nil, `unknown command "fly"`},
		{"bad duration env", []string{"serve"}, map[string]string{"NEO4J_RETRY": "soon"}, "NEO4J_RETRY"},
		{"bad size env", []string{"serve"}, map[string]string{"LOT_TRACE_MAX_BODY_BYTES": "big"}, "LOT_TRACE_MAX_BODY_BYTES"},
		{"bad log format", []string{"serve", "-log-format", "xml"}, nil, "-log-format"},
		{"bad trace cap env", []string{"serve"}, map[string]string{"LOT_TRACE_TRACE_CAP": "lots"}, "LOT_TRACE_TRACE_CAP"},
		{"trace cap of zero", []string{"serve", "-trace-cap", "0"}, nil, "-trace-cap"},
		{"unknown flag", []string{"serve", "-colour"}, nil, "colour"},
		{"bad tolerance", []string{"serve"}, map[string]string{"LOT_TRACE_MASS_BALANCE_TOLERANCE": "105-95"}, "-mass-balance-tolerance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			getenv := func(k string) string { return tt.env[k] }
			err := run(context.Background(), tt.args, getenv, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("run(%v) error = %v, want one mentioning %q", tt.args, err, tt.wantErr)
			}
		})
	}
}

// TestServeWithoutDatabase starts the real serve command against a port where no database
// listens: the process is healthy, not ready (503, quickly), and stops cleanly when asked.
func TestServeWithoutDatabase(t *testing.T) {
	env := map[string]string{"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_RETRY": "500ms", "LOT_TRACE_ADDR": "127.0.0.1:0",
		"LOT_TRACE_AUDIT_FILE": filepath.Join(t.TempDir(), "audit.jsonl")}
	ctx, cancel := context.WithCancel(context.Background())
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

	if code := statusOf(t, base+"/healthz"); code != http.StatusOK {
		t.Errorf("/healthz = %d, want 200", code)
	}
	start := time.Now()
	if code := statusOf(t, base+"/readyz"); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz without a database = %d, want 503", code)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("/readyz took %s to say the database is down; want it bounded by the ready timeout", took)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after a stop signal, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of the stop signal")
	}
}

func statusOf(t *testing.T, url string) int {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	res.Body.Close()
	return res.StatusCode
}
