// Package initial is the first load of an empty database at the speed of Neo4j's offline
// bulk importer (lot-trace import --initial): every line is decoded and checked as the API
// checks it, what the lines create is written as the importer's CSV files, neo4j-admin
// database import full builds the store from them, and the schema is created afterwards.
package initial

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/ingest"
)

// Options say what to load, where, and how to report.
type Options struct {
	Inputs  []ingest.Input
	Stdin   io.Reader
	Rejects string // one rejects file for every input, or "" for each input's own
	// StatusOf is the HTTP status of a problem code, for the rejects files (see ingest.FileImport).
	StatusOf  func(code string) int
	BatchSize int
	// FilesDir is where the importer's files are written; it must be new or empty.
	FilesDir string
	// KeepFiles keeps them after an embedded import (an external one always keeps them).
	KeepFiles bool
	// Embedded is the embedded Neo4j to load, or nil for an external Neo4j at DB: then the
	// files are written and the operator runs the printed neo4j-admin command.
	Embedded *Embedded
	DB       neo4j.Config
	// Wait bounds each wait for the embedded database to start and for the indexes (default
	// 5 minutes); ConnectWait the wait for an external database to answer (default 2 minutes).
	Wait, ConnectWait time.Duration
	Logger            *slog.Logger
	// Progress gets a line as each phase starts and one as it ends. Optional.
	Progress io.Writer
	// OnFile is called after each input is validated (as ingest.FileImport.OnFile). Optional.
	OnFile func(in ingest.Input, res ingest.FileResult, err error)
}

// Result is what an initial import did.
type Result struct {
	Counts ingest.Counts
	Files  *neo4j.BulkFiles
	Phases []Phase
	// Command is the neo4j-admin command for an external Neo4j, which this run did not import.
	Command string
	// PeakMemory is lot-trace's peak resident memory, JavaPeakMemory the largest of
	// neo4j-admin's and the embedded Neo4j's, in bytes (each process's VmHWM; 0 when unknown).
	PeakMemory, JavaPeakMemory int64
}

// Phase is one phase's name, time, and the CPU time lot-trace and the processes it ran
// spent in it (a process is counted once it has ended: the embedded Neo4j started for the
// schema, with the stop phase).
type Phase struct {
	Name string
	Took time.Duration
	CPU  time.Duration
}

// ErrNotEmpty is the refusal of a database that holds data.
var ErrNotEmpty = errors.New("the database is not empty")

// Run loads the inputs into the empty database. Nothing is touched when the database is
// not empty, when an input cannot be read, or when no line is accepted.
func Run(ctx context.Context, opt Options) (*Result, error) {
	r := &runner{opt: opt, res: &Result{}}
	if opt.Logger == nil {
		r.opt.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if opt.Wait <= 0 {
		r.opt.Wait = 5 * time.Minute
	}
	if opt.ConnectWait <= 0 {
		r.opt.ConnectWait = 2 * time.Minute
	}
	err := r.run(ctx)
	r.res.PeakMemory, r.res.JavaPeakMemory = ownPeak(), r.java.Bytes()
	return r.res, err
}

type runner struct {
	opt  Options
	res  *Result
	java peakMemory // of the Java processes this run started
}

func (r *runner) say(format string, args ...any) {
	if r.opt.Progress != nil {
		fmt.Fprintf(r.opt.Progress, "initial import: "+format+"\n", args...)
	}
}

// phase runs one phase, timed, and reports it.
func (r *runner) phase(name string, work func() (string, error)) error {
	r.say("%-8s ...", name+":")
	start, cpu := time.Now(), cpuTime()
	what, err := work()
	took := time.Since(start)
	if err != nil {
		return err
	}
	used := cpuTime() - cpu
	r.res.Phases = append(r.res.Phases, Phase{Name: name, Took: took, CPU: used})
	r.say("%-8s %s in %s (CPU %s)", name+":", what, took.Round(time.Millisecond), used.Round(10*time.Millisecond))
	return nil
}

func (r *runner) run(ctx context.Context) error {
	if err := r.phase("check", func() (string, error) { return r.checkEmpty(ctx) }); err != nil {
		return err
	}
	createdDir, err := r.prepareFilesDir()
	if err != nil {
		return err
	}
	bulk, err := neo4j.NewBulkImport(r.opt.FilesDir)
	if err != nil {
		return err
	}
	done := false
	defer func() {
		if !done {
			bulk.Abort()
			if createdDir {
				_ = os.RemoveAll(r.opt.FilesDir)
			}
		}
	}()
	if err := r.phase("validate", func() (string, error) { return r.validate(ctx, bulk) }); err != nil {
		return err
	}
	if err := r.phase("write", func() (string, error) {
		files, err := bulk.Finish()
		if err != nil {
			return "", err
		}
		r.res.Files = files
		return fmt.Sprintf("%d nodes and %d relationships in %s", files.NodeCount(), files.RelationshipCount(), files.Dir), nil
	}); err != nil {
		return err
	}
	done = true
	if r.opt.Embedded == nil {
		r.res.Command = r.adminCommand()
		return nil
	}
	return r.importEmbedded(ctx, createdDir)
}

// checkEmpty refuses a database that holds any node. An embedded Neo4j must be stopped (its
// data folder is replaced); this run starts it to look when the folder holds a store.
func (r *runner) checkEmpty(ctx context.Context) (string, error) {
	if e := r.opt.Embedded; e != nil {
		if err := e.checkStopped(); err != nil {
			return "", err
		}
		if !e.storeExists(r.database()) {
			return fmt.Sprintf("%s holds no database yet", e.DataDir), nil
		}
		l, err := e.start(ctx, r.opt.Wait, &r.java)
		if err != nil {
			return "", err
		}
		empty, err := r.isEmpty(ctx, l.uri, time.Minute)
		if serr := l.stop(); err == nil {
			err = serr
		}
		if err != nil {
			return "", err
		}
		if !empty {
			return "", fmt.Errorf("%w: the embedded Neo4j on %s holds data, and an initial import only loads an empty database; "+
				"nothing was touched (add events with lot-trace import, or give a new -neo4j-data-dir)", ErrNotEmpty, e.DataDir)
		}
		return fmt.Sprintf("the embedded Neo4j on %s is empty", e.DataDir), nil
	}
	empty, err := r.isEmpty(ctx, r.opt.DB.URI, r.opt.ConnectWait)
	if err != nil {
		return "", err
	}
	if !empty {
		return "", fmt.Errorf("%w: the database at %s holds data, and an initial import only loads an empty database; "+
			"nothing was touched (add events with lot-trace import)", ErrNotEmpty, r.opt.DB.URI)
	}
	return fmt.Sprintf("the database at %s is empty", r.opt.DB.URI), nil
}

// isEmpty opens the database at uri, waits for it to answer, and asks.
func (r *runner) isEmpty(ctx context.Context, uri string, wait time.Duration) (bool, error) {
	cfg := r.opt.DB
	cfg.URI = uri
	return withStore(ctx, cfg, r.opt.Logger, wait, func(s *neo4j.Store) (bool, error) {
		return s.IsEmpty(ctx)
	})
}

// withStore opens the database at cfg, waits until it answers (without creating the schema,
// so a refused database is not touched), and runs work.
func withStore[T any](ctx context.Context, cfg neo4j.Config, logger *slog.Logger, wait time.Duration, work func(*neo4j.Store) (T, error)) (T, error) {
	var zero T
	s, err := neo4j.Open(cfg, logger)
	if err != nil {
		return zero, err
	}
	defer func() {
		closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = s.Close(closeCtx)
	}()
	deadline := time.Now().Add(wait)
	for {
		err = s.Ping(ctx)
		if err == nil || time.Now().After(deadline) || ctx.Err() != nil {
			break
		}
		time.Sleep(250 * time.Millisecond)
	}
	if err != nil {
		return zero, fmt.Errorf("the database at %s does not answer: %w", cfg.URI, err)
	}
	return work(s)
}

// prepareFilesDir checks the files' folder is new or empty; createdDir says it was new.
func (r *runner) prepareFilesDir() (createdDir bool, err error) {
	entries, err := os.ReadDir(r.opt.FilesDir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return true, nil
	case err != nil:
		return false, err
	case len(entries) > 0:
		return false, fmt.Errorf("the folder for the importer's files, %s, is not empty: give a new one with -import-dir", r.opt.FilesDir)
	}
	return false, nil
}

// validate reads every input as lot-trace import does, with the bulk files as the recorder.
func (r *runner) validate(ctx context.Context, bulk *neo4j.BulkImport) (string, error) {
	fi := &ingest.FileImport{
		// One run at a time: each is planned against the runs before it, in line order.
		Loader: ingest.Loader{Recorder: bulk, BatchSize: r.opt.BatchSize, Parallel: 1},
		// Nothing waits for a database here: decoding may take every core.
		DecodeWorkers: runtime.NumCPU(),
		Stdin:         r.opt.Stdin,
		Rejects:       r.opt.Rejects,
		StatusOf:      r.opt.StatusOf,
		OnFile:        r.opt.OnFile,
	}
	counts, failed, err := fi.Run(ctx, r.opt.Inputs)
	r.res.Counts = counts
	if err != nil {
		return "", fmt.Errorf("validation stopped: %w; nothing was imported", err)
	}
	if len(failed) > 0 {
		names := make([]string, len(failed))
		for i, in := range failed {
			names[i] = in.Name()
		}
		return "", fmt.Errorf("%d of %d inputs could not be read to their end (%s); nothing was imported: an initial import loads every input or none",
			len(failed), len(r.opt.Inputs), strings.Join(names, ", "))
	}
	if counts.Accepted == 0 {
		return "", fmt.Errorf("no line was accepted (%d read, %d rejected): nothing to import", counts.Lines(), counts.Rejected)
	}
	what := fmt.Sprintf("%d lines: %d accepted, %d unchanged, %d rejected", counts.Lines(), counts.Accepted, counts.Unchanged, counts.Rejected)
	return what, nil
}

func (r *runner) database() string {
	if r.opt.DB.Database != "" {
		return r.opt.DB.Database
	}
	return "neo4j"
}

// adminCommand is the neo4j-admin command line for an external Neo4j, each argument quoted
// for a POSIX shell.
func (r *runner) adminCommand() string {
	args := r.res.Files.AdminArgs(r.database(), "")
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = shellQuote(a)
	}
	return "neo4j-admin " + strings.Join(quoted, " ")
}

func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// importEmbedded runs the importer on the embedded Neo4j's data folder, starts it, creates
// the schema, checks the counts, and stops it again.
func (r *runner) importEmbedded(ctx context.Context, createdDir bool) error {
	e := r.opt.Embedded
	// Started between the check and now? The importer would refuse its locked store too.
	if err := e.checkStopped(); err != nil {
		return err
	}
	files := r.res.Files
	if err := r.phase("import", func() (string, error) {
		if err := os.MkdirAll(filepath.Join(e.DataDir, "logs"), 0o755); err != nil {
			return "", err
		}
		log := filepath.Join(e.DataDir, "logs", "initial-import.log")
		report := filepath.Join(e.DataDir, "logs", "initial-import.report")
		if err := e.admin(ctx, log, &r.java, files.AdminArgs(r.database(), report)...); err != nil {
			return "", err
		}
		return "neo4j-admin database import full into " + e.DataDir + " (its report: " + log + ")", nil
	}); err != nil {
		return err
	}
	var l *launcher
	if err := r.phase("start", func() (string, error) {
		var err error
		l, err = e.start(ctx, r.opt.Wait, &r.java)
		if err != nil {
			return "", err
		}
		return "the embedded Neo4j on " + e.DataDir, nil
	}); err != nil {
		return err
	}
	if err := r.phase("schema", func() (string, error) { return r.schema(ctx, l.uri, files) }); err != nil {
		_ = l.stop()
		return err
	}
	// Neo4j's CPU time (its start, the schema, the stop) is counted here, once it has ended.
	if err := r.phase("stop", func() (string, error) { return "the embedded Neo4j stopped", l.stop() }); err != nil {
		return err
	}
	if !r.opt.KeepFiles {
		if createdDir {
			_ = os.RemoveAll(files.Dir)
		} else {
			for _, f := range append(append([]neo4j.BulkFile{}, files.Nodes...), files.Relationships...) {
				_ = os.Remove(f.Path)
			}
		}
	}
	return nil
}

// schema creates the constraints and indexes, waits until they are online, and checks the
// database holds what the files did.
func (r *runner) schema(ctx context.Context, uri string, files *neo4j.BulkFiles) (string, error) {
	cfg := r.opt.DB
	cfg.URI = uri
	return withStore(ctx, cfg, r.opt.Logger, time.Minute, func(s *neo4j.Store) (string, error) {
		// No earlier version wrote this database: ApplySchema's migration has nothing to find.
		// A constraint's index population keeps about one core busy: one session per core.
		if err := s.CreateSchemaOnAFullDatabase(ctx, runtime.NumCPU()); err != nil {
			return "", err
		}
		if err := s.AwaitIndexes(ctx, r.opt.Wait); err != nil {
			return "", fmt.Errorf("waiting for the indexes: %w", err)
		}
		nodes, rels, err := s.Counts(ctx)
		if err != nil {
			return "", err
		}
		if nodes != int64(files.NodeCount()) || rels != int64(files.RelationshipCount()) {
			return "", fmt.Errorf("the database holds %d nodes and %d relationships, the files %d and %d",
				nodes, rels, files.NodeCount(), files.RelationshipCount())
		}
		return fmt.Sprintf("constraints and indexes online; %d nodes and %d relationships", nodes, rels), nil
	})
}
