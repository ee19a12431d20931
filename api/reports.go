package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
)

// UsageReader is what the mass balance needs of the store beyond traces.
type UsageReader interface {
	LotUsage(ctx context.Context, codes []graph.LotCode) ([]graph.LotUsage, error)
}

// BatchLineReader is what the FSMA 204 spreadsheet needs of the store beyond traces: every
// input and output line of the batches a trace reached, so that each transformation shows whole.
type BatchLineReader interface {
	BatchLines(ctx context.Context, ids []graph.BatchID) ([]graph.BatchLine, error)
}

// sendTraceSheet answers a trace as the FSMA 204 spreadsheet, its batches with all their
// lines, streamed from the store row by row.
func (s *Server) sendTraceSheet(c *gin.Context, f format, code graph.LotCode, dir graph.Direction, tr *graph.TraceReach) error {
	now := time.Now()
	sc := tr.KDEScope()
	if f == formatEPCIS {
		return s.sendEPCIS(c, code, string(dir), sc)
	}
	notes := exportNotes(string(dir)+" trace of lot "+string(code), now, sc.CutBy)
	return s.sendSheet(c, f, downloadName(code, string(dir), f, now), kdeWorkbook(s.kdeRows(c, sc), notes))
}

// sendRecallSheet answers a recall as the FSMA 204 spreadsheet of all of it: the ingredients,
// the source batches and everything affected, its batches with all their lines, streamed
// from the store row by row.
func (s *Server) sendRecallSheet(c *gin.Context, f format, code graph.LotCode, sc *graph.KDEScope) error {
	if f == formatEPCIS {
		return s.sendEPCIS(c, code, "recall", *sc)
	}
	now := time.Now()
	notes := exportNotes("recall of lot "+string(code), now, sc.CutBy)
	return s.sendSheet(c, f, downloadName(code, "recall", f, now), kdeWorkbook(s.kdeRows(c, *sc), notes))
}

// kdeRows reads the scope's spreadsheet rows from the store when the writer asks for them.
func (s *Server) kdeRows(c *gin.Context, sc graph.KDEScope) func(yield func(graph.KDERow) error) error {
	return func(yield func(graph.KDERow) error) error {
		return s.store.StreamKDERows(c.Request.Context(), sc, yield)
	}
}

// handleLotExposure answers GET /api/v1/lots/:code/exposure?max_depth=&max_nodes=.
func (s *Server) handleLotExposure(c *gin.Context) error {
	bounds, err := s.boundsParams(c)
	if err != nil {
		return err
	}
	start := time.Now()
	x, err := graph.ExposureFor(c.Request.Context(), s.store, lotParam(c), bounds)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, exposureToJSON(x, time.Since(start)))
	return nil
}

// handleLotMassBalance answers GET /api/v1/lots/:code/mass-balance?direction=&max_depth=
// &max_nodes=&tolerance_low=&tolerance_high=&closed=.
func (s *Server) handleLotMassBalance(c *gin.Context) error {
	dir, err := directionParam(c)
	if err != nil {
		return err
	}
	bounds, rule, err := s.balanceParams(c)
	if err != nil {
		return err
	}
	start := time.Now()
	mb, err := graph.MassBalanceFor(c.Request.Context(), s.store, lotParam(c), dir, bounds, rule)
	if err != nil {
		return err
	}
	s.noteTraceSize(c, "mass-balance", dir, mb.Reached)
	c.JSON(http.StatusOK, massBalanceReportToJSON(mb, time.Since(start)))
	return nil
}

// handleLotRecallReport answers GET /api/v1/lots/:code/recall/report?format=json|csv|xlsx|html
// with the recall's customers and the mass balance of every lot in it.
func (s *Server) handleLotRecallReport(c *gin.Context) error {
	bounds, rule, err := s.balanceParams(c)
	if err != nil {
		return err
	}
	f, err := formatParam(c, formatCSV, formatXLSX, formatHTML)
	if err != nil {
		return err
	}
	start := time.Now()
	report, err := graph.RecallReportFor(c.Request.Context(), s.store, lotParam(c), bounds, rule)
	if err != nil {
		return err
	}
	took, now := time.Since(start), time.Now()
	switch f {
	case formatJSON:
		c.JSON(http.StatusOK, recallReportToJSON(report, took))
	case formatHTML:
		s.sendRecallReportPage(c, recallReportToJSON(report, took), now)
	default:
		lot := report.Recall.Lot
		notes := exportNotes("recall report of lot "+string(lot), now, report.Recall.CutBy())
		return s.sendSheet(c, f, downloadName(lot, "recall-report", f, now), recallReportWorkbook(report, notes))
	}
	return nil
}

// balanceParams reads what a balance is over and how it is judged: the trace bounds, then
// the balance rule.
func (s *Server) balanceParams(c *gin.Context) (graph.Bounds, graph.BalanceRule, error) {
	bounds, err := s.boundsParams(c)
	if err != nil {
		return bounds, graph.BalanceRule{}, err
	}
	rule, err := s.balanceRuleParams(c)
	return bounds, rule, err
}

// balanceRuleParams reads tolerance_low and tolerance_high (percentages; the server's
// default where absent) and closed (true: the lots are used up).
func (s *Server) balanceRuleParams(c *gin.Context) (graph.BalanceRule, error) {
	rule := graph.BalanceRule{Tolerance: s.cfg.Tolerance}
	var problems []graph.FieldError
	for _, p := range []struct {
		name string
		dst  *float64
	}{{"tolerance_low", &rule.Tolerance.Low}, {"tolerance_high", &rule.Tolerance.High}} {
		if raw, ok := c.GetQuery(p.name); ok {
			n, err := strconv.ParseFloat(raw, 64)
			if err != nil {
				problems = append(problems, graph.FieldError{Field: p.name, Message: "must be a number (a percentage)"})
			}
			*p.dst = n
		}
	}
	if raw, ok := c.GetQuery("closed"); ok {
		b, err := strconv.ParseBool(raw)
		if err != nil {
			problems = append(problems, graph.FieldError{Field: "closed", Message: "must be true or false"})
		}
		rule.Closed = b
	}
	if len(problems) > 0 {
		return rule, &graph.Error{Code: graph.EMALFORMED, Message: "invalid mass balance parameters", Fields: problems}
	}
	return rule, rule.Tolerance.Validate()
}
