package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/ingest"
)

// importConfig is the import command's configuration, parsed once from flags and environment.
type importConfig struct {
	db        dbConfig
	batchSize int
	rejects   string          // one rejects file for every input, or "" for one beside each
	format    ingest.Format   // the format of every input, or "" to tell by extension
	kind      graph.EventKind // the type of every row of CSV files without a type column
	quiet     bool
	inputs    []ingest.Input
	initial   initialConfig // -initial: the first load of an empty database (initial.go)
}

func parseImportConfig(args []string, getenv func(string) string, stderr io.Writer) (importConfig, error) {
	if err := checkEnv(getenv, []string{"NEO4J_RETRY", "NEO4J_WAIT"}, nil); err != nil {
		return importConfig{}, err
	}
	var c importConfig
	var kind, format string
	fs := newFlagSet("import", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: lot-trace import [flags] FILE...\n\n"+
			"Loads events into the database. FILE is NDJSON (.ndjson, .jsonl), CSV (.csv, see\n"+
			"docs/csv-import.md; a CSV of products and their FTL categories too), or - for NDJSON on standard\n"+
			"input. Loading a file again changes nothing.\n\nflags:\n")
		fs.PrintDefaults()
	}
	registerDBFlags(fs, getenv, &c.db)
	fs.IntVar(&c.batchSize, "batch-size", ingest.DefaultBatchSize, "events stored per transaction")
	fs.StringVar(&c.rejects, "rejects", "", "write the rejected lines of every FILE to this NDJSON file (default: FILE.rejects.ndjson beside each FILE)")
	fs.StringVar(&format, "format", "", "ndjson or csv for every FILE (default: by extension)")
	fs.StringVar(&kind, "type", "", "receipt, production or shipment: the event type of CSV files that have no type column")
	fs.BoolVar(&c.quiet, "quiet", false, "print only problems: no progress bar, no summary")
	registerInitialFlags(fs, getenv, &c.initial)
	if err := fs.Parse(args); err != nil {
		return importConfig{}, err
	}
	if err := c.initial.check(); err != nil {
		return importConfig{}, err
	}
	if c.batchSize <= 0 {
		return importConfig{}, fmt.Errorf("-batch-size must be positive, not %d", c.batchSize)
	}
	switch c.format = ingest.Format(format); c.format {
	case "", ingest.FormatNDJSON, ingest.FormatCSV:
	default:
		return importConfig{}, fmt.Errorf("-format must be ndjson or csv, not %q", format)
	}
	switch c.kind = graph.EventKind(kind); c.kind {
	case "", graph.KindReceipt, graph.KindProduction, graph.KindShipment:
	default:
		return importConfig{}, fmt.Errorf("-type must be receipt, production or shipment, not %q", kind)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return importConfig{}, errors.New("import: no FILE given")
	}
	inputs, err := ingest.PlanInputs(fs.Args(), c.format, c.kind, c.rejects)
	if err != nil {
		return importConfig{}, err
	}
	c.inputs = inputs
	return c, nil
}

// runImport loads NDJSON and CSV event files into the database. Rejected lines are written to
// a rejects file and are not a failure; a database failure, or an input that cannot be read,
// is.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseImportConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.initial.on {
		return runInitialImport(ctx, cfg, stdout, stderr)
	}
	// Warnings only: the store logs its wait for the database, which a person at a terminal wants to see.
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	store, err := neo4j.Open(cfg.db.storeConfig(), logger)
	if err != nil {
		return err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = store.Close(closeCtx)
	}()
	waitCtx, cancel := context.WithTimeout(ctx, cfg.db.waitTimeout)
	err = store.WaitUntilReady(waitCtx)
	cancel()
	if err != nil {
		return fmt.Errorf("the database at %s is not ready: %w", cfg.db.uri, err)
	}
	if cfg.inputs, err = importProducts(ctx, store, cfg.inputs, stdout, cfg.quiet); err != nil || len(cfg.inputs) == 0 {
		return err
	}
	im := &importer{cfg: cfg, recorder: store, stdin: os.Stdin, stdout: stdout, stderr: stderr, progress: isTerminal(stderr) && !cfg.quiet}
	return im.run(ctx)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// importer loads the inputs one after the other into one recorder, and tells a person how it
// went: a progress bar per input, a summary line per input and one at the end.
type importer struct {
	cfg            importConfig
	recorder       ingest.Recorder
	stdin          io.Reader
	stdout, stderr io.Writer
	progress       bool                     // draw a progress bar on stderr
	bar            *progressbar.ProgressBar // the bar of the input being loaded, or nil
}

func (im *importer) run(ctx context.Context) error {
	fi := &ingest.FileImport{
		Loader:   ingest.Loader{Recorder: im.recorder, BatchSize: im.cfg.batchSize},
		Stdin:    im.stdin,
		Rejects:  im.cfg.rejects,
		StatusOf: func(code string) int { return api.HTTPStatus(&graph.Error{Code: code}) },
		Wrap: func(in ingest.Input, r io.Reader, size int64) io.Reader {
			if im.bar = im.progressBar(in, size); im.bar == nil {
				return r
			}
			pr := progressbar.NewReader(r, im.bar)
			return &pr
		},
		OnBatch: func(in ingest.Input, c ingest.Counts) {
			if im.bar != nil {
				im.bar.Describe(fmt.Sprintf("%s: %d accepted, %d unchanged, %d rejected", in.Name(), c.Accepted, c.Unchanged, c.Rejected))
			}
		},
		OnFile: func(in ingest.Input, res ingest.FileResult, err error) {
			if im.bar != nil {
				_ = im.bar.Finish()
				im.bar = nil
			}
			im.summarize(in, res, err)
		},
	}
	total, failed, loadErr := fi.Run(ctx, im.cfg.inputs)
	if len(im.cfg.inputs) > 1 && !im.cfg.quiet {
		fmt.Fprintf(im.stdout, "total: %s\n", describeCounts(total))
	}
	if total.Rejected > 0 {
		others := "; the others were loaded"
		if loadErr != nil {
			others = ""
		}
		fmt.Fprintf(im.stderr, "lot-trace import: %d of %d events were rejected and not loaded (see the rejects files above)%s\n",
			total.Rejected, total.Lines(), others)
	}
	switch {
	case errors.Is(loadErr, context.Canceled):
		return fmt.Errorf("import interrupted; importing again is safe: stored events count as unchanged")
	case loadErr != nil:
		return fmt.Errorf("import stopped: %w; what was loaded before is stored (perhaps the last batch too), and importing again is safe: stored events count as unchanged", loadErr)
	case len(failed) > 0:
		names := make([]string, len(failed))
		for i, in := range failed {
			names[i] = in.Path
		}
		return fmt.Errorf("%d of %d inputs could not be loaded: %s", len(failed), len(im.cfg.inputs), strings.Join(names, ", "))
	}
	return nil
}

// explainHeader adds the way out to a CSV header without a type column: a file of one type.
func explainHeader(err error) error {
	var h *ingest.HeaderError
	if errors.As(err, &h) && slices.Contains(h.Missing, "type") {
		return fmt.Errorf("%w (for a file of one event type, give -type receipt, production or shipment)", err)
	}
	return err
}

// progressBar returns a bar over the bytes read of the input, or nil when stderr is not a
// terminal (a log file wants one summary line, not a stream of carriage returns).
func (im *importer) progressBar(in ingest.Input, size int64) *progressbar.ProgressBar {
	if !im.progress || size == 0 {
		return nil
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(im.stderr),
		progressbar.OptionSetDescription(in.Name()),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// summarize prints what loading one input did: on stdout normally, on stderr when it failed
// or when -quiet leaves only what needs attention.
func (im *importer) summarize(in ingest.Input, res ingest.FileResult, err error) {
	line := in.Name() + ": " + describeCounts(res.Counts)
	if err == nil {
		rate := 0.0
		if secs := res.Took.Seconds(); secs > 0 {
			rate = float64(res.Counts.Lines()) / secs
		}
		line += fmt.Sprintf(" in %s (%.0f events/s)", res.Took.Round(time.Millisecond), rate)
	}
	switch {
	case res.Rejects != "":
		line += "; rejected lines are in " + res.Rejects
	case err == nil && res.Counts.Lines() > 0 && res.Counts.Accepted == 0:
		line += ": everything was already stored"
	}
	var inErr *ingest.InputError
	switch {
	case errors.As(err, &inErr):
		fmt.Fprintf(im.stderr, "%s; stopped: %v\n", line, explainHeader(err))
	case err != nil: // the database failed: run returns why
		fmt.Fprintf(im.stderr, "%s; stopped\n", line)
	case !im.cfg.quiet:
		fmt.Fprintln(im.stdout, line)
	case res.Rejects != "":
		fmt.Fprintln(im.stderr, line)
	}
}

func describeCounts(c ingest.Counts) string {
	return fmt.Sprintf("%d accepted, %d unchanged, %d rejected", c.Accepted, c.Unchanged, c.Rejected)
}
