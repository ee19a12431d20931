package ingest

import (
	"bytes"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

// TestParallelNDJSONYieldsWhatNDJSONYields reads one input both ways: the same lines, events
// and problems, in the same order, whatever the number of workers.
func TestParallelNDJSONYieldsWhatNDJSONYields(t *testing.T) {
	good := `{"type":"receipt","lot":{"code":"L%d","product":"P","quantity":1,"unit":"kg"},"supplier":{"id":"S","location":"X"},"received_at":"2026-01-01T00:00:00Z","location":"B","reference":{"type":"PO","number":"N"}}`
	var b strings.Builder
	for i := range 2000 {
		if i == 11 {
			b.WriteString(strings.Repeat("x", MaxLineBytes+10) + "\n")
		}
		switch i % 97 {
		case 3:
			b.WriteString("{not json\n")
		case 5:
			b.WriteString("\n   \n")
		case 7:
			b.WriteString(`{"type":"receipt","lot":{}}` + "\n")
		}
		b.WriteString(strings.Replace(good, "%d", strings.Repeat("9", i%7+1), 1) + "\n")
	}
	b.WriteString(`{"type":"shipment"}`) // a last line without its newline
	input := b.String()

	type item struct {
		line int
		ev   any
		err  string
	}
	read := func(src Source) []item {
		var out []item
		for {
			line, ev, err := src.Next()
			if errors.Is(err, io.EOF) {
				return out
			}
			it := item{line: line, ev: ev}
			if err != nil {
				it.err = err.Error()
			}
			out = append(out, it)
		}
	}
	want := read(NewNDJSON(strings.NewReader(input)))
	if len(want) < 2000 {
		t.Fatalf("the sequential reader yielded %d items", len(want))
	}
	for _, workers := range []int{1, 2, 3, 8} {
		p := NewParallelNDJSON(strings.NewReader(input), workers)
		got := read(p)
		p.Close()
		if !reflect.DeepEqual(got, want) {
			for i := range min(len(got), len(want)) {
				if !reflect.DeepEqual(got[i], want[i]) {
					t.Fatalf("%d workers: item %d is %+v, want %+v", workers, i, got[i], want[i])
				}
			}
			t.Fatalf("%d workers: %d items, want %d", workers, len(got), len(want))
		}
	}
}

// TestParallelNDJSONStopsOnClose: a reader closed early leaves no goroutine blocked on a
// reader that keeps giving lines.
func TestParallelNDJSONStopsOnClose(t *testing.T) {
	line := []byte(`{"type":"shipment"}` + "\n")
	p := NewParallelNDJSON(io.MultiReader(bytes.NewReader(bytes.Repeat(line, 100000))), 2)
	if _, _, err := p.Next(); err == nil {
		t.Fatal("a bad line without a problem")
	}
	p.Close()
}
