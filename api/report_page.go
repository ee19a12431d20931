package api

import (
	_ "embed"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

//go:embed recall_report.html
var recallReportHTML string

// recallReportPage is the printable recall report: one self-contained page (no external
// assets, so that it prints and archives as it is), escaped by html/template.
var recallReportPage = template.Must(template.New("recall_report").Funcs(template.FuncMap{
	// Figures to a thousandth: enough for a printed page, where 33.333333333333336 is noise.
	"num": func(f float64) string { return strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64) },
	"when": func(s string) string {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC().Format("2006-01-02 15:04")
		}
		return s
	},
}).Parse(recallReportHTML))

// sendRecallReportPage answers the recall report as the printable page.
func (s *Server) sendRecallReportPage(c *gin.Context, r recallReportJSON, now time.Time) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	data := struct {
		Report    recallReportJSON
		Generated string
	}{r, now.UTC().Format("2006-01-02 15:04")}
	if err := recallReportPage.Execute(c.Writer, data); err != nil {
		s.logger.Warn("recall report page cut short", "path", c.Request.URL.Path, "error", err.Error())
	}
}
