package audit

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func openTemp(t *testing.T) *Log {
	t.Helper()
	l, err := Open(filepath.Join(t.TempDir(), "audit.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l
}

func TestRecentIsNewestFirstWithinLimitAndSince(t *testing.T) {
	l := openTemp(t)
	t0 := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	// Large Cypher texts make the file span many read blocks.
	big := strings.Repeat("x", 30<<10)
	for i := range 50 {
		e := Entry{At: t0.Add(time.Duration(i) * time.Minute), Key: fmt.Sprintf("k%d", i), Route: "/api/v1/cypher", Cypher: big, Status: 200}
		if err := l.Append(e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := l.Recent(time.Time{}, 5)
	if err != nil {
		t.Fatal(err)
	}
	if keys := keysOf(got); keys != "k49,k48,k47,k46,k45" {
		t.Errorf("Recent(limit 5) = %s, want the five newest, newest first", keys)
	}
	got, err = l.Recent(t0.Add(45*time.Minute), 100)
	if err != nil {
		t.Fatal(err)
	}
	if keys := keysOf(got); keys != "k49,k48,k47,k46,k45" {
		t.Errorf("Recent(since minute 45) = %s, want k49 down to k45", keys)
	}
	if got[0].Cypher != big {
		t.Error("a line spanning read blocks came back changed")
	}
	all, err := l.Recent(time.Time{}, 1000)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 50 || all[49].Key != "k0" {
		t.Errorf("Recent(all) returned %d entries ending with %q, want 50 ending with k0", len(all), all[len(all)-1].Key)
	}
}

func TestConcurrentAppendsKeepLinesWhole(t *testing.T) {
	l := openTemp(t)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				_ = l.Append(Entry{At: time.Now(), Key: fmt.Sprintf("w%d-%d", w, i), Cypher: strings.Repeat("y", 5000)})
			}
		}()
	}
	wg.Wait()
	got, err := l.Recent(time.Time{}, 10000)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 800 {
		t.Fatalf("read back %d whole entries, want 800", len(got))
	}
}

func TestACutLineIsSkipped(t *testing.T) {
	l := openTemp(t)
	_ = l.Append(Entry{At: time.Now(), Key: "whole"})
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.WriteString(`{"at": "2026-10-01T00:00:00Z", "key": "cu`)
	f.Close()
	got, err := l.Recent(time.Time{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if keysOf(got) != "whole" {
		t.Errorf("Recent = %s, want only the whole entry", keysOf(got))
	}
}

func TestOpenCreatesAPrivateFile(t *testing.T) {
	l := openTemp(t)
	info, err := os.Stat(l.path)
	if err != nil {
		t.Fatal(err)
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		t.Errorf("audit file mode %v, want readable by its owner only", perm)
	}
}

func keysOf(es []Entry) string {
	keys := make([]string, len(es))
	for i, e := range es {
		keys[i] = e.Key
	}
	return strings.Join(keys, ",")
}

// BenchmarkAppend measures what the audit adds to a trace: one entry written.
func BenchmarkAppend(b *testing.B) {
	l, err := Open(filepath.Join(b.TempDir(), "audit.jsonl"))
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	nodes := 120
	e := Entry{At: time.Now(), Key: "qa-desk", Role: "reader", Method: "GET", Route: "/api/v1/lots/:code/trace",
		Path: "/api/v1/lots/FG-CC-1A/trace", URLQuery: "direction=both", Lot: "FG-CC-1A", Status: 200, DurationMS: 3.2, Bytes: 20480, Nodes: &nodes}
	for b.Loop() {
		if err := l.Append(e); err != nil {
			b.Fatal(err)
		}
	}
}
