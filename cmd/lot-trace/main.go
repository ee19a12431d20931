// Command lot-trace runs the lot genealogy service and its tools: serve, import, gen and key.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "lot-trace:", err)
		os.Exit(1)
	}
}

const usage = `usage: lot-trace <command> [flags]

commands:
  serve    run the HTTP service
  import   load NDJSON or CSV event files into the database
  gen      write a synthetic bakery history as NDJSON
  key      make an API key: lot-trace key -name NAME -role ROLE
  version  print the version

Run 'lot-trace <command> -h' for a command's flags.
`

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

// run dispatches to a subcommand. Everything it needs from the process comes in as
// arguments, so tests can run it in-process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("no command given")
	}
	switch cmd, rest := args[0], args[1:]; cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, rest, getenv, stdout, stderr)
	case "gen":
		return runGen(ctx, rest, getenv, stdout, stderr)
	case "key":
		return runKey(ctx, rest, getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, version)
		return nil
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}
