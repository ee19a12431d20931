package api

import (
	"bufio"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
)

// Role is what a key may do; rolesWith in auth.go says which routes each role reaches.
type Role string

// The roles of ../shared/API.md.
const (
	RoleReader  Role = "reader"  // lots, traces, recalls, exports
	RoleWriter  Role = "writer"  // ingest: the event routes
	RoleAnalyst Role = "analyst" // reader + the Cypher console
	RoleAdmin   Role = "admin"   // everything, including the audit trail
)

// Roles lists every role.
var Roles = []Role{RoleReader, RoleWriter, RoleAnalyst, RoleAdmin}

func parseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q (want reader, writer, analyst or admin)", s)
}

// Key is one API key as the service holds it: a name for the audit trail, a role, and the
// SHA-256 digest of the secret. The secret itself is never kept.
type Key struct {
	Name   string
	Role   Role
	digest [sha256.Size]byte
}

// minSecretLen refuses secrets short enough to guess; generated keys are 43 characters.
const minSecretLen = 16

// NewKey returns a key for a secret given in clear (from LOT_TRACE_API_KEYS).
func NewKey(name string, role Role, secret string) (Key, error) {
	if err := checkKeyName(name); err != nil {
		return Key{}, err
	}
	if len(secret) < minSecretLen {
		return Key{}, fmt.Errorf("the key of %s is shorter than %d characters", name, minSecretLen)
	}
	return Key{Name: name, Role: role, digest: sha256.Sum256([]byte(secret))}, nil
}

func checkKeyName(name string) error {
	if name == "" || strings.ContainsAny(name, ":, \t\r\n") {
		return fmt.Errorf("key name %q must be non-empty, without spaces, commas or colons", name)
	}
	return nil
}

// HashSecret returns the hex SHA-256 of a secret, the form a keys file holds. A plain hash
// (no salt, no slow KDF) is enough: secrets are 32 random bytes, beyond guessing.
func HashSecret(secret string) string {
	d := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(d[:])
}

// NewSecret returns a new random secret: 32 bytes from crypto/rand, base64url without padding.
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// KeyFileLine is the keys file line for a key: "name role sha256-hex".
func KeyFileLine(name string, role Role, secret string) string {
	return fmt.Sprintf("%s %s %s", name, role, HashSecret(secret))
}

// ParseKeysEnv reads LOT_TRACE_API_KEYS: "name:role:secret" entries separated by commas.
func ParseKeysEnv(value string) ([]Key, error) {
	var keys []Key
	for i, entry := range strings.Split(value, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		parts := strings.SplitN(entry, ":", 3)
		if len(parts) != 3 {
			return nil, fmt.Errorf("entry %d is not name:role:key", i+1)
		}
		role, err := parseRole(parts[1])
		if err != nil {
			return nil, fmt.Errorf("entry %d (%s): %w", i+1, parts[0], err)
		}
		k, err := NewKey(parts[0], role, parts[2])
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// ParseKeysFile reads a keys file: one "name role sha256-hex" a line, with blank lines and
// # comments allowed. An error names the line.
func ParseKeysFile(r io.Reader) ([]Key, error) {
	var keys []Key
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, err := parseKeyFileLine(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		keys = append(keys, k)
	}
	return keys, sc.Err()
}

func parseKeyFileLine(line string) (Key, error) {
	fields := strings.Fields(line)
	if len(fields) != 3 {
		return Key{}, fmt.Errorf("want \"name role sha256-hex\", got %d fields", len(fields))
	}
	if err := checkKeyName(fields[0]); err != nil {
		return Key{}, err
	}
	role, err := parseRole(fields[1])
	if err != nil {
		return Key{}, err
	}
	digest, err := hex.DecodeString(fields[2])
	if err != nil || len(digest) != sha256.Size {
		return Key{}, fmt.Errorf("the hash of %s is not 64 hex digits (a SHA-256; 'lot-trace key' prints it)", fields[0])
	}
	k := Key{Name: fields[0], Role: role}
	copy(k.digest[:], digest)
	return k, nil
}

// Keyring holds the configured keys. An empty keyring means auth is off.
type Keyring struct {
	keys []Key
}

// NewKeyring checks that names and secrets are unique: a name must point at one key in the
// audit trail, and one secret cannot carry two roles.
func NewKeyring(keys ...Key) (*Keyring, error) {
	names := map[string]bool{}
	digests := map[[sha256.Size]byte]string{}
	for _, k := range keys {
		if names[k.Name] {
			return nil, fmt.Errorf("key name %s is used twice", k.Name)
		}
		if other, ok := digests[k.digest]; ok {
			return nil, fmt.Errorf("keys %s and %s have the same secret", other, k.Name)
		}
		names[k.Name], digests[k.digest] = true, k.Name
	}
	return &Keyring{keys: keys}, nil
}

// Len is the number of keys.
func (r *Keyring) Len() int {
	if r == nil {
		return 0
	}
	return len(r.keys)
}

// lookup finds the key for a presented secret. It compares digests, not secrets, so the
// comparison takes the same time whatever the secret's length, and it compares with every key
// without stopping at a match, so the time taken says nothing about which key matched or how
// much of it.
func (r *Keyring) lookup(secret string) (Key, bool) {
	d := sha256.Sum256([]byte(secret))
	found, at := 0, 0
	for i := range r.keys {
		eq := subtle.ConstantTimeCompare(d[:], r.keys[i].digest[:])
		at = subtle.ConstantTimeSelect(eq, i, at)
		found |= eq
	}
	if found == 0 {
		return Key{}, false
	}
	return r.keys[at], true
}
