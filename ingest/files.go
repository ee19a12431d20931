package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/graph"
)

// Format is the format of an input file.
type Format string

const (
	FormatNDJSON Format = "ndjson"
	FormatCSV    Format = "csv"
)

// Stdin is the path that names standard input.
const Stdin = "-"

// Input is one file to load, with what was decided about it before any loading.
type Input struct {
	Path    string // Stdin for standard input
	Format  Format
	Kind    graph.EventKind // the type of every row of a CSV file without a type column, or ""
	Rejects string          // where its rejected lines go
}

// Name is the input as a person reads it: its path, or "stdin".
func (in Input) Name() string {
	if in.Path == Stdin {
		return "stdin"
	}
	return in.Path
}

// PlanInputs checks every input before the database is touched, so that a typo in the last
// file name does not surface after the first files are loaded. format is the format of every
// input, or "" to tell by extension; rejects is one rejects file for every input, or "" for
// one beside each.
func PlanInputs(paths []string, format Format, kind graph.EventKind, rejects string) ([]Input, error) {
	inputs := make([]Input, 0, len(paths))
	seenStdin := false
	for _, path := range paths {
		f, err := detectFormat(path, format)
		if err != nil {
			return nil, err
		}
		if path == Stdin {
			if seenStdin {
				return nil, errors.New("standard input (-) can be given only once")
			}
			seenStdin = true
		} else if err := checkReadable(path); err != nil {
			return nil, err
		}
		in := Input{Path: path, Format: f, Kind: kind, Rejects: rejects}
		if in.Rejects == "" {
			in.Rejects = defaultRejectsPath(path)
		}
		inputs = append(inputs, in)
	}
	for _, in := range inputs {
		for _, other := range inputs {
			if in.Path != Stdin && filepath.Clean(in.Path) == filepath.Clean(other.Rejects) {
				return nil, fmt.Errorf("the rejects file would overwrite the input %s", in.Path)
			}
		}
	}
	return inputs, nil
}

// detectFormat tells an input's format: -format wins, then the extension; stdin is NDJSON.
func detectFormat(path string, override Format) (Format, error) {
	if override != "" {
		return override, nil
	}
	if path == Stdin {
		return FormatNDJSON, nil
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".ndjson", ".jsonl":
		return FormatNDJSON, nil
	case ".csv":
		return FormatCSV, nil
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
	if path == Stdin {
		return "stdin.rejects.ndjson"
	}
	return path + ".rejects.ndjson"
}

// FileImport loads inputs one after the other with one Loader. Rejected lines go to rejects
// files and are not a failure; an input that cannot be read to its end is skipped for the
// next one; a database failure stops the run.
type FileImport struct {
	// Loader is the template for every input: Recorder, BatchSize and Parallel are used,
	// OnReject and OnBatch are set per input.
	Loader Loader
	Stdin  io.Reader
	// Rejects is one rejects file for every input, or "" for each input's own (Input.Rejects).
	Rejects string
	// StatusOf is the HTTP status of a problem code, written in the rejects files (as the
	// API would answer the line) so that ingest needs no edge to the api package. Optional.
	StatusOf func(code string) int
	// Wrap may wrap an input's reader, as a progress bar does; size is -1 when unknown. Optional.
	Wrap func(in Input, r io.Reader, size int64) io.Reader
	// OnBatch is called after each stored run of an input with its running counts. Optional.
	OnBatch func(in Input, c Counts)
	// OnFile is called after each input with what loading it did. err is an *InputError when
	// the input could not be read to its end, another error when the database failed. Optional.
	OnFile func(in Input, res FileResult, err error)
	// DecodeWorkers decodes NDJSON inputs on this many goroutines (ParallelNDJSON); 0 or 1
	// decodes on one, beside the Loader's own. Optional.
	DecodeWorkers int
}

// FileResult is what loading one input did.
type FileResult struct {
	Counts  Counts
	Took    time.Duration
	Rejects string // the rejects file, when lines were rejected
}

// InputError is an input that could not be read to its end (an I/O error, a bad CSV header),
// as opposed to a database failure: the next input may still load.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

// Run loads the inputs in order. It returns the counts over all inputs, the inputs that could
// not be read (the others were loaded), and the database failure that stopped it, if any.
func (im *FileImport) Run(ctx context.Context, inputs []Input) (Counts, []Input, error) {
	var shared *rejectsFile
	if im.Rejects != "" {
		var err error
		if shared, err = createRejects(im.Rejects, im.StatusOf); err != nil {
			return Counts{}, nil, err
		}
	}
	var total Counts
	var failed []Input
	var loadErr error
	for _, in := range inputs {
		res, err := im.loadInput(ctx, in, shared)
		total = total.add(res.Counts)
		if im.OnFile != nil {
			im.OnFile(in, res, err)
		}
		var inErr *InputError
		if errors.As(err, &inErr) {
			failed = append(failed, in)
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
	return total, failed, loadErr
}

func (c Counts) add(o Counts) Counts {
	return Counts{Accepted: c.Accepted + o.Accepted, Unchanged: c.Unchanged + o.Unchanged, Rejected: c.Rejected + o.Rejected}
}

// loadInput loads one input. shared is the one rejects file of every input, or nil for one
// beside this input.
func (im *FileImport) loadInput(ctx context.Context, in Input, shared *rejectsFile) (FileResult, error) {
	r, size, closeInput, err := im.open(in)
	if err != nil {
		return FileResult{}, &InputError{err}
	}
	defer closeInput()
	rejects := shared
	if rejects == nil {
		if rejects, err = createRejects(in.Rejects, im.StatusOf); err != nil {
			return FileResult{}, err
		}
	}
	before := rejects.count

	if im.Wrap != nil {
		r = im.Wrap(in, r, size)
	}
	loader := im.Loader
	loader.OnReject = func(rej Rejection) { rejects.add(in, rej) }
	loader.OnBatch = nil
	if im.OnBatch != nil {
		loader.OnBatch = func(c Counts) { im.OnBatch(in, c) }
	}
	start := time.Now()
	src := im.source(in, r)
	if c, ok := src.(io.Closer); ok {
		defer c.Close()
	}
	counts, err := loader.Load(ctx, inputSource{src})
	res := FileResult{Counts: counts, Took: time.Since(start)}
	if shared == nil {
		if cerr := rejects.close(); cerr != nil && err == nil {
			err = cerr
		}
	}
	if rejects.count > before {
		res.Rejects = rejects.path
	}
	return res, err
}

// open opens an input, with its size (-1 when unknown).
func (im *FileImport) open(in Input) (io.Reader, int64, func(), error) {
	if in.Path == Stdin {
		return im.Stdin, -1, func() {}, nil
	}
	f, err := os.Open(in.Path)
	if err != nil {
		return nil, 0, nil, err
	}
	size := int64(-1)
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() {
		size = info.Size()
	}
	return f, size, func() { f.Close() }, nil
}

func (im *FileImport) source(in Input, r io.Reader) Source {
	if in.Format == FormatCSV {
		return NewCSV(r, in.Kind)
	}
	if im.DecodeWorkers > 1 {
		return NewParallelNDJSON(r, im.DecodeWorkers)
	}
	return NewNDJSON(r)
}

// inputSource marks the errors that end a source as the input's, so that Run can tell them
// from a database failure.
type inputSource struct{ Source }

func (s inputSource) Next() (int, graph.Event, error) {
	line, ev, err := s.Source.Next()
	var lineErr *graph.Error
	if err != nil && !errors.Is(err, io.EOF) && !errors.As(err, &lineErr) {
		var headerErr *HeaderError
		if !errors.As(err, &headerErr) { // a header error names its line already
			err = fmt.Errorf("line %d: %w", line, err)
		}
		err = &InputError{err}
	}
	return line, ev, err
}
