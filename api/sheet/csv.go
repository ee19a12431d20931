package sheet

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"
)

// bom opens the CSV: without it Excel reads UTF-8 as the local code page and garbles names.
const bom = "\uFEFF"

// CSV layouts of times and dates: ones Excel recognises as dates when it opens the file.
const (
	csvTime = "2006-01-02 15:04:05"
	csvDate = time.DateOnly
)

// WriteCSV writes the table as UTF-8 CSV with a byte order mark, one header row, streaming
// row by row. Text cells that a spreadsheet would run as a formula are neutralised.
func WriteCSV(w io.Writer, t Table) error {
	if _, err := io.WriteString(w, bom); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	record := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		record[i] = c.Header
	}
	if err := cw.Write(record); err != nil {
		return err
	}
	for row := range t.Rows {
		for i, c := range t.Columns {
			record[i] = csvCell(c.Kind, row[i])
		}
		if err := cw.Write(record); err != nil {
			return err
		}
	}
	if err := t.err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

func csvCell(kind Kind, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case time.Time:
		if x.IsZero() {
			return ""
		}
		if kind == Date {
			return x.UTC().Format(csvDate)
		}
		return x.UTC().Format(csvTime)
	case string:
		return Neutralise(x)
	}
	return ""
}

// Neutralise makes text safe to open in a spreadsheet: a cell that starts with =, +, -, @,
// a tab or a carriage return would be read as a formula (CSV injection), so it gets a
// leading single quote, which spreadsheets show as text and do not run.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
