package api

import (
	_ "embed"
	"html/template"
	"math"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

//go:embed recall_case.html
var recallCaseHTML string

// figure writes a number to a thousandth: enough for a printed page, where
// 33.333333333333336 is noise.
func figure(f float64) string { return strconv.FormatFloat(math.Round(f*1000)/1000, 'f', -1, 64) }

// recallCasePage is the printable case file: one self-contained page, like the recall report.
var recallCasePage = template.Must(template.Must(template.New("recall_case").Funcs(template.FuncMap{
	"num": figure,
	"opt": func(f *float64) string {
		if f == nil {
			return ""
		}
		return figure(*f)
	},
	"pct": func(share float64) string { return figure(share * 100) },
	"when": func(s string) string {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.UTC().Format("2006-01-02 15:04:05")
		}
		return s
	},
	// took writes seconds as h:mm:ss; nil (not yet) as "not yet".
	"took": func(v any) string {
		var s float64
		switch x := v.(type) {
		case *float64:
			if x == nil {
				return "not yet"
			}
			s = *x
		case float64:
			s = x
		}
		d := time.Duration(s * float64(time.Second)).Round(time.Second)
		return strconv.Itoa(int(d.Hours())) + time.Time{}.Add(d%time.Hour).Format(":04:05")
	},
}).Parse(recallCaseHTML)).Parse(reportStyleHTML))

// sendRecallCasePage answers the case file as the printable page.
func (s *Server) sendRecallCasePage(c *gin.Context, f caseJSON, now time.Time) {
	data := struct {
		Case      caseJSON
		Timeline  []stepJSON
		Target    float64
		Generated string
	}{f, caseTimeline(f), f.Timeline.TargetS, now.UTC().Format("2006-01-02 15:04")}
	s.sendPage(c, recallCasePage, data)
}
