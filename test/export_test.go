package test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/lot-trace/lot-trace/api"
)

const mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// download is one spreadsheet answer: its headers and body.
type download struct {
	status int
	header http.Header
	body   []byte
}

// get sends a GET with an optional Accept header and keeps the answer's headers.
func (c *apiClient) get(path, accept string) download {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	if c.key != "" {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return download{status: res.StatusCode, header: res.Header, body: body}
}

// csvCells parses a CSV download after checking its byte order mark.
func csvCells(t *testing.T, d download) [][]string {
	t.Helper()
	if d.status != http.StatusOK || !strings.HasPrefix(d.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("csv: %d %s %s", d.status, d.header.Get("Content-Type"), d.body)
	}
	body, ok := bytes.CutPrefix(d.body, []byte("\xEF\xBB\xBF"))
	if !ok {
		t.Fatalf("csv does not start with a UTF-8 byte order mark: %q", d.body[:min(len(d.body), 8)])
	}
	records, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return records
}

// xlsxCells opens an XLSX download and returns the named sheet's cells as shown, each row
// padded to the header's width (excelize leaves out trailing empty cells).
func xlsxCells(t *testing.T, d download, sheet string) (*excelize.File, [][]string) {
	t.Helper()
	if d.status != http.StatusOK || d.header.Get("Content-Type") != mimeXLSX {
		t.Fatalf("xlsx: %d %s %s", d.status, d.header.Get("Content-Type"), d.body)
	}
	f, err := excelize.OpenReader(bytes.NewReader(d.body))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	for i := range rows {
		for len(rows[i]) < len(rows[0]) {
			rows[i] = append(rows[i], "")
		}
	}
	return f, rows
}

// untagCells removes the test's tag from every cell.
func untagCells(tg string, rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = untag(tg, r)
	}
	return out
}

// compareGoldenCSV compares cells, untagged, with testdata/golden/NAME.csv cell by cell, or
// rewrites the file with -update.
func compareGoldenCSV(t *testing.T, name, tg string, rows [][]string) {
	t.Helper()
	rows = untagCells(tg, rows)
	path := filepath.Join("testdata", "golden", name+".csv")
	if *update {
		var buf bytes.Buffer
		w := csv.NewWriter(&buf)
		_ = w.WriteAll(rows)
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./test -run Export -update to create it)", err)
	}
	want, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want) {
		t.Errorf("%s: %d rows, want %d", name, len(rows), len(want))
	}
	for i := range min(len(rows), len(want)) {
		if len(rows[i]) != len(want[i]) {
			t.Errorf("%s row %d: %d cells, want %d", name, i+1, len(rows[i]), len(want[i]))
			continue
		}
		for j := range rows[i] {
			if rows[i][j] != want[i][j] {
				t.Errorf("%s row %d column %q: %q, want %q", name, i+1, want[0][j], rows[i][j], want[i][j])
			}
		}
	}
}

// The CSV and the XLSX of one trace or recall hold the same cells, and both match the golden
// file: the XLSX shows its dates in the layout the CSV writes them in.
func TestExportGolden(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	for _, g := range []struct{ name, path, sheet string }{
		{"export_fg3_backward", "/api/v1/lots/" + tg + "FG-3/trace?direction=backward", "FSMA 204 records"},
		{"export_flour_forward", "/api/v1/lots/" + tg + "FLOUR-A/trace?direction=forward", "FSMA 204 records"},
		{"export_recall_fg1", "/api/v1/lots/" + tg + "FG-1/recall", "FSMA 204 records"},
		{"export_recall_report_fg1", "/api/v1/lots/" + tg + "FG-1/recall/report", "Affected customers"},
	} {
		sep := "?"
		if strings.Contains(g.path, "?") {
			sep = "&"
		}
		fromCSV := csvCells(t, c.get(g.path+sep+"format=csv", ""))
		compareGoldenCSV(t, g.name, tg, fromCSV)
		_, fromXLSX := xlsxCells(t, c.get(g.path+sep+"format=xlsx", ""), g.sheet)
		compareGoldenCSV(t, g.name, tg, fromXLSX)
	}
}

// kdeHeaders are the columns every FSMA 204 download must have, whatever the data.
var kdeHeaders = []string{
	"Event type (CTE)", "Transformation role", "Event ID", "Line", "Traceability lot code (TLC)", "Product",
	"Product description", "Quantity", "Unit of measure", "Event date (UTC)", "Location",
	"Immediate previous source ID", "Immediate previous source", "Immediate previous source location",
	"Immediate subsequent recipient ID", "Immediate subsequent recipient", "Immediate subsequent recipient location",
	"TLC source or TLC source reference", "Reference document type", "Reference document number",
	"Transformation inputs (TLC: quantity used)", "Supplier lot code", "Expiry date", "In trace",
}

// Every KDE column is there, and filled on every row whose event has it in the bakery data
// (its produced lots have no description, and their receipts give no TLC source of their own:
// the supplier's location stands for it).
func TestExportFillsEveryKDE(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	rows := csvCells(t, c.get("/api/v1/lots/"+tg+"FLOUR-A/recall?format=csv", ""))
	rows = append(rows, csvCells(t, c.get("/api/v1/lots/"+tg+"FG-3/recall?format=csv", ""))[1:]...)
	if !slices.Equal(rows[0], kdeHeaders) {
		t.Fatalf("header\n%q\nwant\n%q", rows[0], kdeHeaders)
	}
	common := []string{"Event type (CTE)", "Event ID", "Traceability lot code (TLC)", "Product", "Quantity", "Unit of measure",
		"Event date (UTC)", "Location", "TLC source or TLC source reference", "Reference document type", "Reference document number"}
	must := map[string][]string{
		"receiving": append(slices.Clone(common), "Product description", "Immediate previous source ID", "Immediate previous source",
			"Immediate previous source location", "Supplier lot code", "Expiry date"),
		"transformation/input":  append(slices.Clone(common), "Transformation role", "Line"),
		"transformation/output": append(slices.Clone(common), "Transformation role", "Line", "Transformation inputs (TLC: quantity used)"),
		"shipping": append(slices.Clone(common), "Line", "Immediate subsequent recipient ID", "Immediate subsequent recipient",
			"Immediate subsequent recipient location"),
	}
	seen := map[string]int{}
	for _, r := range rows[1:] {
		kind := r[0]
		if r[1] != "" {
			kind += "/" + r[1]
		}
		seen[kind]++
		for _, h := range must[kind] {
			if r[slices.Index(kdeHeaders, h)] == "" {
				t.Errorf("%s row of %s: %q is empty", kind, r[4], h)
			}
		}
	}
	for kind := range must {
		if seen[kind] == 0 {
			t.Errorf("no %s row at all", kind)
		}
	}
}

// A transformation's rows are read as its whole record (21 CFR 1.1350), so every batch in an
// export comes with all of its input and output lines, also those off the traced path; the
// JSON trace stays what the walk reached.
func TestExportShowsEveryBatchWhole(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	col := func(h string) int { return slices.Index(kdeHeaders, h) }
	// transformations lists an export's transformation rows as "role batch#line lot quantity
	// unit | inputs | in trace".
	transformations := func(path string) []string {
		var out []string
		for _, r := range untagCells(tg, csvCells(t, c.get(path, "")))[1:] {
			if r[col("Event type (CTE)")] == "transformation" {
				out = append(out, fmt.Sprintf("%s %s#%s %s %s %s | %s | %s", r[col("Transformation role")], r[col("Event ID")], r[col("Line")],
					r[col("Traceability lot code (TLC)")], r[col("Quantity")], r[col("Unit of measure")],
					r[col("Transformation inputs (TLC: quantity used)")], r[col("In trace")]))
			}
		}
		return out
	}
	for _, tt := range []struct {
		what, path string
		want       []string
	}{
		// The affected side reaches B-2 from FG-2 only; DOUGH-1 is among the ingredients.
		{"the FG-1 recall", "/api/v1/lots/" + tg + "FG-1/recall?format=csv", []string{
			"input B-2#1 DOUGH-1 50 kg |  | yes",
			"input B-2#2 FG-2 5 case |  | yes",
			"output B-2#1 FG-3 80 case | DOUGH-1: 50 kg; FG-2: 5 case | yes",
		}},
		// Neither CHIPS-A nor SALT-A is downstream of FLOUR-A.
		{"the FLOUR-A forward trace", "/api/v1/lots/" + tg + "FLOUR-A/trace?direction=forward&format=csv", []string{
			"input MIX-1#2 SALT-A 2 kg |  | no",
			"output MIX-1#1 DOUGH-1 100 kg | FLOUR-A: 100 kg; SALT-A: 2 kg | yes",
			"input B-1#1 DOUGH-1 50 kg |  | yes",
			"input B-1#2 CHIPS-A 10 kg |  | no",
			"output B-1#1 FG-1 100 case | DOUGH-1: 50 kg; CHIPS-A: 10 kg | yes",
		}},
		// FG-1 is no part of FG-3's history, but B-1 made it with FG-2.
		{"the FG-3 backward trace", "/api/v1/lots/" + tg + "FG-3/trace?direction=backward&format=csv", []string{
			"output B-1#1 FG-1 100 case | DOUGH-1: 50 kg; CHIPS-A: 10 kg | no",
		}},
	} {
		got := transformations(tt.path)
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("%s: no row %q in\n%s", tt.what, w, strings.Join(got, "\n"))
			}
		}
	}
	status, raw, trace := c.trace(tg+"FLOUR-A", "direction=forward")
	if status != http.StatusOK {
		t.Fatalf("trace: %d %s", status, raw)
	}
	for _, lot := range []string{"CHIPS-A", "SALT-A"} {
		if slices.Contains(trace.Lots, tg+lot) {
			t.Errorf("the JSON forward trace of FLOUR-A holds %s: exports complete batches, traces do not", lot)
		}
	}
}

func TestExportHeadersNamesAndFormats(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	today := time.Now().UTC().Format(time.DateOnly)
	for _, tt := range []struct{ path, accept, file string }{
		{"/api/v1/lots/" + tg + "FG-3/trace?direction=backward&format=xlsx", "", "lot-trace_" + tg + "FG-3_backward_" + today + ".xlsx"},
		{"/api/v1/lots/" + tg + "FG-3/trace?direction=forward", "text/csv", "lot-trace_" + tg + "FG-3_forward_" + today + ".csv"},
		{"/api/v1/lots/" + tg + "FG-3/trace", mimeXLSX, "lot-trace_" + tg + "FG-3_both_" + today + ".xlsx"},
		{"/api/v1/lots/" + tg + "FG-1/recall?format=csv", "", "lot-trace_" + tg + "FG-1_recall_" + today + ".csv"},
		{"/api/v1/lots/" + tg + "FG-1/recall", mimeXLSX, "lot-trace_" + tg + "FG-1_recall_" + today + ".xlsx"},
		{"/api/v1/lots/" + tg + "FG-1/recall/report?format=xlsx", "", "lot-trace_" + tg + "FG-1_recall-report_" + today + ".xlsx"},
	} {
		d := c.get(tt.path, tt.accept)
		if want := `attachment; filename=` + tt.file; d.status != http.StatusOK || d.header.Get("Content-Disposition") != want {
			t.Errorf("%s (Accept %q): %d %q, want %q", tt.path, tt.accept, d.status, d.header.Get("Content-Disposition"), want)
		}
	}
	// JSON stays the default, whatever a browser's Accept says.
	if d := c.get("/api/v1/lots/"+tg+"FG-3/trace", "text/html,*/*"); !strings.HasPrefix(d.header.Get("Content-Type"), "application/json") {
		t.Errorf("trace with a browser's Accept: %s", d.header.Get("Content-Type"))
	}
	for _, path := range []string{
		"/api/v1/lots/" + tg + "FG-3/trace?format=pdf",
		"/api/v1/lots/" + tg + "FG-3/recall?format=html",
		"/api/v1/lots/" + tg + "FG-3/recall/report?format=docx",
	} {
		d := c.get(path, "")
		if d.status != http.StatusBadRequest || !slices.Contains(problemFields(decodeObject(t, d.body)), "format") {
			t.Errorf("%s: %d %s, want 400 naming format", path, d.status, d.body)
		}
	}
	// A GS1 code holds ':' and '/': the file name keeps only safe characters.
	code := tg + "urn:epc:class:lgtin:4012345.012345.AB/12"
	body := strings.Replace(tagged(tg, receiptJSON), tg+"FLOUR-A", code, 1)
	if status, answer := c.post("/api/v1/receipts", body); status != http.StatusCreated {
		t.Fatalf("receipt with a GS1 code: %d %v", status, answer)
	}
	d := c.get("/api/v1/lots/"+url.PathEscape(code)+"/trace?direction=backward&format=csv", "")
	if !regexp.MustCompile(`^attachment; filename=lot-trace_T[0-9a-f]{8}-urn_epc_class_lgtin_4012345\.012345\.AB_12_backward_\d{4}-\d\d-\d\d\.csv$`).MatchString(d.header.Get("Content-Disposition")) {
		t.Errorf("GS1 file name: %q", d.header.Get("Content-Disposition"))
	}
}

// A product named like a formula reaches the CSV as text that no spreadsheet runs, and the
// XLSX as a text cell, never a formula.
func TestExportNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := tag(t)
	evil := `=HYPERLINK("http://evil.example","click")`
	body := strings.Replace(tagged(tg, receiptJSON), `"product": "FLOUR-AP-25KG", "description": "All-purpose flour"`,
		`"product": "=HYPERLINK(\"http://evil.example\",\"click\")", "description": "@SUM(1+1)"`, 1)
	body = strings.Replace(body, `"name": "Prairie Mill Co."`, `"name": "-2+3"`, 1)
	if status, answer := c.post("/api/v1/receipts", body); status != http.StatusCreated {
		t.Fatalf("receipt: %d %v", status, answer)
	}
	path := "/api/v1/lots/" + tg + "FLOUR-A/trace?direction=backward&format="
	rows := csvCells(t, c.get(path+"csv", ""))
	col := func(h string) int { return slices.Index(kdeHeaders, h) }
	if len(rows) != 2 {
		t.Fatalf("%d rows, want a header and the receipt", len(rows))
	}
	for h, want := range map[string]string{"Product": "'" + evil, "Product description": "'@SUM(1+1)", "Immediate previous source": "'-2+3"} {
		if got := rows[1][col(h)]; got != want {
			t.Errorf("csv %s = %q, want %q", h, got, want)
		}
	}
	f, cells := xlsxCells(t, c.get(path+"xlsx", ""), "FSMA 204 records")
	ref, _ := excelize.CoordinatesToCellName(col("Product")+1, 2)
	formula, _ := f.GetCellFormula("FSMA 204 records", ref)
	if typ, _ := f.GetCellType("FSMA 204 records", ref); formula != "" || typ != excelize.CellTypeInlineString || cells[1][col("Product")] != evil {
		t.Errorf("xlsx %s: formula %q, type %v, value %q; want the text itself", ref, formula, typ, cells[1][col("Product")])
	}
}

// The XLSX keeps codes as text with their leading zeros, dates as real dates, the header
// frozen, a filter on, and a sheet that explains every column.
func TestExportXLSXShape(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	tg := loadBakery(t, c)
	f, rows := xlsxCells(t, c.get("/api/v1/lots/"+tg+"FG-3/trace?direction=backward&format=xlsx", ""), "FSMA 204 records")
	const sheet = "FSMA 204 records"
	if got := f.GetSheetList(); !slices.Equal(got, []string{sheet, "Columns"}) {
		t.Errorf("sheets %v", got)
	}
	if panes, _ := f.GetPanes(sheet); !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("header not frozen: %+v", panes)
	}
	names := f.GetDefinedName()
	if len(names) != 1 || names[0].Name != "_xlnm._FilterDatabase" || !strings.HasSuffix(names[0].RefersTo, "$A$1:$X$14") {
		t.Errorf("autofilter %+v, want A1:X14 (a header and 13 rows)", names)
	}
	date := slices.Index(kdeHeaders, "Event date (UTC)") + 1
	ref, _ := excelize.CoordinatesToCellName(date, 2)
	if raw, _ := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true}); raw != "46296.291666666664" {
		t.Errorf("%s raw %q, want the serial date of 2026-10-01 07:00 (%s as shown)", ref, raw, rows[1][date-1])
	}
	explained, _ := f.GetRows("Columns")
	documented := map[string]bool{}
	for _, r := range explained {
		if len(r) == 3 && r[0] == sheet && r[2] != "" {
			documented[r[1]] = true
		}
	}
	for _, h := range kdeHeaders {
		if !documented[h] {
			t.Errorf("column %q is not explained", h)
		}
	}
	// A code with leading zeros stays text.
	// A numeric code with leading zeros stays text; digits only, so it cannot carry the tag.
	numeric := fmt.Sprintf("000%012d", time.Now().UnixNano()%1e12)
	tg2 := tag(t)
	body := strings.Replace(tagged(tg2, receiptJSON), tg2+"FLOUR-A", numeric, 1)
	if status, answer := c.post("/api/v1/receipts", body); status != http.StatusCreated {
		t.Fatalf("receipt: %d %v", status, answer)
	}
	f2, rows2 := xlsxCells(t, c.get("/api/v1/lots/"+numeric+"/trace?direction=backward&format=xlsx", ""), sheet)
	lot := slices.Index(kdeHeaders, "Traceability lot code (TLC)") + 1
	ref, _ = excelize.CoordinatesToCellName(lot, 2)
	if typ, _ := f2.GetCellType(sheet, ref); typ != excelize.CellTypeInlineString || rows2[1][lot-1] != numeric {
		t.Errorf("lot code cell %v %q, want text %s", typ, rows2[1][lot-1], numeric)
	}
}
