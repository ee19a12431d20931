package ingest

import (
	"bytes"
	"errors"
	"io"
	"sync"

	"github.com/lot-trace/lot-trace/graph"
)

// ParallelNDJSON is an NDJSON Source that decodes on several goroutines and yields the
// events, and the problems of bad lines, in line order: the same results as NDJSON, for a
// reader that keeps more than one core busy (an initial import, where no database waits).
// Close it when it is not read to its end.
type ParallelNDJSON struct {
	queue chan chan []decoded // one per chunk of lines, in line order
	stop  chan struct{}
	once  sync.Once
	cur   []decoded
}

// decoded is one line's result, or the end of the source (io.EOF or the reader's error).
type decoded struct {
	line int
	data []byte // to decode; nil when err is already known
	ev   graph.Event
	err  error
}

// chunkLines is how many lines a worker decodes at a time.
const chunkLines = 256

// NewParallelNDJSON returns a Source over r that decodes on workers goroutines.
func NewParallelNDJSON(r io.Reader, workers int) *ParallelNDJSON {
	workers = max(workers, 1)
	p := &ParallelNDJSON{queue: make(chan chan []decoded, 4*workers), stop: make(chan struct{})}
	type job struct {
		items []decoded
		out   chan []decoded
	}
	jobs := make(chan job, 2*workers)
	for range workers {
		go func() {
			for j := range jobs {
				for i := range j.items {
					if it := &j.items[i]; it.err == nil {
						it.ev, it.err = DecodeEvent(it.data)
						it.data = nil
					}
				}
				j.out <- j.items // buffered: never blocks
			}
		}()
	}
	go func() {
		defer close(p.queue)
		defer close(jobs)
		src := NewNDJSON(r)
		for ended := false; !ended; {
			j := job{out: make(chan []decoded, 1)}
			for len(j.items) < chunkLines {
				data, err := src.readLine()
				var lineErr *graph.Error
				switch {
				case errors.As(err, &lineErr): // a line too long: that line's problem
					j.items = append(j.items, decoded{line: src.line, err: err})
					continue
				case err != nil: // io.EOF, or the reader failed
					j.items = append(j.items, decoded{line: src.line, err: err})
					ended = true
				}
				if ended {
					break
				}
				if data = bytes.TrimSpace(data); len(data) > 0 {
					j.items = append(j.items, decoded{line: src.line, data: data})
				}
			}
			select {
			case jobs <- j:
			case <-p.stop:
				return
			}
			select {
			case p.queue <- j.out:
			case <-p.stop:
				return
			}
		}
	}()
	return p
}

// Next returns the next event, a *graph.Error for a bad line, io.EOF at the end, or the
// reader's own error, as NDJSON.Next does.
func (p *ParallelNDJSON) Next() (int, graph.Event, error) {
	for len(p.cur) == 0 {
		out, ok := <-p.queue
		if !ok {
			return 0, nil, io.EOF
		}
		p.cur = <-out
	}
	d := p.cur[0]
	p.cur = p.cur[1:]
	if d.err != nil && !isLineProblem(d.err) {
		p.cur = nil // the end: nothing comes after it
		p.Close()
	}
	return d.line, d.ev, d.err
}

func isLineProblem(err error) bool {
	var lineErr *graph.Error
	return errors.As(err, &lineErr)
}

// Close stops the reading and decoding.
func (p *ParallelNDJSON) Close() error {
	p.once.Do(func() { close(p.stop) })
	return nil
}
