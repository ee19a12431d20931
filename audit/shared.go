package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"
)

// The trail of a service run as many replicas cannot be a file of each: a replica's
// GET /api/v1/audit would show its own calls only, and a replaced container would lose its
// trail. Shared keeps the entries where every replica reads them (the database), Stream
// hands them to the platform's log pipeline (stdout), and Tee writes each entry to all of
// them and reads from one.

// Record is an entry as a RecordStore keeps it: the fields it is found by, and its JSON line
// (Encode), which is what reading it back returns.
type Record struct {
	ID, Phase  string
	At, Ended  time.Time // when the call arrived; when it ended (a begin entry: At)
	Key, Route string
	Status     int // 0 in a begin entry
	Line       string
}

// RecordStore keeps records where every replica reads them. *neo4j.Store satisfies it.
type RecordStore interface {
	AppendAudit(ctx context.Context, r Record) error
	// RecentAudit returns the lines of up to limit calls that arrived at or after since, each
	// call's end entry or its begin entry while it has none, newest end first.
	RecentAudit(ctx context.Context, since time.Time, limit int) ([]string, error)
}

// Shared is a trail kept in a RecordStore. Each Append is a write that must succeed before the
// call runs (the trail fails closed), bounded by its timeout.
type Shared struct {
	store   RecordStore
	timeout time.Duration
}

// NewShared returns a trail kept in store; each write or read waits at most timeout.
func NewShared(store RecordStore, timeout time.Duration) *Shared {
	return &Shared{store: store, timeout: timeout}
}

// Append writes the entry. It does not take the caller's context: an entry is written even
// when the client has gone, as a file entry would be.
func (s *Shared) Append(e Entry) error {
	line, err := Encode(e)
	if err != nil {
		return fmt.Errorf("audit.Append: %w", err)
	}
	ended := e.At
	if e.Phase != PhaseBegin {
		ended = e.end()
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	r := Record{ID: e.ID, Phase: e.Phase, At: e.At.UTC(), Ended: ended.UTC(), Key: e.Key, Route: e.Route, Status: e.Status, Line: string(line)}
	if err := s.store.AppendAudit(ctx, r); err != nil {
		return fmt.Errorf("audit.Append: %w", err)
	}
	return nil
}

// Recent returns up to limit calls that arrived at or after since, newest first, as Log.Recent
// does for a file.
func (s *Shared) Recent(since time.Time, limit int) ([]Entry, error) {
	out := []Entry{}
	if limit <= 0 {
		return out, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
	defer cancel()
	lines, err := s.store.RecentAudit(ctx, since, limit)
	if err != nil {
		return nil, fmt.Errorf("audit.Recent: %w", err)
	}
	for _, line := range lines {
		var e Entry
		if json.Unmarshal([]byte(line), &e) == nil {
			out = append(out, e)
		}
	}
	return out, nil
}

// Stream writes each entry as one JSON line (the file's format) to w, in one write call:
// stdout, for a platform that collects the containers' output. It cannot be read back.
type Stream struct {
	mu sync.Mutex
	w  io.Writer
}

// NewStream returns a trail written to w.
func NewStream(w io.Writer) *Stream { return &Stream{w: w} }

// Append writes the entry; an error means it was not written whole.
func (s *Stream) Append(e Entry) error {
	line, err := Encode(e)
	if err != nil {
		return fmt.Errorf("audit.Append: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.w.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("audit.Append: %w", err)
	}
	return nil
}

// Appender takes entries; Reader reads them back. *Log, *Shared and *Stream are Appenders;
// *Log and *Shared are Readers.
type (
	Appender interface{ Append(e Entry) error }
	Reader   interface {
		Recent(since time.Time, limit int) ([]Entry, error)
	}
)

// ErrNotReadable is Recent's error for a trail that is only written (to stdout).
var ErrNotReadable = errors.New("this server's audit trail is not kept where it can read it back (LOT_TRACE_AUDIT_SINKS has neither neo4j nor file)")

// Tee is a trail written to several sinks and read from one.
type Tee struct {
	reader Reader // nil: Recent answers ErrNotReadable
	sinks  []Appender
}

// NewTee returns a trail that writes each entry to every sink, in order, and reads from
// reader (nil when none of them can be read).
func NewTee(reader Reader, sinks ...Appender) *Tee { return &Tee{reader: reader, sinks: sinks} }

// Append writes the entry to every sink and fails if any fails: the call is then refused,
// even if another sink took the entry (that sink then also gets the call's end entry, 503).
func (t *Tee) Append(e Entry) error {
	var errs []error
	for _, s := range t.sinks {
		if err := s.Append(e); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Recent reads from the reader.
func (t *Tee) Recent(since time.Time, limit int) ([]Entry, error) {
	if t.reader == nil {
		return nil, ErrNotReadable
	}
	return t.reader.Recent(since, limit)
}
