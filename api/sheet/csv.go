package sheet

import (
	"encoding/csv"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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

// Neutralise makes text safe to open in a spreadsheet, after OWASP's CSV injection advice:
// a cell whose first character, or first after leading white space (which some spreadsheets
// skip), is =, +, -, @, a tab, a carriage return or a line feed, or the full-width ＝ ＋ － ＠
// (which some input methods turn into their ASCII forms), may be run as a formula, so it gets
// a leading single quote, which spreadsheets show as text and do not run. A cell that is just
// a signed decimal number ("-2", "+1.5") is left alone: a spreadsheet reads it as that number
// and runs nothing.
func Neutralise(s string) string {
	rest := strings.TrimLeftFunc(s, func(r rune) bool { return unicode.IsSpace(r) && r != '\t' && r != '\r' && r != '\n' })
	first, _ := utf8.DecodeRuneInString(rest)
	if rest == "" || !strings.ContainsRune(formulaStarts, first) || plainNumber.MatchString(s) {
		return s
	}
	return "'" + s
}

// formulaStarts are the characters a spreadsheet may take as the start of a formula.
const formulaStarts = "=+-@\t\r\n\uFF1D\uFF0B\uFF0D\uFF20"

// plainNumber is a signed decimal number such as -2, +1.5 or -3e4, and nothing more.
var plainNumber = regexp.MustCompile(`^[+-][0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$`)
