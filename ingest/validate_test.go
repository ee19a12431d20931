package ingest

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// The ASCII shortcut of IsIdentifier and isText decides exactly as the expressions do.
func TestPrintableASCIIShortcutAgreesWithThePatterns(t *testing.T) {
	byPattern := func(s string, maxLen int, re func(string) bool) bool {
		return s != "" && utf8.RuneCountInString(s) <= maxLen && utf8.ValidString(s) && re(s)
	}
	cases := []string{"", " ", "a", " a", "a ", "a b", "  ", "LOT-1", "x\ty", "x\x7f", "\x1f", "~", "caf\u00e9", "a\u00a0",
		"urn:epc:class:lgtin:4012345.012345.998877", strings.Repeat("a", 200), strings.Repeat("a", 201),
		strings.Repeat("b", 1000), strings.Repeat("b", 1001), strings.Repeat("u", 32), strings.Repeat("u", 33), "\xff", "a\u200b"}
	rng := rand.New(rand.NewPCG(17, 1))
	alphabet := []byte(" aZ9-_:.\x00\x1f\x7e\x7f\t")
	for range 20000 {
		b := make([]byte, rng.IntN(6))
		for i := range b {
			b[i] = alphabet[rng.IntN(len(alphabet))]
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		if got, want := IsIdentifier(s), byPattern(s, maxIdentLen, identRE.MatchString) && len(s) > 0; got != want {
			t.Errorf("IsIdentifier(%q) = %v, the pattern says %v", s, got, want)
		}
		for _, max := range []int{maxTextLen, maxUnitLen} {
			if got, want := isText(s, max), byPattern(s, max, textRE.MatchString); got != want {
				t.Errorf("isText(%q, %d) = %v, the pattern says %v", s, max, got, want)
			}
		}
	}
}
