package cypher

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestWithHopsKeepsName: filling in the hop bound changes the text, never the name the
// statement is timed by.
func TestWithHopsKeepsName(t *testing.T) {
	for _, st := range []Statement{TraceBackward, TraceForward, TraceBoth, TraceBackwardKeys, TraceForwardKeys, RecallAffectedKeys} {
		for hops, want := range map[int]string{0: "*0..]", 3: "*0..3]", 50: "*0..50]"} {
			got := st.WithHops(hops)
			if got.Name != st.Name {
				t.Errorf("%s.WithHops(%d) is named %q", st.Name, hops, got.Name)
			}
			if strings.Contains(got.Text, "{{") || !strings.Contains(got.Text, want) {
				t.Errorf("%s.WithHops(%d): want every bound %q and no placeholder left, got:\n%s", st.Name, hops, want, got.Text)
			}
		}
	}
	if got := LotDetail.WithHops(3); got != LotDetail {
		t.Errorf("a statement without the placeholder changed: %+v", got)
	}
}

// TestOnlyHopsPlaceholder: {{hops}} is the one placeholder in any statement, so WithHops is
// the one substitution there is.
func TestOnlyHopsPlaceholder(t *testing.T) {
	placeholder := regexp.MustCompile(`\{\{[^}]*\}\}|\{\{`)
	withHops := 0
	err := fs.WalkDir(files, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		for _, p := range placeholder.FindAllString(load(path).Text, -1) {
			if p != hopsPlaceholder {
				t.Errorf("%s: placeholder %q: WithHops fills in only %s", path, p, hopsPlaceholder)
			}
		}
		if strings.Contains(load(path).Text, hopsPlaceholder) {
			withHops++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if withHops != 6 {
		t.Errorf("%d statements have the hop bound, want the 6 walks", withHops)
	}
}
