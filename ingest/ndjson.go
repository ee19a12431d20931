package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/lot-trace/lot-trace/graph"
)

// MaxLineBytes is the longest NDJSON line accepted; a production with thousands of inputs
// still fits, and a runaway line cannot take the memory.
const MaxLineBytes = 4 << 20

// NDJSON reads one event per line ("type": receipt, production or shipment). It streams: only
// the current line is held in memory. Blank lines are skipped but counted.
type NDJSON struct {
	r    *bufio.Reader
	line int
}

// NewNDJSON returns a Source over r.
func NewNDJSON(r io.Reader) *NDJSON {
	return &NDJSON{r: bufio.NewReaderSize(r, 64<<10)}
}

// Next returns the next event, a *graph.Error for a bad line, io.EOF at the end, or the
// reader's own error.
func (n *NDJSON) Next() (int, graph.Event, error) {
	for {
		data, err := n.readLine()
		if err != nil {
			return n.line, nil, err
		}
		data = bytes.TrimSpace(data)
		if len(data) == 0 {
			continue
		}
		ev, err := DecodeEvent(data)
		return n.line, ev, err
	}
}

// readLine returns the next line without its end, counting it. A line longer than
// MaxLineBytes is skipped to its end and reported as that line's problem.
func (n *NDJSON) readLine() ([]byte, error) {
	var buf []byte
	tooLong := false
	for {
		chunk, err := n.r.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > MaxLineBytes {
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && (len(buf) > 0 || tooLong):
			// The last line has no newline: it still counts.
		case err != nil:
			return nil, err
		}
		n.line++
		if tooLong {
			return nil, &graph.Error{Code: graph.EINVALID, Message: fmt.Sprintf("line longer than %d bytes", MaxLineBytes)}
		}
		return buf, nil
	}
}
