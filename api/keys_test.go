package api

import (
	"slices"
	"strings"
	"testing"
)

func TestParseKeysEnv(t *testing.T) {
	keys, err := ParseKeysEnv(" ann:reader:0123456789abcdef-ann , wes:writer:0123456789abcdef:wes,")
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 2 || keys[0].Name != "ann" || keys[0].Role != RoleReader || keys[1].Role != RoleWriter {
		t.Fatalf("keys = %+v", keys)
	}
	for _, bad := range []string{"ann:reader", "ann:root:0123456789abcdef", "ann:reader:short", ":reader:0123456789abcdef"} {
		if _, err := ParseKeysEnv(bad); err == nil {
			t.Errorf("ParseKeysEnv(%q) succeeded, want an error", bad)
		}
	}
}

func TestParseKeysFileNamesTheBadLine(t *testing.T) {
	good := "ann reader " + HashSecret("s1")
	keys, err := ParseKeysFile(strings.NewReader("# keys\n\n" + good + "\n  # indented comment\n"))
	if err != nil || len(keys) != 1 {
		t.Fatalf("keys %v, err %v", keys, err)
	}
	for _, tt := range []struct{ file, line string }{
		{good + "\nbob admin abc\n", "line 2"},
		{"\n\nbob admin\n", "line 3"},
		{"bob boss " + HashSecret("x"), "line 1"},
	} {
		_, err := ParseKeysFile(strings.NewReader(tt.file))
		if err == nil || !strings.Contains(err.Error(), tt.line) {
			t.Errorf("ParseKeysFile(%q) error %v, want one naming %s", tt.file, err, tt.line)
		}
	}
}

func TestKeyringLookup(t *testing.T) {
	a, _ := NewKey("ann", RoleReader, "0123456789abcdef-ann")
	b, _ := NewKey("bob", RoleAdmin, "0123456789abcdef-bob")
	fromFile, err := ParseKeysFile(strings.NewReader("cat analyst " + HashSecret("0123456789abcdef-cat")))
	if err != nil {
		t.Fatal(err)
	}
	ring, err := NewKeyring(append([]Key{a, b}, fromFile...)...)
	if err != nil {
		t.Fatal(err)
	}
	for secret, want := range map[string]string{"0123456789abcdef-ann": "ann", "0123456789abcdef-bob": "bob", "0123456789abcdef-cat": "cat", "0123456789abcdef-dan": "", "": ""} {
		k, ok := ring.lookup(secret)
		if got := map[bool]string{true: k.Name, false: ""}[ok]; got != want {
			t.Errorf("lookup(%q) = %q, want %q", secret, got, want)
		}
	}
	if _, err := NewKeyring(a, a); err == nil {
		t.Error("a keyring with one name twice was accepted")
	}
	c, _ := NewKey("cal", RoleWriter, "0123456789abcdef-ann")
	if _, err := NewKeyring(a, c); err == nil {
		t.Error("a keyring with one secret under two names was accepted")
	}
}

func TestBearerToken(t *testing.T) {
	for header, want := range map[string]string{
		"Bearer abc": "abc", "bearer abc": "abc", "Bearer  abc ": "abc",
		"": "", "Bearer": "", "Bearer ": "", "Basic abc": "", "abc": "",
	} {
		got, ok := bearerToken(header)
		if got != want || ok != (want != "") {
			t.Errorf("bearerToken(%q) = %q, %v; want %q", header, got, ok, want)
		}
	}
}

func TestEveryAccessHasRoles(t *testing.T) {
	for _, a := range []access{reader, writer, analyst, admin} {
		if len(rolesWith[a]) == 0 || !slices.Contains(rolesWith[a], RoleAdmin) {
			t.Errorf("access %s: roles %v, want a non-empty list including admin", a, rolesWith[a])
		}
	}
}

func TestNewSecretIsRandom(t *testing.T) {
	a, _ := NewSecret()
	b, _ := NewSecret()
	if a == b || len(a) != 43 {
		t.Errorf("NewSecret gave %q and %q", a, b)
	}
}
