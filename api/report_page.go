package api

import (
	_ "embed"
	"html/template"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

//go:embed recall_report.html
var recallReportHTML string

//go:embed report_style.html
var reportStyleHTML string

// recallReportPage is the printable recall report: one self-contained page (no external
// assets, so that it prints and archives as it is), escaped by html/template.
var recallReportPage = template.Must(template.Must(template.New("recall_report").Funcs(template.FuncMap{
	"num": figure,
	"when": func(s string) string {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC().Format("2006-01-02 15:04")
		}
		return s
	},
}).Parse(recallReportHTML)).Parse(reportStyleHTML))

// sendRecallReportPage answers the recall report as the printable page.
func (s *Server) sendRecallReportPage(c *gin.Context, r recallReportJSON, now time.Time) {
	data := struct {
		Report    recallReportJSON
		Generated string
	}{r, now.UTC().Format("2006-01-02 15:04")}
	s.sendPage(c, recallReportPage, data)
}

// sendPage answers a printable page: page executed on data.
func (s *Server) sendPage(c *gin.Context, page *template.Template, data any) {
	c.Header("Content-Type", "text/html; charset=utf-8")
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
	if err := page.Execute(c.Writer, data); err != nil {
		s.logger.Warn("page cut short", "page", page.Name(), "path", c.Request.URL.Path, "error", err.Error())
	}
}
