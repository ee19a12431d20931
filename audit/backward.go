package audit

import (
	"bytes"
	"io"
)

// blockSize is how much of the file scanBackward reads at a time.
const blockSize = 64 << 10

// scanBackward calls fn with each non-empty line of r, last line first, until fn returns false.
// The line passed to fn is only valid during the call.
func scanBackward(r io.ReaderAt, size int64, fn func(line []byte) bool) error {
	buf := make([]byte, blockSize)
	var carry []byte // the end of a line whose start is in an earlier block
	for end := size; end > 0; {
		start := max(0, end-blockSize)
		n := int(end - start)
		if _, err := r.ReadAt(buf[:n], start); err != nil && err != io.EOF {
			return err
		}
		chunk := append(buf[:n:n], carry...) // copies when carry is not empty
		for {
			i := bytes.LastIndexByte(chunk, '\n')
			if i < 0 {
				break
			}
			if line := chunk[i+1:]; len(line) > 0 && !fn(line) {
				return nil
			}
			chunk = chunk[:i]
		}
		carry = append([]byte(nil), chunk...)
		end = start
	}
	if len(carry) > 0 {
		fn(carry)
	}
	return nil
}
