package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
)

const (
	formatNDJSON = "ndjson"
	formatCSV    = "csv"
	stdinName    = "-"
)

// importConfig is the import command's configuration, parsed once from flags and environment.
type importConfig struct {
	db        dbConfig
	batchSize int
	rejects   string          // one rejects file for every input, or "" for one beside each
	format    string          // the format of every input, or "" to tell by extension
	kind      graph.EventKind // the type of every row of CSV files without a type column
	quiet     bool
	inputs    []importInput
}

// importInput is one file to load, with what was decided about it before any loading.
type importInput struct {
	path    string // stdinName for standard input
	format  string
	rejects string // where its rejected lines go
}

func parseImportConfig(args []string, getenv func(string) string, stderr io.Writer) (importConfig, error) {
	if err := checkEnv(getenv, []string{"NEO4J_RETRY", "NEO4J_WAIT"}, nil); err != nil {
		return importConfig{}, err
	}
	var c importConfig
	var kind string
	fs := newFlagSet("import", stderr)
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "usage: lot-trace import [flags] FILE...\n\n"+
			"Loads events into the database. FILE is NDJSON (.ndjson, .jsonl), CSV (.csv, see\n"+
			"docs/csv-import.md), or - for NDJSON on standard input. Loading a file again changes nothing.\n\nflags:\n")
		fs.PrintDefaults()
	}
	registerDBFlags(fs, getenv, &c.db)
	fs.IntVar(&c.batchSize, "batch-size", ingest.DefaultBatchSize, "events stored per transaction")
	fs.StringVar(&c.rejects, "rejects", "", "write the rejected lines of every FILE to this NDJSON file (default: FILE.rejects.ndjson beside each FILE)")
	fs.StringVar(&c.format, "format", "", "ndjson or csv for every FILE (default: by extension)")
	fs.StringVar(&kind, "type", "", "receipt, production or shipment: the event type of CSV files that have no type column")
	fs.BoolVar(&c.quiet, "quiet", false, "print only problems: no progress bar, no summary")
	if err := fs.Parse(args); err != nil {
		return importConfig{}, err
	}
	if c.batchSize <= 0 {
		return importConfig{}, fmt.Errorf("-batch-size must be positive, not %d", c.batchSize)
	}
	if c.format != "" && c.format != formatNDJSON && c.format != formatCSV {
		return importConfig{}, fmt.Errorf("-format must be ndjson or csv, not %q", c.format)
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
	inputs, err := planInputs(fs.Args(), c.format, c.rejects)
	if err != nil {
		return importConfig{}, err
	}
	c.inputs = inputs
	return c, nil
}

// planInputs checks every input before the database is touched, so that a typo in the last
// file name does not surface after the first files are loaded.
func planInputs(paths []string, format, rejects string) ([]importInput, error) {
	inputs := make([]importInput, 0, len(paths))
	seenStdin := false
	for _, path := range paths {
		f, err := detectFormat(path, format)
		if err != nil {
			return nil, err
		}
		if path == stdinName {
			if seenStdin {
				return nil, errors.New("standard input (-) can be given only once")
			}
			seenStdin = true
		} else if err := checkReadable(path); err != nil {
			return nil, err
		}
		in := importInput{path: path, format: f, rejects: rejects}
		if in.rejects == "" {
			in.rejects = defaultRejectsPath(path)
		}
		inputs = append(inputs, in)
	}
	for _, in := range inputs {
		for _, other := range inputs {
			if in.path != stdinName && filepath.Clean(in.path) == filepath.Clean(other.rejects) {
				return nil, fmt.Errorf("the rejects file would overwrite the input %s", in.path)
			}
		}
	}
	return inputs, nil
}

// detectFormat tells an input's format: -format wins, then the extension; stdin is NDJSON.
func detectFormat(path, override string) (string, error) {
	if override != "" {
		return override, nil
	}
	if path == stdinName {
		return formatNDJSON, nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ndjson", ".jsonl":
		return formatNDJSON, nil
	case ".csv":
		return formatCSV, nil
	default:
		return "", fmt.Errorf("cannot tell the format of %s from its extension (.ndjson, .jsonl or .csv): give -format ndjson or -format csv", path)
	}
}

func checkReadable(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("input file %s does not exist", path)
	case err != nil:
		return fmt.Errorf("cannot read input file %s: %w", path, errors.Unwrap(err))
	case info.IsDir():
		return fmt.Errorf("input %s is a directory, not a file", path)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("cannot read input file %s: %w", path, errors.Unwrap(err))
	}
	return f.Close()
}

func defaultRejectsPath(path string) string {
	if path == stdinName {
		return "stdin.rejects.ndjson"
	}
	return path + ".rejects.ndjson"
}

// runImport loads NDJSON and CSV event files into the database. Rejected lines are written to
// a rejects file and are not a failure; a database failure, or an input that cannot be read,
// is.
func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, err := parseImportConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	// Warnings only: the store logs its wait for the database, which a person at a terminal wants to see.
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	store, err := graph.OpenStore(cfg.db.storeConfig(), logger)
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
	im := &importer{cfg: cfg, recorder: store, stdin: os.Stdin, stdout: stdout, stderr: stderr, progress: isTerminal(stderr) && !cfg.quiet}
	return im.run(ctx)
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// importer loads the inputs one after the other into one recorder.
type importer struct {
	cfg            importConfig
	recorder       ingest.Recorder
	stdin          io.Reader
	stdout, stderr io.Writer
	progress       bool // draw a progress bar on stderr
}

// fileResult is what loading one input did.
type fileResult struct {
	counts  ingest.Counts
	took    time.Duration
	rejects string // the rejects file, when lines were rejected
}

// inputError is an input that could not be read to its end (an I/O error, a bad CSV header),
// as opposed to a database failure: the next input may still load.
type inputError struct{ err error }

func (e *inputError) Error() string { return e.err.Error() }
func (e *inputError) Unwrap() error { return e.err }

func (im *importer) run(ctx context.Context) error {
	var shared *rejectsFile
	if im.cfg.rejects != "" {
		var err error
		if shared, err = createRejects(im.cfg.rejects); err != nil {
			return err
		}
	}
	var total ingest.Counts
	var failed []string
	var loadErr error
	for _, in := range im.cfg.inputs {
		res, err := im.loadInput(ctx, in, shared)
		total = addCounts(total, res.counts)
		im.summarize(in, res, err)
		var inErr *inputError
		if errors.As(err, &inErr) {
			failed = append(failed, in.path)
			continue
		}
		if err != nil {
			loadErr = err
			break
		}
	}
	if shared != nil {
		if err := shared.close(); err != nil && loadErr == nil {
			loadErr = err
		}
	}
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
		return fmt.Errorf("%d of %d inputs could not be loaded: %s", len(failed), len(im.cfg.inputs), strings.Join(failed, ", "))
	}
	return nil
}

// loadInput loads one input. shared is the one rejects file of every input, or nil for one
// beside this input.
func (im *importer) loadInput(ctx context.Context, in importInput, shared *rejectsFile) (fileResult, error) {
	r, size, closeInput, err := im.open(in)
	if err != nil {
		return fileResult{}, &inputError{err}
	}
	defer closeInput()
	rejects := shared
	if rejects == nil {
		if rejects, err = createRejects(in.rejects); err != nil {
			return fileResult{}, err
		}
	}
	before := rejects.count

	bar := im.progressBar(in, size)
	if bar != nil {
		pr := progressbar.NewReader(r, bar)
		r = &pr
	}
	loader := ingest.Loader{
		Recorder:  im.recorder,
		BatchSize: im.cfg.batchSize,
		OnReject:  func(rej ingest.Rejection) { rejects.add(in, rej) },
		OnBatch: func(c ingest.Counts) {
			if bar != nil {
				bar.Describe(fmt.Sprintf("%s: %d accepted, %d unchanged, %d rejected", displayName(in), c.Accepted, c.Unchanged, c.Rejected))
			}
		},
	}
	start := time.Now()
	counts, err := loader.Load(ctx, inputSource{im.source(in, r)})
	res := fileResult{counts: counts, took: time.Since(start)}
	if bar != nil {
		_ = bar.Finish()
	}
	if shared == nil {
		if cerr := rejects.close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	if rejects.count > before {
		res.rejects = rejects.path
	}
	return res, err
}

// open opens an input, with its size for the progress bar (-1 when unknown).
func (im *importer) open(in importInput) (io.Reader, int64, func(), error) {
	if in.path == stdinName {
		return im.stdin, -1, func() {}, nil
	}
	f, err := os.Open(in.path)
	if err != nil {
		return nil, 0, nil, err
	}
	size := int64(-1)
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = info.Size()
	}
	return f, size, func() { f.Close() }, nil
}

func (im *importer) source(in importInput, r io.Reader) ingest.Source {
	if in.format == formatCSV {
		return ingest.NewCSV(r, im.cfg.kind)
	}
	return ingest.NewNDJSON(r)
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
func (im *importer) progressBar(in importInput, size int64) *progressbar.ProgressBar {
	if !im.progress || size == 0 {
		return nil
	}
	return progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(im.stderr),
		progressbar.OptionSetDescription(displayName(in)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
}

// inputSource marks the errors that end a source as the input's, so that run can tell them
// from a database failure.
type inputSource struct{ ingest.Source }

func (s inputSource) Next() (int, graph.Event, error) {
	line, ev, err := s.Source.Next()
	var lineErr *graph.Error
	if err != nil && !errors.Is(err, io.EOF) && !errors.As(err, &lineErr) {
		var headerErr *ingest.HeaderError
		if errors.As(err, &headerErr) { // it names its line already
			err = explainHeader(err)
		} else {
			err = fmt.Errorf("line %d: %w", line, err)
		}
		err = &inputError{err}
	}
	return line, ev, err
}

// summarize prints what loading one input did: on stdout normally, on stderr when it failed
// or when -quiet leaves only what needs attention.
func (im *importer) summarize(in importInput, res fileResult, err error) {
	line := displayName(in) + ": " + describeCounts(res.counts)
	if err == nil {
		rate := 0.0
		if secs := res.took.Seconds(); secs > 0 {
			rate = float64(res.counts.Lines()) / secs
		}
		line += fmt.Sprintf(" in %s (%.0f events/s)", res.took.Round(time.Millisecond), rate)
	}
	switch {
	case res.rejects != "":
		line += "; rejected lines are in " + res.rejects
	case err == nil && res.counts.Lines() > 0 && res.counts.Accepted == 0:
		line += ": everything was already stored"
	}
	var inErr *inputError
	switch {
	case errors.As(err, &inErr):
		fmt.Fprintf(im.stderr, "%s; stopped: %v\n", line, err)
	case err != nil: // the database failed: run returns why
		fmt.Fprintf(im.stderr, "%s; stopped\n", line)
	case !im.cfg.quiet:
		fmt.Fprintln(im.stdout, line)
	case res.rejects != "":
		fmt.Fprintln(im.stderr, line)
	}
}

func describeCounts(c ingest.Counts) string {
	return fmt.Sprintf("%d accepted, %d unchanged, %d rejected", c.Accepted, c.Unchanged, c.Rejected)
}

func addCounts(a, b ingest.Counts) ingest.Counts {
	return ingest.Counts{Accepted: a.Accepted + b.Accepted, Unchanged: a.Unchanged + b.Unchanged, Rejected: a.Rejected + b.Rejected}
}

func displayName(in importInput) string {
	if in.path == stdinName {
		return "stdin"
	}
	return in.path
}

// rejectJSON is one rejected line in a rejects file.
type rejectJSON struct {
	File    string             `json:"file"`
	Line    int                `json:"line"`
	Status  int                `json:"status"` // as POST /api/v1/events would answer it
	Code    string             `json:"code"`
	Message string             `json:"message"`
	Errors  []graph.FieldError `json:"errors,omitempty"`
}

// rejectsFile collects rejected lines as NDJSON. It is created before loading, so that a
// rejects file left by an earlier run never outlives a run without rejects, and it is removed
// at the end when nothing was rejected.
type rejectsFile struct {
	path  string
	f     *os.File
	w     *bufio.Writer
	count int
	err   error // the first write error, reported at close
}

func createRejects(path string) (*rejectsFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cannot create the rejects file: %w", err)
	}
	return &rejectsFile{path: path, f: f, w: bufio.NewWriter(f)}, nil
}

func (r *rejectsFile) add(in importInput, rej ingest.Rejection) {
	fields := rej.Errors
	if in.format == formatCSV {
		// Problems the store finds name wire fields ("inputs[0].lot"); say them in CSV terms.
		fields = make([]graph.FieldError, len(rej.Errors))
		for i, f := range rej.Errors {
			fields[i] = graph.FieldError{Field: ingest.CSVColumnOf(f.Field), Message: f.Message}
		}
	}
	b, err := json.Marshal(rejectJSON{
		File: displayName(in), Line: rej.Line, Status: api.HTTPStatus(&graph.Error{Code: rej.Code}),
		Code: rej.Code, Message: rej.Message, Errors: fields,
	})
	if err == nil {
		_, err = r.w.Write(append(b, '\n'))
	}
	if err != nil && r.err == nil {
		r.err = err
	}
	r.count++
}

func (r *rejectsFile) close() error {
	err := r.w.Flush()
	if cerr := r.f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = r.err
	}
	if err != nil {
		return fmt.Errorf("writing the rejects file %s: %w", r.path, err)
	}
	if r.count == 0 {
		return os.Remove(r.path)
	}
	return nil
}
