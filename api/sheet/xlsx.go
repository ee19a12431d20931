package sheet

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// explanationSheet is the name of the sheet that explains every column.
const explanationSheet = "Columns"

// styles are the cell styles of a workbook, one per column kind, and the header's.
type styles struct {
	header int
	kind   map[Kind]int
}

// WriteXLSX writes the workbook: each table on its own sheet, streamed (excelize keeps at
// most 16 MiB of a sheet's XML in memory and spills the rest to a temporary file; the
// archive is written to w as it is compressed), so its memory stays flat, with the header
// row frozen, an autofilter, typed cells (real dates, codes as text) and column widths; then
// a sheet that explains every column.
func WriteXLSX(w io.Writer, wb Workbook) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	for i, t := range wb.Tables {
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), t.Name)
		} else {
			_, err = f.NewSheet(t.Name)
		}
		if err != nil {
			return err
		}
		if err := writeTable(f, t, st); err != nil {
			return fmt.Errorf("sheet %s: %w", t.Name, err)
		}
	}
	if err := writeExplanation(f, wb, st); err != nil {
		return err
	}
	// The first sheet is the active one from NewFile on. SetActiveSheet(0) would say so again
	// at a price: it reads every sheet back, and a streamed sheet still in memory (under 16
	// MiB of XML) was parsed whole, some 15 times its size on the heap.
	// The archive goes straight to w: WriteTo alone would build it whole in memory first
	// (WriteToBuffer), and copy the buffer, which is all it then holds, to io.Discard.
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(w) })
	_, err = f.WriteTo(io.Discard)
	return err
}

func newStyles(f *excelize.File) (styles, error) {
	formats := map[Kind]*excelize.Style{
		Text:   {NumFmt: 49}, // "@": text, so that Excel never turns a code into a number
		Number: {NumFmt: 0},
		Time:   {CustomNumFmt: ptr("yyyy-mm-dd hh:mm:ss")},
		Date:   {CustomNumFmt: ptr("yyyy-mm-dd")},
	}
	st := styles{kind: map[Kind]int{}}
	for k, s := range formats {
		id, err := f.NewStyle(s)
		if err != nil {
			return st, err
		}
		st.kind[k] = id
	}
	var err error
	st.header, err = f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE4EE"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	return st, err
}

func writeTable(f *excelize.File, t Table, st styles) error {
	sw, err := f.NewStreamWriter(t.Name)
	if err != nil {
		return err
	}
	n := len(t.Columns)
	header := make([]any, n)
	for i, c := range t.Columns {
		header[i] = c.Header
		if err := sw.SetColWidth(i+1, i+1, width(c)); err != nil {
			return err
		}
		if err := sw.SetColStyle(i+1, i+1, st.kind[c.Kind]); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := sw.SetRow("A1", header, excelize.RowOpts{StyleID: st.header}); err != nil {
		return err
	}
	cells := make([]any, n)
	last := 1
	for row := range t.Rows {
		if last++; last > excelize.TotalRows {
			return fmt.Errorf("more than %d rows do not fit one sheet", excelize.TotalRows-1)
		}
		for i, c := range t.Columns {
			cells[i] = xlsxCell(c.Kind, row[i])
		}
		ref, err := excelize.CoordinatesToCellName(1, last)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, cells); err != nil {
			return err
		}
	}
	if err := t.err(); err != nil {
		return err
	}
	// The filter is set on the streamed sheet before Flush, which writes it out.
	corner, err := excelize.CoordinatesToCellName(n, last)
	if err != nil {
		return err
	}
	if err := f.AutoFilter(t.Name, "A1:"+corner, nil); err != nil {
		return err
	}
	return sw.Flush()
}

// xlsxCell is the value excelize writes for a cell: the column's style (set per column)
// shows it as text, a number or a date.
func xlsxCell(kind Kind, v any) any {
	switch kind {
	case Time, Date:
		if t, ok := dateOf(v); ok {
			return t.UTC()
		}
		return nil
	}
	if s, ok := v.(string); ok && s == "" {
		return nil
	}
	return v
}

// writeExplanation adds the sheet that says what every column holds, after the notes.
func writeExplanation(f *excelize.File, wb Workbook, st styles) error {
	explanationSheet := explanationSheet
	if wb.Explanation != "" {
		explanationSheet = wb.Explanation
	}
	if _, err := f.NewSheet(explanationSheet); err != nil {
		return err
	}
	row := 0
	put := func(values ...any) error {
		row++
		ref, _ := excelize.CoordinatesToCellName(1, row)
		return f.SetSheetRow(explanationSheet, ref, &values)
	}
	for _, n := range wb.Notes {
		if err := put(n); err != nil {
			return err
		}
	}
	if len(wb.Notes) > 0 {
		row++
	}
	if err := put("Sheet", "Column", "Meaning"); err != nil {
		return err
	}
	headerRef, _ := excelize.CoordinatesToCellName(3, row)
	if err := f.SetCellStyle(explanationSheet, fmt.Sprintf("A%d", row), headerRef, st.header); err != nil {
		return err
	}
	for _, t := range wb.Tables {
		for _, c := range t.Columns {
			if err := put(t.Name, c.Header, c.Doc); err != nil {
				return err
			}
		}
	}
	if err := f.SetColWidth(explanationSheet, "A", "B", 28); err != nil {
		return err
	}
	return f.SetColWidth(explanationSheet, "C", "C", 110)
}

// width is the column's width in characters: as asked, else room for its header.
func width(c Column) float64 {
	if c.Width > 0 {
		return c.Width
	}
	w := float64(len(c.Header)) + 2
	if c.Kind == Time && w < 20 {
		w = 20
	}
	return min(max(w, 10), 60)
}

func ptr[T any](v T) *T { return &v }

var _ = time.Time{}
