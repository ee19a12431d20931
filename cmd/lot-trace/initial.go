package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/internal/initial"
)

// initialConfig is import -initial's part of the import configuration.
type initialConfig struct {
	on        bool
	dataDir   string // the embedded Neo4j's data folder, or "" for an external Neo4j
	launch    string
	importDir string
	keepFiles bool
}

func registerInitialFlags(fs *flag.FlagSet, getenv func(string) string, c *initialConfig) {
	fs.BoolVar(&c.on, "initial", false, "the first load of an EMPTY database at bulk-import speed: every line is checked as the API checks it, "+
		"then Neo4j's offline importer builds the database (see README, Initial import); a database that holds data is refused")
	fs.StringVar(&c.dataDir, "neo4j-data-dir", "", "with -initial: the embedded Neo4j's data folder (its --data-dir, .neo4j-data for make run), "+
		"which must be stopped: the command imports into it, starts it, creates the schema and stops it. "+
		"Without it, the files are written for an external Neo4j and the neo4j-admin command is printed")
	fs.StringVar(&c.launch, "neo4j-launch", envOr(getenv, "LOT_TRACE_NEO4J_LAUNCH", filepath.Join("neo4j-embedded", "launch")),
		"with -neo4j-data-dir: the embedded Neo4j's launch script (env LOT_TRACE_NEO4J_LAUNCH)")
	fs.StringVar(&c.importDir, "import-dir", "", "with -initial: a new or empty folder for the importer's CSV files "+
		"(default: DATA-DIR/initial-import with -neo4j-data-dir, else ./lot-trace-initial-import)")
	fs.BoolVar(&c.keepFiles, "keep-import-files", false, "with -neo4j-data-dir: keep the importer's files after the import")
}

// check refuses the -initial flags without -initial.
func (c *initialConfig) check() error {
	if c.on {
		if c.importDir == "" {
			c.importDir = "lot-trace-initial-import"
			if c.dataDir != "" {
				c.importDir = filepath.Join(c.dataDir, "initial-import")
			}
		}
		return nil
	}
	if c.dataDir != "" || c.importDir != "" || c.keepFiles {
		return errors.New("-neo4j-data-dir, -import-dir and -keep-import-files go with -initial")
	}
	return nil
}

// runInitialImport loads the inputs into an empty database with Neo4j's bulk importer.
func runInitialImport(ctx context.Context, cfg importConfig, stdout, stderr io.Writer) error {
	start := time.Now()
	im := &importer{cfg: cfg, stdout: stdout, stderr: stderr}
	opt := initial.Options{
		Inputs:      cfg.inputs,
		Stdin:       os.Stdin,
		Rejects:     cfg.rejects,
		StatusOf:    func(code string) int { return api.HTTPStatus(&graph.Error{Code: code}) },
		BatchSize:   cfg.batchSize,
		FilesDir:    cfg.initial.importDir,
		KeepFiles:   cfg.initial.keepFiles,
		DB:          cfg.db.storeConfig(),
		Wait:        max(cfg.db.waitTimeout, 5*time.Minute),
		ConnectWait: cfg.db.waitTimeout,
		Logger:      slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		OnFile:      im.summarize,
	}
	if !cfg.quiet {
		opt.Progress = stdout
	}
	if cfg.initial.dataDir != "" {
		opt.Embedded = &initial.Embedded{Launch: cfg.initial.launch, DataDir: cfg.initial.dataDir}
	}
	res, err := initial.Run(ctx, opt)
	if res.Counts.Rejected > 0 {
		fmt.Fprintf(stderr, "lot-trace import: %d of %d events were rejected and not loaded (see the rejects files above)\n",
			res.Counts.Rejected, res.Counts.Lines())
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return errors.New("initial import interrupted: before the import phase the database is untouched; " +
				"during or after it, the embedded database may be incomplete: it was empty before, so remove its data " +
				"folder's data/ and run the initial import again")
		}
		return err
	}
	if opt.Embedded == nil {
		printOperatorSteps(stdout, res, cfg)
		return nil
	}
	if !cfg.quiet {
		took := time.Since(start)
		fmt.Fprintf(stdout, "initial import: %d events in %s (%.0f events/s); peak memory: lot-trace %s, neo4j-admin or Neo4j %s\n",
			res.Counts.Accepted, took.Round(time.Millisecond), float64(res.Counts.Lines())/took.Seconds(), mebibytes(res.PeakMemory), mebibytes(res.JavaPeakMemory))
		fmt.Fprintf(stdout, "initial import: done; start the service as usual (make run, or the launcher with --data-dir %s)\n", cfg.initial.dataDir)
	}
	return nil
}

// printOperatorSteps tells the operator of an external Neo4j how to import the files.
func printOperatorSteps(w io.Writer, res *initial.Result, cfg importConfig) {
	db := cfg.db.database
	if db == "" {
		db = "neo4j"
	}
	fmt.Fprintf(w, `
The importer's files are in %s. The database %s at %s was empty when checked; to load it:

1. Copy the folder to the Neo4j server, to the same path (or change the paths below).
2. Stop the database. Community edition: stop the server (neo4j stop, or stop its
   container or service). Enterprise: STOP DATABASE %s in the system database.
3. On the server, as the user Neo4j runs as:

%s

   It replaces the database %s (--overwrite-destination) with the files' graph; it refuses
   to run while the database is started.
4. Start the database again (neo4j start; Enterprise: START DATABASE %s).
5. Start lot-trace serve on it: it creates the constraints and indexes at start, and
   /readyz answers 200 once they are in place (on a large history, their indexes fill
   for a while after that).
`, res.Files.Dir, db, cfg.db.uri, db, wrapCommand(res.Command), db, db)
}

// wrapCommand breaks the command into one argument per line for a shell.
func wrapCommand(cmd string) string {
	return "   " + strings.ReplaceAll(cmd, " --", " \\\n     --")
}

func mebibytes(n int64) string {
	if n <= 0 {
		return "unknown"
	}
	return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20))
}
