// Package audit keeps lot-trace's audit trail: one JSON object a line in an append-only file,
// kept outside the graph so that analysts, who may query the graph, can neither read nor
// change it, and so that recording a call costs no database round trip.
package audit

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"sync"
	"time"
)

// The phases of a call. A call that reads or changes data is written twice: a begin entry
// before it runs (so that the record exists even if the process dies during the call, and so
// that a call whose entry cannot be written never runs), and an end entry with the outcome.
const (
	PhaseBegin = "begin"
	PhaseEnd   = "end"
)

// Entry is one audited call: who (the key's name and role), what (method, route, the lot, the
// Cypher text, or the event and its ids), when and how long, and how big the answer was.
type Entry struct {
	ID         string         `json:"id,omitempty"`    // shared by a call's begin and end entries
	Phase      string         `json:"phase,omitempty"` // PhaseBegin or PhaseEnd; empty in files written before phases
	At         time.Time      `json:"at"`              // when the call arrived
	Key        string         `json:"key"`
	Role       string         `json:"role"`
	Method     string         `json:"method"`
	Route      string         `json:"route"` // the route template, e.g. /api/v1/lots/:code/trace
	Path       string         `json:"path"`
	URLQuery   string         `json:"url_query,omitempty"` // e.g. direction=both&format=csv
	Lot        string         `json:"lot,omitempty"`
	Cypher     string         `json:"cypher,omitempty"`
	Params     map[string]any `json:"params,omitempty"`
	Event      string         `json:"event,omitempty"` // a write: receipt, production, shipment or bulk
	IDs        []string       `json:"ids,omitempty"`   // a write: the lot codes, batch, shipment and party ids it records
	Events     *EventCounts   `json:"events,omitempty"`
	Status     int            `json:"status"`
	DurationMS float64        `json:"duration_ms"`
	Bytes      int            `json:"bytes"`
	Rows       *int           `json:"rows,omitempty"`
	Nodes      *int           `json:"nodes,omitempty"`
	Cut        []string       `json:"cut,omitempty"` // the fields shortened to fit the caps, and by how much
}

// EventCounts is what a bulk load did.
type EventCounts struct {
	Accepted  int `json:"accepted"`
	Unchanged int `json:"unchanged"`
	Rejected  int `json:"rejected"`
}

// end is when the call finished (a begin entry: when it began).
func (e Entry) end() time.Time {
	return e.At.Add(time.Duration(e.DurationMS * float64(time.Millisecond)))
}

// Options are the rotation settings of a Log.
type Options struct {
	// MaxBytes rotates the file when an entry would take it past this size: the file becomes
	// path.1, path.1 becomes path.2, and so on up to path.<Keep>; the oldest is removed.
	// Zero never rotates (an outside tool may still rotate the file and call Reopen).
	MaxBytes int64
	// Keep is how many rotated files are kept (and read by Recent); at least 1 when MaxBytes
	// is set.
	Keep int
}

// Log is an append-only JSON Lines file. It is safe for concurrent use.
type Log struct {
	path   string
	opts   Options
	mu     sync.Mutex // one writer at a time, so lines never interleave
	file   *os.File
	size   int64 // the file's size, for rotation
	broken bool  // the last write failed, perhaps part-way: the next line starts on a new line
}

// Open opens (or creates) the file at path for appending; only the service's user may read it.
func Open(path string) (*Log, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with rotation settings.
func OpenWith(path string, opts Options) (*Log, error) {
	if opts.MaxBytes > 0 && opts.Keep < 1 {
		opts.Keep = 1
	}
	l := &Log{path: path, opts: opts}
	if err := l.open(); err != nil {
		return nil, fmt.Errorf("audit.Open: %w", err)
	}
	return l, nil
}

func (l *Log) open() error {
	f, err := os.OpenFile(l.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return err
	}
	l.file, l.size = f, info.Size()
	return nil
}

// Reopen closes the file and opens path again: after an outside tool (logrotate) renamed the
// file, entries go to a new file at path. serve calls it on SIGHUP.
func (l *Log) Reopen() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	old := l.file
	if err := l.open(); err != nil {
		return fmt.Errorf("audit.Reopen: %w", err)
	}
	l.broken = false
	return old.Close()
}

// Append writes one entry as one line, in one write call, unbuffered: an entry survives a
// crash of the process once Append returns. There is no fsync per entry, which would slow
// every trace; an operating system crash may lose the last entries. Every entry can be
// written: values JSON cannot carry are written as text, and long values are cut (see Cap).
// An error means the entry is not in the file, and the caller must not carry on as if it were.
func (l *Log) Append(e Entry) error {
	line, err := Encode(e)
	if err != nil {
		return fmt.Errorf("audit.Append: %w", err)
	}
	line = append(line, '\n')
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.broken {
		// A failed write may have left half a line: end it, so this entry stays whole.
		line = append([]byte{'\n'}, line...)
	}
	if l.opts.MaxBytes > 0 && l.size > 0 && l.size+int64(len(line)) > l.opts.MaxBytes {
		if err := l.rotate(); err != nil {
			return fmt.Errorf("audit.Append: rotating: %w", err)
		}
	}
	n, err := l.file.Write(line)
	l.size += int64(n)
	if err != nil {
		l.broken = true
		return fmt.Errorf("audit.Append: %w", err)
	}
	l.broken = false
	return nil
}

// rotate shifts path.N-1 to path.N, ..., path to path.1 and opens a new path; l.mu is held.
func (l *Log) rotate() error {
	for i := l.opts.Keep - 1; i >= 1; i-- {
		if err := os.Rename(l.rotated(i), l.rotated(i+1)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(l.path, l.rotated(1)); err != nil {
		return err
	}
	old := l.file
	if err := l.open(); err != nil {
		return err
	}
	l.broken = false
	return old.Close()
}

func (l *Log) rotated(i int) string { return l.path + "." + strconv.Itoa(i) }

// Close closes the file.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.file.Close()
}

// skew covers entries written slightly out of order: an end entry is written when its call
// ends, and two calls ending together may take the lock in either order.
const skew = time.Second

// Recent returns up to limit calls that arrived at or after since, newest first: a call's end
// entry, or its begin entry when it has none (the call is still running, or the process
// stopped during it). It reads the file from its end, then the rotated files (path.1, path.2,
// ...), so its cost follows the answer, not the files' size. A line that does not parse (a
// write cut short by a crash) or is longer than MaxLine is skipped.
func (l *Log) Recent(since time.Time, limit int) ([]Entry, error) {
	out := []Entry{}
	if limit <= 0 {
		return out, nil
	}
	ended := map[string]bool{} // calls whose end entry was seen: their begin entry is skipped
	more := func(line []byte) bool {
		var e Entry
		if json.Unmarshal(line, &e) != nil {
			return true
		}
		if e.end().Add(skew).Before(since) {
			return false // every earlier line was written before this one
		}
		if e.ID != "" {
			if e.Phase == PhaseBegin && ended[e.ID] {
				return true
			}
			if e.Phase == PhaseEnd {
				ended[e.ID] = true
			}
		}
		if !e.At.Before(since) {
			out = append(out, e)
		}
		return len(out) < limit
	}
	for i := 0; i <= max(l.opts.Keep, 1); i++ {
		path := l.path
		if i > 0 {
			path = l.rotated(i)
		}
		done, err := scanFile(path, more)
		if errors.Is(err, fs.ErrNotExist) && i > 0 {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("audit.Recent: %w", err)
		}
		if done {
			break
		}
	}
	return out, nil
}

// scanFile calls fn with each line of the file at path, last first; done says fn asked to stop.
func scanFile(path string, fn func(line []byte) bool) (done bool, err error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return false, err
	}
	return scanBackward(f, info.Size(), MaxLine, fn)
}
