package main

import (
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/lot-trace/lot-trace/api"
)

func TestKeyPrintsASecretAndItsHashedLine(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"key", "-name", "alice", "-role", "analyst"}, func(string) string { return "" }, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out.String(), "\n")
	secret, fileLine := strings.TrimSpace(lines[1]), strings.TrimSpace(lines[4])
	if len(secret) != 43 || strings.ContainsAny(secret, "+/=") {
		t.Errorf("secret %q: want 32 bytes as unpadded base64url (43 characters)", secret)
	}
	if want := "alice analyst " + api.HashSecret(secret); fileLine != want {
		t.Errorf("file line %q, want %q", fileLine, want)
	}
	if strings.Contains(fileLine, secret) {
		t.Error("the file line holds the secret in clear")
	}
	if _, err := api.ParseKeysFile(strings.NewReader(fileLine)); err != nil {
		t.Errorf("the printed line does not parse as a keys file: %v", err)
	}
}

func TestKeyRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{{"key"}, {"key", "-name", "bob"}, {"key", "-name", "bob", "-role", "root"}, {"key", "-name", "b b", "-role", "admin"}} {
		if err := run(context.Background(), args, func(string) string { return "" }, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%v) succeeded, want an error", args)
		}
	}
}

func TestServeConfigGuardsTheListenAddressAndKeys(t *testing.T) {
	dir := t.TempDir()
	keysFile := func(content string) string {
		f, err := os.CreateTemp(dir, "keys")
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		if _, err := f.WriteString(content); err != nil {
			t.Fatal(err)
		}
		return f.Name()
	}
	good := "# team keys\n\nalice analyst " + api.HashSecret("0123456789abcdef-alice") + "\n"
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // "" for success
	}{
		{"loopback without keys", map[string]string{"LOT_TRACE_ADDR": "127.0.0.1:0"}, ""},
		{"localhost without keys", map[string]string{"LOT_TRACE_ADDR": "localhost:8080"}, ""},
		{"IPv6 loopback without keys", map[string]string{"LOT_TRACE_ADDR": "[::1]:8080"}, ""},
		{"all interfaces without keys", map[string]string{"LOT_TRACE_ADDR": "0.0.0.0:8080"}, "LOT_TRACE_ADDR"},
		{"empty host without keys", map[string]string{"LOT_TRACE_ADDR": ":8080"}, "LOT_TRACE_ADDR"},
		{"a host name without keys", map[string]string{"LOT_TRACE_ADDR": "example.com:8080"}, "LOT_TRACE_ADDR"},
		{"all interfaces with env keys", map[string]string{"LOT_TRACE_ADDR": "0.0.0.0:8080", "LOT_TRACE_API_KEYS": "ops:admin:0123456789abcdef-ops"}, ""},
		{"all interfaces with a keys file", map[string]string{"LOT_TRACE_ADDR": "0.0.0.0:8080", "LOT_TRACE_API_KEYS_FILE": keysFile(good)}, ""},
		{"a bad keys file line", map[string]string{"LOT_TRACE_API_KEYS_FILE": keysFile("# c\n\nalice analyst " + api.HashSecret("x") + "\nbob admin not-a-hash\n")}, "line 4"},
		{"an unknown role in a keys file", map[string]string{"LOT_TRACE_API_KEYS_FILE": keysFile("carol root " + api.HashSecret("x") + "\n")}, "line 1"},
		{"a missing keys file", map[string]string{"LOT_TRACE_API_KEYS_FILE": filepath.Join(dir, "nope")}, "LOT_TRACE_API_KEYS_FILE"},
		{"a short env key", map[string]string{"LOT_TRACE_API_KEYS": "ops:admin:short"}, "LOT_TRACE_API_KEYS"},
		{"one name twice", map[string]string{"LOT_TRACE_API_KEYS": "ops:admin:0123456789abcdef-1,ops:reader:0123456789abcdef-2"}, "twice"},
		{"bad cypher timeout", map[string]string{"LOT_TRACE_CYPHER_TIMEOUT": "soon"}, "LOT_TRACE_CYPHER_TIMEOUT"},
		{"bad cypher row cap", map[string]string{"LOT_TRACE_CYPHER_MAX_ROWS": "0"}, "cypher-max-rows"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseServeConfig(nil, func(k string) string { return tt.env[k] }, io.Discard)
			switch {
			case tt.wantErr == "" && err != nil:
				t.Fatalf("error %v, want none", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Fatalf("error %v, want one mentioning %q", err, tt.wantErr)
			}
		})
	}
}
