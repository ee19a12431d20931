package audit

import (
	"bytes"
	"io"
)

// blockSize is how much of the file scanBackward reads at a time.
const blockSize = 64 << 10

// scanBackward calls fn with each non-empty line of r, last line first, until fn returns false
// (done is then true). A line longer than maxLine is skipped without being assembled, so one
// huge line (written before entries were capped) costs one pass over its bytes, not a copy per
// block. The line passed to fn is only valid during the call.
func scanBackward(r io.ReaderAt, size int64, maxLine int, fn func(line []byte) bool) (done bool, err error) {
	buf := make([]byte, blockSize)
	var carry, joined []byte // carry: the end of a line whose start is in an earlier block
	skipping := false        // the line being assembled is over maxLine: its bytes are dropped
	for end := size; end > 0; {
		start := max(0, end-blockSize)
		n := int(end - start)
		if _, err := r.ReadAt(buf[:n], start); err != nil && err != io.EOF {
			return false, err
		}
		chunk := buf[:n]
		first := true
		for {
			i := bytes.LastIndexByte(chunk, '\n')
			if i < 0 {
				break
			}
			line := chunk[i+1:]
			if first {
				first = false
				switch {
				case skipping:
					line, skipping = nil, false
				case len(carry) > 0:
					joined = append(append(joined[:0], line...), carry...)
					line = joined
				}
				carry = carry[:0]
			}
			if len(line) > 0 && len(line) <= maxLine && !fn(line) {
				return true, nil
			}
			chunk = chunk[:i]
		}
		if !skipping {
			if len(chunk)+len(carry) > maxLine {
				skipping, carry = true, carry[:0]
			} else {
				carry = append(append(make([]byte, 0, len(chunk)+len(carry)), chunk...), carry...)
			}
		}
		end = start
	}
	if !skipping && len(carry) > 0 {
		return !fn(carry), nil
	}
	return false, nil
}
