package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/gs1"
)

// RecallCaseStore is what the recall case routes need of the store beyond traces.
type RecallCaseStore interface {
	CreateRecallCase(ctx context.Context, c *graph.RecallCase) error
	RecallCase(ctx context.Context, id graph.CaseID) (*graph.RecallCase, error)
	AddRecallScope(ctx context.Context, id graph.CaseID, scope graph.CaseScope, holds []graph.Hold) error
	RecallCases(ctx context.Context, q graph.CaseQuery) ([]graph.CaseSummary, error)
	AddRecallStep(ctx context.Context, id graph.CaseID, st graph.Step) error
	ReleaseHolds(ctx context.Context, id graph.CaseID, lots []graph.LotCode, by, reason string, at time.Time) error
	CloseRecallCase(ctx context.Context, id graph.CaseID, by, conclusion string, at time.Time) error
}

// DefaultMockRecallTarget is the mock recall's time limit unless Config says otherwise.
const DefaultMockRecallTarget = graph.DefaultMockRecallTarget

// now is the server's clock (Config.Clock, for tests), in UTC.
func (s *Server) now() time.Time {
	if s.cfg.Clock != nil {
		return s.cfg.Clock().UTC()
	}
	return time.Now().UTC()
}

// caller is the name of the key that made the request.
func caller(c *gin.Context) string {
	p, _ := PrincipalFrom(c.Request.Context())
	return p.Name
}

// decodeJSON reads the body into v strictly: unknown fields and trailing data are a 400.
func (s *Server) decodeJSON(c *gin.Context, v any) error {
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &graph.Error{Code: graph.EMALFORMED, Message: "the body is not the JSON this route takes: " + err.Error(), Err: err}
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return graph.Errorf(graph.EMALFORMED, "the body holds more than one JSON value")
	}
	return nil
}

// noteCase names the case (and lots) a call concerns in its audit entry.
func noteCase(c *gin.Context, id graph.CaseID, lots ...graph.LotCode) {
	note := auditNoteOf(c)
	note.ids = append([]string{"recall:" + string(id)}, note.ids...)
	for _, l := range lots {
		note.ids = append(note.ids, "lot:"+string(l))
	}
}

// caseBounds are the bounds of a case's traces: complete, under the service's safety cap.
func (s *Server) caseBounds() graph.Bounds { return graph.Bounds{Cap: s.cfg.TraceSafetyCap} }

// sendCase answers the case as it is now stored.
func (s *Server) sendCase(c *gin.Context, status int, id graph.CaseID) error {
	rc, err := s.store.RecallCase(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(status, caseToJSON(rc, rc.Timeline(s.cfg.MockRecallTarget, s.now()), rc.Effectiveness()))
	return nil
}

// handleRecallCaseOpen answers POST /api/v1/recalls: the case opened, its scope and holds.
func (s *Server) handleRecallCaseOpen(c *gin.Context) error {
	var in openCaseJSON
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	open := graph.OpenCase{Kind: graph.CaseKind(in.Kind), Reason: in.Reason}
	for _, l := range in.Lots {
		open.Lots = append(open.Lots, graph.LotCode(gs1.Canonical(l)))
	}
	rc, err := graph.OpenRecallCase(c.Request.Context(), s.store, open, caller(c), s.caseBounds(), s.now)
	if err != nil {
		return err
	}
	noteCase(c, rc.ID, rc.Lots...)
	c.Header("Location", "/api/v1/recalls/"+string(rc.ID))
	c.JSON(http.StatusCreated, caseToJSON(rc, rc.Timeline(s.cfg.MockRecallTarget, s.now()), rc.Effectiveness()))
	return nil
}

// handleRecallCaseList answers GET /api/v1/recalls?kind=&state=&from=&to=&limit=.
func (s *Server) handleRecallCaseList(c *gin.Context) error {
	q := graph.CaseQuery{Kind: graph.CaseKind(c.Query("kind")), State: graph.CaseState(c.Query("state")), Limit: 100}
	var problems []graph.FieldError
	for _, p := range []struct {
		name string
		dst  *time.Time
	}{{"from", &q.From}, {"to", &q.To}} {
		if raw := c.Query(p.name); raw != "" {
			t, err := parseTimeOrDate(raw)
			if err != nil {
				problems = append(problems, graph.FieldError{Field: p.name, Message: "must be an RFC 3339 time or a date (2026-10-01)"})
			}
			*p.dst = t
		}
	}
	if raw, ok := c.GetQuery("limit"); ok {
		n, err := strconv.Atoi(raw)
		if err != nil {
			problems = append(problems, graph.FieldError{Field: "limit", Message: "must be 1 to 1000"})
		}
		q.Limit = n
	}
	if len(problems) > 0 {
		return &graph.Error{Code: graph.EMALFORMED, Message: "invalid recall case filters", Fields: problems}
	}
	cases, err := s.store.RecallCases(c.Request.Context(), q)
	if err != nil {
		return err
	}
	out := caseListJSON{Cases: []caseSummaryJSON{}}
	for _, sc := range cases {
		out.Cases = append(out.Cases, caseSummaryToJSON(sc))
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// handleRecallCaseGet answers GET /api/v1/recalls/:id?format=json|html|xlsx: the case file,
// with the timeline, the effectiveness and the mass balance of the recalled lots.
func (s *Server) handleRecallCaseGet(c *gin.Context) error {
	f, err := formatParam(c, formatXLSX, formatHTML)
	if err != nil {
		return err
	}
	bounds := s.caseBounds()
	id := graph.CaseID(c.Param("id"))
	noteCase(c, id)
	now := s.now()
	file, err := graph.RecallCaseFileFor(c.Request.Context(), s.store, id, bounds, graph.BalanceRule{Tolerance: s.cfg.Tolerance}, s.cfg.MockRecallTarget, now)
	if err != nil {
		return err
	}
	out := caseFileToJSON(file)
	switch f {
	case formatHTML:
		s.sendRecallCasePage(c, out, now)
		return nil
	case formatXLSX:
		return s.sendRecallCaseSheet(c, file, out, bounds, now)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// caseFileToJSON is the case file's JSON: the case with the mass balances.
func caseFileToJSON(f *graph.RecallCaseFile) caseJSON {
	out := caseToJSON(f.Case, f.Timeline, f.Effectiveness)
	for _, mb := range f.Balances {
		out.MassBalance = append(out.MassBalance, massBalanceReportToJSON(mb, 0))
	}
	return out
}

// handleRecallCaseRescope answers POST /api/v1/recalls/:id/rescope: the scope computed again
// and kept as a new version; newly affected lots are held.
func (s *Server) handleRecallCaseRescope(c *gin.Context) error {
	id := graph.CaseID(c.Param("id"))
	noteCase(c, id)
	rc, err := graph.RescopeRecallCase(c.Request.Context(), s.store, id, s.caseBounds(), s.now)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, caseToJSON(rc, rc.Timeline(s.cfg.MockRecallTarget, s.now()), rc.Effectiveness()))
	return nil
}

// handleRecallCaseStep answers POST /api/v1/recalls/:id/steps: the step recorded at the
// server's time, by the caller. A customer step must name an affected customer of the case.
func (s *Server) handleRecallCaseStep(c *gin.Context) error {
	id := graph.CaseID(c.Param("id"))
	noteCase(c, id)
	var in stepInJSON
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	step := graph.Step{ID: newCallID(), Kind: graph.StepKind(in.Kind), At: s.now(), By: caller(c),
		Customer: graph.CustomerID(in.Customer), Unit: in.Unit, Note: in.Note}
	var missing []graph.FieldError
	for _, q := range []struct {
		field string
		in    *float64
		dst   *float64
	}{{"on_hand", in.OnHand, &step.OnHand}, {"returned", in.Returned, &step.Returned}, {"destroyed", in.Destroyed, &step.Destroyed}} {
		switch {
		case q.in != nil && step.Kind != graph.StepCustomerConfirmed:
			missing = append(missing, graph.FieldError{Field: q.field, Message: "only a customer_confirmed step reports quantities"})
		case q.in != nil:
			*q.dst = *q.in
		case step.Kind == graph.StepCustomerConfirmed:
			missing = append(missing, graph.FieldError{Field: q.field, Message: "is required for a confirmation (0 when none)"})
		}
	}
	if err := step.Validate(); err != nil || len(missing) > 0 {
		return graph.Invalid("the step cannot be recorded", append(graph.ErrorFields(err), missing...)...)
	}
	rc, err := s.store.RecallCase(c.Request.Context(), id)
	if err != nil {
		return err
	}
	if step.Customer != "" && !slices.ContainsFunc(rc.Scope().Customers, func(sc graph.ScopeCustomer) bool { return sc.Customer.ID == step.Customer }) {
		return graph.Invalid("the step names a customer the case does not concern",
			graph.FieldError{Field: "customer", Message: fmt.Sprintf("customer %s received no affected lot of recall case %s", step.Customer, id)})
	}
	if err := s.store.AddRecallStep(c.Request.Context(), id, step); err != nil {
		return err
	}
	return s.sendCase(c, http.StatusCreated, id)
}

// handleRecallCaseRelease answers POST /api/v1/recalls/:id/release: an admin releases the
// case's holds on the lots given, with a reason; a lot the case does not hold is a 422 and
// nothing is released.
func (s *Server) handleRecallCaseRelease(c *gin.Context) error {
	id := graph.CaseID(c.Param("id"))
	var in releaseJSON
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	var lots []graph.LotCode
	for _, l := range in.Lots {
		lots = append(lots, graph.LotCode(gs1.Canonical(l)))
	}
	noteCase(c, id, lots...)
	if len(lots) == 0 {
		return graph.Invalid("nothing to release", graph.FieldError{Field: "lots", Message: "name at least one held lot"})
	}
	if err := graph.RequiredText("reason", in.Reason); err != nil {
		return err
	}
	if err := s.store.ReleaseHolds(c.Request.Context(), id, lots, caller(c), in.Reason, s.now()); err != nil {
		return err
	}
	return s.sendCase(c, http.StatusOK, id)
}

// handleRecallCaseClose answers POST /api/v1/recalls/:id/close: an admin closes the case
// with a conclusion. Holds stay until released: stock does not move because a file closed.
func (s *Server) handleRecallCaseClose(c *gin.Context) error {
	id := graph.CaseID(c.Param("id"))
	noteCase(c, id)
	var in closeJSON
	if err := s.decodeJSON(c, &in); err != nil {
		return err
	}
	if err := graph.RequiredText("conclusion", in.Conclusion); err != nil {
		return err
	}
	if err := s.store.CloseRecallCase(c.Request.Context(), id, caller(c), in.Conclusion, s.now()); err != nil {
		return err
	}
	return s.sendCase(c, http.StatusOK, id)
}
