package ingest

import "testing"

func TestDetectFormat(t *testing.T) {
	tests := []struct {
		path           string
		override, want Format
	}{
		{"events.ndjson", "", FormatNDJSON},
		{"events.jsonl", "", FormatNDJSON},
		{"EXPORT.CSV", "", FormatCSV},
		{"dir.v2/events.csv", "", FormatCSV},
		{"-", "", FormatNDJSON},
		{"-", "csv", FormatCSV},
		{"events.txt", "csv", FormatCSV},
		{"events.csv", "ndjson", FormatNDJSON},
		{"events.txt", "", ""},
		{"events", "", ""},
	}
	for _, tt := range tests {
		got, err := detectFormat(tt.path, tt.override)
		if got != tt.want || (err != nil) != (tt.want == "") {
			t.Errorf("detectFormat(%q, %q) = %q, %v; want %q", tt.path, tt.override, got, err, tt.want)
		}
	}
}
