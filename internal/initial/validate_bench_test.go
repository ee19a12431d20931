package initial

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"testing"

	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/ingest"
)

// BenchmarkValidate runs the validate phase (decode, plan, the importer's files) on the
// history in LOT_TRACE_INITIAL_HISTORY, for a CPU profile:
//
//	LOT_TRACE_INITIAL_HISTORY=.bench/history-100000.ndjson go test -run '^$' -bench Validate -benchtime 1x -cpuprofile cpu.out ./internal/initial/
func BenchmarkValidate(b *testing.B) {
	history := os.Getenv("LOT_TRACE_INITIAL_HISTORY")
	if history == "" {
		b.Skip("LOT_TRACE_INITIAL_HISTORY names no history file")
	}
	if !filepath.IsAbs(history) {
		history = filepath.Join("..", "..", history)
	}
	for range b.N {
		dir := b.TempDir()
		bulk, err := neo4j.NewBulkImport(filepath.Join(dir, "files"))
		if err != nil {
			b.Fatal(err)
		}
		inputs, err := ingest.PlanInputs([]string{history}, "", "", filepath.Join(dir, "rejects.ndjson"))
		if err != nil {
			b.Fatal(err)
		}
		r := &runner{opt: Options{Inputs: inputs, StatusOf: func(string) int { return 400 }}, res: &Result{}}
		if _, err := r.validate(context.Background(), bulk); err != nil {
			b.Fatal(err)
		}
		if hp := os.Getenv("LOT_TRACE_INITIAL_HEAPPROFILE"); hp != "" {
			runtime.GC()
			f, err := os.Create(hp)
			if err != nil {
				b.Fatal(err)
			}
			_ = pprof.WriteHeapProfile(f)
			f.Close()
		}
		if _, err := bulk.Finish(); err != nil {
			b.Fatal(err)
		}
	}
}
