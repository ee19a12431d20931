package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/lot-trace/lot-trace/api"
)

// runKey prints a new API key once, with the line that gives it a role in a keys file. The
// service keeps only the hash, so a lost key is replaced, never recovered.
func runKey(_ context.Context, args []string, _ func(string) string, stdout, stderr io.Writer) error {
	fs := newFlagSet("key", stderr)
	name := fs.String("name", "", "the key's name, as the audit trail will show it (no spaces, commas or colons)")
	role := fs.String("role", "", "reader, writer, analyst or admin")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *name == "" || *role == "" {
		return fmt.Errorf("key: -name and -role are required, e.g. lot-trace key -name alice -role analyst")
	}
	secret, err := api.NewSecret()
	if err != nil {
		return fmt.Errorf("key: %w", err)
	}
	// Parse the line back, so that a bad name or role fails here and not at the next start.
	if _, err := api.ParseKeysEnv(*name + ":" + *role + ":" + secret); err != nil {
		return fmt.Errorf("key: %w", err)
	}
	fmt.Fprintf(stdout, "key (shown once; give it to %s):\n  %s\n\nline for LOT_TRACE_API_KEYS_FILE:\n  %s\n",
		*name, secret, api.KeyFileLine(*name, api.Role(*role), secret))
	return nil
}

// loadKeyring reads the keys of LOT_TRACE_API_KEYS ("name:role:key,...", keys in clear, for
// development and compose files) and of LOT_TRACE_API_KEYS_FILE (hashed keys), both if set.
func loadKeyring(getenv func(string) string) (*api.Keyring, error) {
	keys, err := api.ParseKeysEnv(getenv("LOT_TRACE_API_KEYS"))
	if err != nil {
		return nil, fmt.Errorf("LOT_TRACE_API_KEYS: %w", err)
	}
	if path := getenv("LOT_TRACE_API_KEYS_FILE"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return nil, fmt.Errorf("LOT_TRACE_API_KEYS_FILE: %w", err)
		}
		defer f.Close()
		fromFile, err := api.ParseKeysFile(f)
		if err != nil {
			return nil, fmt.Errorf("LOT_TRACE_API_KEYS_FILE %s: %w", path, err)
		}
		keys = append(keys, fromFile...)
	}
	ring, err := api.NewKeyring(keys...)
	if err != nil {
		return nil, fmt.Errorf("API keys: %w", err)
	}
	return ring, nil
}
