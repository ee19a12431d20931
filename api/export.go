package api

import (
	"bufio"
	"mime"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/api/sheet"
	"github.com/lot-trace/lot-trace/graph"
)

// format is how a trace, recall or report answers: JSON unless ?format= or Accept asks for a
// spreadsheet (or, for the recall report, a printable page).
type format string

const (
	formatJSON format = "json"
	formatCSV  format = "csv"
	formatXLSX format = "xlsx"
	formatHTML format = "html"
	// formatEPCIS is a GS1 EPCIS 2.0 document of a trace or recall (epcis.go).
	formatEPCIS format = "epcis"
)

const mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// formatParam reads ?format=, else the Accept header (a spreadsheet type picks it; anything
// else answers JSON, never 406). A format the route does not offer is a 400 naming format.
func formatParam(c *gin.Context, offered ...format) (format, error) {
	raw, given := c.GetQuery("format")
	if !given {
		accept := c.GetHeader("Accept")
		switch {
		case strings.Contains(accept, mimeXLSX):
			return formatXLSX, nil
		case strings.Contains(accept, "text/csv"):
			return formatCSV, nil
		}
		return formatJSON, nil
	}
	f := format(strings.ToLower(raw))
	if f == formatJSON || slices.Contains(offered, f) {
		return f, nil
	}
	names := []string{string(formatJSON)}
	for _, o := range offered {
		names = append(names, string(o))
	}
	return "", &graph.Error{Code: graph.EMALFORMED, Message: "invalid format",
		Fields: []graph.FieldError{{Field: "format", Message: "must be one of " + strings.Join(names, ", ")}}}
}

// downloadName names a download after the lot, what it is of and the day, e.g.
// lot-trace_FG-CC-1A_backward_2026-11-27.xlsx. The lot code keeps only characters that are
// safe in every file system and header (a GS1 URN holds ':' and '/').
func downloadName(lot graph.LotCode, what string, f format, now time.Time) string {
	safe := strings.Map(func(r rune) rune {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_.", r)) {
			return r
		}
		return '_'
	}, string(lot))
	if len(safe) > 80 {
		safe = safe[:80]
	}
	return "lot-trace_" + safe + "_" + what + "_" + now.UTC().Format(time.DateOnly) + "." + string(f)
}

// sendSheet answers with the workbook as a CSV (its first table) or XLSX download, streamed
// through a small buffer: its rows may come from the store as they are read. A failure before
// the first bytes went out is a problem document; after, the connection is cut (failAnswer,
// through handle), so that the client sees a broken download, never a short file that looks whole.
func (s *Server) sendSheet(c *gin.Context, f format, filename string, wb sheet.Workbook) error {
	c.Header("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": filename}))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	out := bufio.NewWriterSize(c.Writer, answerBuffer)
	var err error
	switch f {
	case formatCSV:
		c.Header("Content-Type", "text/csv; charset=utf-8")
		err = sheet.WriteCSV(out, wb.Tables[0])
	case formatXLSX:
		c.Header("Content-Type", mimeXLSX)
		err = sheet.WriteXLSX(out, wb)
	}
	if err != nil {
		return err
	}
	return out.Flush()
}

// answerBuffer is how much of a streamed answer is held before it is sent: a failure within
// it can still be answered with a problem document.
const answerBuffer = 32 << 10

// failAnswer hands over the error a handler returned (handle). Nothing sent yet: the error
// becomes a problem document (renderErrors). Under way, as a streamed answer can be: a 200 has
// gone out and no problem can follow, so the error is logged and the connection closed before
// the body ends (no last chunk), and the client sees a broken answer rather than a short one
// that looks whole.
func (s *Server) failAnswer(c *gin.Context, err error) {
	if !c.Writer.Written() {
		c.Writer.Header().Del("Content-Disposition")
		_ = c.Error(err)
		return
	}
	s.logger.Warn("answer cut short", "path", c.Request.URL.Path, "route", c.FullPath(), "bytes", c.Writer.Size(), "error", err.Error())
	c.Abort()
	// Gin refuses to hijack once a body is under way; the connection underneath does not.
	if u, ok := c.Writer.(interface{ Unwrap() http.ResponseWriter }); ok {
		if conn, _, herr := http.NewResponseController(u.Unwrap()).Hijack(); herr == nil {
			_ = conn.Close()
			return
		}
	}
	// No connection to close (HTTP/2): net/http resets the stream on this panic, which
	// recoverPanics passes on.
	panic(http.ErrAbortHandler)
}

// exportNotes open the explanation sheet of every FSMA 204 download.
func exportNotes(what string, now time.Time, cut graph.Cut) []string {
	notes := []string{
		"lot-trace: " + what,
		"Generated " + now.UTC().Format("2006-01-02 15:04:05") + " UTC. Dates and times are UTC.",
		"FSMA 204 (21 CFR 1 Subpart S) electronic sortable spreadsheet: one row per event line; the rows of one transformation share its event ID (the batch).",
	}
	switch cut {
	case graph.CutNone:
	case graph.CutSafety:
		notes = append(notes, "WARNING: the service's safety cap on answer size cut the trace short (cut_by safety_cap); this history is not complete.")
	default:
		notes = append(notes, "WARNING: the bound "+string(cut)+" cut the trace short; leave it out for the whole history.")
	}
	return notes
}
