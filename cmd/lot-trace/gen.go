package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/lot-trace/lot-trace/internal/synth"
)

// runGen writes a synthetic bakery history as NDJSON, ready for POST /api/v1/events or the
// import command. The same flags give the same bytes, so a benchmark's data can be named by
// its seed and size instead of being kept.
func runGen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var opt synth.Options
	var out string
	fs := newFlagSet("gen", stderr)
	fs.IntVar(&opt.Lots, "lots", 2000, "target number of lots (received plus produced)")
	fs.Uint64Var(&opt.Seed, "seed", 1, "random seed: the same seed and size give the same history")
	fs.IntVar(&opt.HubBatches, "hub-batches", 0, "mixing batches that consume the hub salt lot; 0 for min(5000, mixing batches)")
	fs.StringVar(&opt.Prefix, "prefix", "", "prefix for every id, so that several histories can share one database")
	fs.StringVar(&out, "out", "-", `file to write, or "-" for standard output`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("gen takes no arguments, got %q", fs.Args())
	}

	start := time.Now()
	stats, err := writeHistory(ctx, out, stdout, opt)
	if err != nil {
		return fmt.Errorf("gen: %w", err)
	}
	fmt.Fprintf(stderr, "lot-trace gen: %d events (%d receipts, %d productions, %d shipments), %d lots in %s\n",
		stats.Events, stats.Receipts, stats.Productions, stats.Shipments, stats.Lots, time.Since(start).Round(time.Millisecond))
	return nil
}

// writeHistory generates into the named file, or stdout for "-". An interrupt stops it at
// the next write.
func writeHistory(ctx context.Context, path string, stdout io.Writer, opt synth.Options) (synth.Stats, error) {
	if path == "-" {
		return synth.Generate(interruptibleWriter{ctx, stdout}, opt)
	}
	f, err := os.Create(path)
	if err != nil {
		return synth.Stats{}, err
	}
	stats, err := synth.Generate(interruptibleWriter{ctx, f}, opt)
	// A file that fails to close may not be complete: that is an error too.
	return stats, errors.Join(err, f.Close())
}

// interruptibleWriter fails every write once ctx is done, so a long generation stops
// promptly on SIGINT or SIGTERM.
type interruptibleWriter struct {
	ctx context.Context
	w   io.Writer
}

func (iw interruptibleWriter) Write(p []byte) (int, error) {
	if err := iw.ctx.Err(); err != nil {
		return 0, err
	}
	return iw.w.Write(p)
}
