package cypher

import (
	"strings"
	"testing"
)

func TestNameOf(t *testing.T) {
	hops := func(st Statement) string { return strings.ReplaceAll(st.Text, "{{hops}}", "50") }
	tests := []struct {
		what, text, want string
	}{
		{"a plain statement", LotDetail.Text, "lot_detail"},
		{"a record statement", RecordReceipts.Text, "record_receipts"},
		{"a schema statement", Schema()[0].Text, Schema()[0].Name},
		{"a template with its placeholder filled", hops(TraceBackward), "trace_backward"},
		{"the other template", hops(TraceForward), "trace_forward"},
		{"an analyst's query", "MATCH (n) RETURN count(n)", ""},
		{"a statement with text added", LotDetail.Text + " LIMIT 1", ""},
	}
	for _, tt := range tests {
		if got := NameOf(tt.text); got != tt.want {
			t.Errorf("%s: NameOf = %q, want %q", tt.what, got, tt.want)
		}
	}
}
