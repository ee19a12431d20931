// Package audit keeps lot-trace's audit trail: one JSON object a line in an append-only file,
// kept outside the graph so that analysts, who may query the graph, can neither read nor
// change it, and so that recording a call costs no database round trip.
package audit

import (
	"encoding/json"
	"fmt"
	"os"
	"sync"
	"time"
)

// Entry is one audited call: who (the key's name and role), what (method, route, the lot or
// the Cypher text), when and how long, and how big the answer was.
type Entry struct {
	At         time.Time      `json:"at"` // when the call arrived
	Key        string         `json:"key"`
	Role       string         `json:"role"`
	Method     string         `json:"method"`
	Route      string         `json:"route"` // the route template, e.g. /api/v1/lots/:code/trace
	Path       string         `json:"path"`
	URLQuery   string         `json:"url_query,omitempty"` // e.g. direction=both&format=csv
	Lot        string         `json:"lot,omitempty"`
	Cypher     string         `json:"cypher,omitempty"`
	Params     map[string]any `json:"params,omitempty"`
	Status     int            `json:"status"`
	DurationMS float64        `json:"duration_ms"`
	Bytes      int            `json:"bytes"`
	Rows       *int           `json:"rows,omitempty"`
	Nodes      *int           `json:"nodes,omitempty"`
}

// end is when the call finished.
func (e Entry) end() time.Time {
	return e.At.Add(time.Duration(e.DurationMS * float64(time.Millisecond)))
}

// Log is an append-only JSON Lines file. It is safe for concurrent use.
type Log struct {
	path string
	mu   sync.Mutex // one writer at a time, so lines never interleave
	file *os.File
}

// Open opens (or creates) the file at path for appending; only the service's user may read it.
func Open(path string) (*Log, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit.Open: %w", err)
	}
	return &Log{path: path, file: f}, nil
}

// Append writes one entry as one line, in one write call, unbuffered: an entry survives a
// crash of the process once Append returns. There is no fsync per entry, which would slow
// every trace; an operating system crash may lose the last entries.
func (l *Log) Append(e Entry) error {
	line, err := json.Marshal(e)
	if err != nil {
		return fmt.Errorf("audit.Append: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.file.Write(line); err != nil {
		return fmt.Errorf("audit.Append: %w", err)
	}
	return nil
}

// Close closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.file.Close()
}

// skew covers entries written slightly out of order: an entry is written when its call ends,
// and two calls ending together may take the lock in either order.
const skew = time.Second

// Recent returns up to limit entries that arrived at or after since, newest first. It reads
// the file from its end, so its cost follows the answer, not the file's size. A line that does
// not parse (a write cut short by a crash) is skipped.
func (l *Log) Recent(since time.Time, limit int) ([]Entry, error) {
	if limit <= 0 {
		return []Entry{}, nil
	}
	f, err := os.Open(l.path)
	if err != nil {
		return nil, fmt.Errorf("audit.Recent: %w", err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("audit.Recent: %w", err)
	}
	out := []Entry{}
	err = scanBackward(f, info.Size(), func(line []byte) bool {
		var e Entry
		if json.Unmarshal(line, &e) != nil {
			return true
		}
		if e.end().Add(skew).Before(since) {
			return false // every earlier line ended before this one was written
		}
		if !e.At.Before(since) {
			out = append(out, e)
		}
		return len(out) < limit
	})
	if err != nil {
		return nil, fmt.Errorf("audit.Recent: %w", err)
	}
	return out, nil
}
