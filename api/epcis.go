package api

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/epcis"
	"github.com/lot-trace/lot-trace/graph"
)

// The EPCIS 2.0 routes under /epcis, following GS1's REST binding (../shared/epcis/gs1/REST
// Bindings/openapi.yaml): capture (asynchronous, jobs kept in Neo4j), single-event capture,
// and the events query. The mapping itself is package epcis.

// EPCISStore is what the EPCIS routes need of the store.
type EPCISStore interface {
	CaptureEvents(ctx context.Context, events []graph.CapturedEvent, atomic bool, done func(int)) ([]graph.Outcome, error)
	EPCISEvent(ctx context.Context, id string) (string, bool, error)
	EPCISEvents(ctx context.Context, f graph.EventFilter) ([]string, string, error)
	EPCISEventsFor(ctx context.Context, keys []string) (map[string][2]string, error)
	CTEEvents(ctx context.Context, keys []string) (map[string]graph.Event, error)
	CreateCaptureJob(ctx context.Context, id, behaviour string, events int) error
	HeartbeatCaptureJob(ctx context.Context, id string) error
	FinishCaptureJob(ctx context.Context, id string, success bool, errs, notes []graph.CaptureNote) error
	ExpireCaptureJobs(ctx context.Context, stale time.Time, reason string) (int, error)
	CaptureJobs(ctx context.Context, id string, limit int) ([]graph.CaptureJob, error)
}

// DefaultEPCISCaptureLimit is the most events one capture takes (GS1-EPCIS-Capture-Limit)
// when Config.EPCISCaptureLimit is 0; the file size limit is the body limit.
const DefaultEPCISCaptureLimit = 100_000

const (
	mediaLDJSON = "application/ld+json"
	// captureBeat is how often a running capture says it is alive; a job not heard of for
	// captureStale was cut by a stop of the service that ran it.
	captureBeat  = 5 * time.Second
	captureStale = 30 * time.Second
	// maxJobNotes bounds the errors and notes a job keeps (the first ones, by index).
	maxJobNotes = 1000
)

// epcisValidator compiles GS1's schema once, at first use.
var epcisValidator = sync.OnceValue(epcis.MustValidator)

func (s *Server) captureLimit() int {
	if s.cfg.EPCISCaptureLimit > 0 {
		return s.cfg.EPCISCaptureLimit
	}
	return DefaultEPCISCaptureLimit
}

// advertiseCapture sets the headers GS1's binding uses to say what a capture takes.
func (s *Server) advertiseCapture(c *gin.Context) {
	c.Header("GS1-EPCIS-Version", "2.0.0")
	c.Header("GS1-CBV-Version", "2.0.0")
	c.Header("GS1-EPCIS-Capture-Limit", strconv.Itoa(s.captureLimit()))
	c.Header("GS1-EPCIS-Capture-File-Size-Limit", strconv.FormatInt(s.cfg.MaxBodyBytes, 10))
	c.Header("GS1-Capture-Error-Behaviour", "rollback, proceed")
}

// handleEPCISCaptureOptions answers OPTIONS /epcis/capture: versions, limits, behaviours.
func (s *Server) handleEPCISCaptureOptions(c *gin.Context) error {
	s.advertiseCapture(c)
	c.Header("Allow", "OPTIONS, GET, POST")
	c.Status(http.StatusNoContent)
	return nil
}

// asBadRequest makes a document's invalid content a 400, as GS1's binding answers a capture
// that fails validation; other errors pass unchanged.
func asBadRequest(err error) error {
	if graph.ErrorCode(err) == graph.EINVALID {
		return &graph.Error{Code: graph.EMALFORMED, Message: graph.ErrorMessage(err), Fields: graph.ErrorFields(err)}
	}
	return err
}

// handleEPCISCapture answers POST /epcis/capture: the document is validated now (400 naming
// each path and rule, 413 past a limit), then captured in the background; 202 with Location:
// /epcis/capture/{id}, whose job says how it went.
func (s *Server) handleEPCISCapture(c *gin.Context) error {
	s.advertiseCapture(c)
	behaviour := strings.ToLower(strings.TrimSpace(c.GetHeader("GS1-Capture-Error-Behaviour")))
	switch behaviour {
	case "":
		behaviour = graph.CaptureRollback
	case graph.CaptureRollback, graph.CaptureProceed:
	default:
		return &graph.Error{Code: graph.EMALFORMED, Message: "invalid capture error behaviour",
			Fields: []graph.FieldError{{Field: "GS1-Capture-Error-Behaviour", Message: "must be rollback or proceed"}}}
	}
	if c.Request.ContentLength > s.cfg.MaxBodyBytes {
		return graph.Errorf(graph.ETOOLARGE, "the document is larger than the capture file size limit of %d bytes (GS1-EPCIS-Capture-File-Size-Limit)", s.cfg.MaxBodyBytes)
	}
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	events, err := epcisValidator().ReadDocument(body)
	if err != nil {
		return asBadRequest(err)
	}
	if len(events) > s.captureLimit() {
		return graph.Errorf(graph.ETOOLARGE, "the document holds %d events, more than the capture limit of %d (GS1-EPCIS-Capture-Limit)", len(events), s.captureLimit())
	}
	id := newCaptureID()
	if err := s.epcis().CreateCaptureJob(c.Request.Context(), id, behaviour, len(events)); err != nil {
		return err
	}
	auditNoteOf(c).ids = []string{"capture:" + id}
	go s.runCapture(id, events, behaviour)
	c.Header("Location", "/epcis/capture/"+id)
	c.JSON(http.StatusAccepted, captureJobJSON{CaptureID: id, CreatedAt: time.Now().UTC().Format(time.RFC3339Nano), Running: true,
		CaptureErrorBehaviour: behaviour, Events: len(events), Errors: []captureNoteJSON{}, Notes: []captureNoteJSON{}})
	return nil
}

func newCaptureID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// epcis is the store's EPCIS side.
func (s *Server) epcis() EPCISStore { return s.store }

// runCapture captures a validated document's events and ends its job. It outlives the
// request; a heartbeat says it is alive, so that a job cut by a stop of the service is found
// and ended as failed (expireCaptures).
func (s *Server) runCapture(id string, events []graph.CapturedEvent, behaviour string) {
	ctx := context.Background()
	stop := make(chan struct{})
	go func() {
		t := time.NewTicker(captureBeat)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				_ = s.epcis().HeartbeatCaptureJob(ctx, id)
			}
		}
	}()
	outcomes, err := s.epcis().CaptureEvents(ctx, events, behaviour == graph.CaptureRollback, nil)
	close(stop)
	var errs, notes []graph.CaptureNote
	if err != nil {
		s.logger.Error("EPCIS capture failed", "capture", id, "error", err.Error())
		errs = append(errs, graph.CaptureNote{Index: -1, Status: graph.ErrorCode(err), Reason: "the capture stopped: " + graph.ErrorMessage(err)})
	}
	// A rollback capture that failed stored nothing: no event is noted as stored.
	stored := behaviour == graph.CaptureProceed || err == nil
	for _, o := range outcomes {
		if o.Err != nil {
			stored = stored && behaviour == graph.CaptureProceed
		}
	}
	for i, o := range outcomes {
		ev := events[i]
		switch {
		case o.Err != nil && len(errs) < maxJobNotes:
			errs = append(errs, graph.CaptureNote{Index: i, EventID: ev.ID, Status: graph.ErrorCode(o.Err), Reason: reasonOf(o.Err)})
		case o.Err == nil && stored && ev.NotInGenealogy != "" && len(notes) < maxJobNotes:
			notes = append(notes, graph.CaptureNote{Index: i, EventID: ev.ID, Reason: "stored, not in the genealogy: " + ev.NotInGenealogy})
		}
	}
	if err := s.epcis().FinishCaptureJob(ctx, id, len(errs) == 0, errs, notes); err != nil {
		s.logger.Error("EPCIS capture job not finished", "capture", id, "error", err.Error())
	}
}

// reasonOf words an event's refusal with its field problems.
func reasonOf(err error) string {
	out := graph.ErrorMessage(err)
	for _, f := range graph.ErrorFields(err) {
		out += "; " + f.Field + ": " + f.Message
	}
	return out
}

// expireCaptures ends the jobs a stopped service left running, before jobs are read.
func (s *Server) expireCaptures(ctx context.Context) error {
	_, err := s.epcis().ExpireCaptureJobs(ctx, time.Now().Add(-captureStale),
		"the capture was cut short: the service that ran it stopped (a rollback capture stored nothing; a proceed capture kept the events stored before the stop, and capturing the document again is safe)")
	return err
}

// handleEPCISCaptureJob answers GET /epcis/capture/:id.
func (s *Server) handleEPCISCaptureJob(c *gin.Context) error {
	if err := s.expireCaptures(c.Request.Context()); err != nil {
		return err
	}
	jobs, err := s.epcis().CaptureJobs(c.Request.Context(), c.Param("id"), 1)
	if err != nil {
		return err
	}
	if len(jobs) == 0 {
		return graph.Errorf(graph.ENOTFOUND, "no capture job %s", c.Param("id"))
	}
	c.JSON(http.StatusOK, captureJobToJSON(jobs[0]))
	return nil
}

// handleEPCISCaptureJobs answers GET /epcis/capture: the latest jobs, newest first.
func (s *Server) handleEPCISCaptureJobs(c *gin.Context) error {
	limit, err := perPageParam(c, 100)
	if err != nil {
		return err
	}
	if err := s.expireCaptures(c.Request.Context()); err != nil {
		return err
	}
	jobs, err := s.epcis().CaptureJobs(c.Request.Context(), "", limit)
	if err != nil {
		return err
	}
	out := make([]captureJobJSON, len(jobs))
	for i, j := range jobs {
		out[i] = captureJobToJSON(j)
	}
	c.JSON(http.StatusOK, out)
	return nil
}

// handleEPCISEventCapture answers POST /epcis/events: one event captured at once. 201 with
// Location the first time; the same event again (same id, same content) is 200; the same id
// with other content 409.
func (s *Server) handleEPCISEventCapture(c *gin.Context) error {
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	ev, err := epcisValidator().ReadEvent(body)
	if err != nil {
		return asBadRequest(err)
	}
	auditNoteOf(c).ids = []string{"event:" + ev.ID}
	outcomes, err := s.epcis().CaptureEvents(c.Request.Context(), []graph.CapturedEvent{ev}, true, nil)
	if err != nil {
		return err
	}
	if outcomes[0].Err != nil {
		return outcomes[0].Err
	}
	status := http.StatusOK
	if outcomes[0].Created {
		status = http.StatusCreated
	}
	c.Header("Location", "/epcis/events/"+url.PathEscape(ev.ID))
	c.JSON(status, capturedEventJSON{EventID: ev.ID, Created: outcomes[0].Created, InGenealogy: len(ev.CTEs) > 0, Note: ev.NotInGenealogy})
	return nil
}

// handleEPCISEvent answers GET /epcis/events/:eventID with the event as captured.
func (s *Server) handleEPCISEvent(c *gin.Context) error {
	j, found, err := s.epcis().EPCISEvent(c.Request.Context(), c.Param("eventID"))
	if err != nil {
		return err
	}
	if !found {
		return graph.Errorf(graph.ENOTFOUND, "no event %s", c.Param("eventID"))
	}
	c.Data(http.StatusOK, mediaLDJSON, []byte(j))
	return nil
}

// queryParams are the query parameters GET /epcis/events takes.
var queryParams = map[string]bool{"eventType": true, "GE_eventTime": true, "LT_eventTime": true, "EQ_bizStep": true,
	"EQ_bizLocation": true, "EQ_eventID": true, "MATCH_epcClass": true, "MATCH_inputEPCClass": true,
	"MATCH_outputEPCClass": true, "MATCH_anyEPCClass": true, "perPage": true, "nextPageToken": true}

// handleEPCISEvents answers GET /epcis/events: an EPCISQueryDocument of the events matching
// the filters (pipe-separated lists), a page at a time, Link: rel="next" to the next page.
func (s *Server) handleEPCISEvents(c *gin.Context) error {
	q := c.Request.URL.Query()
	for name := range q {
		if !queryParams[name] {
			return &graph.Error{Code: graph.EMALFORMED, Message: "unknown query parameter",
				Fields: []graph.FieldError{{Field: name, Message: "is not a query parameter this service supports"}}}
		}
	}
	pipes := func(name string) []string {
		v := q.Get(name)
		if v == "" {
			return nil
		}
		return strings.Split(v, "|")
	}
	classes := func(name string) []string {
		var out []string
		for _, v := range pipes(name) {
			out = append(out, v)
			if code, kind := epcis.Lot(v); kind != epcis.NotALot && code != v {
				out = append(out, code)
			}
		}
		return out
	}
	f := graph.EventFilter{Types: pipes("eventType"), BizLocations: pipes("EQ_bizLocation"), IDs: pipes("EQ_eventID"),
		Classes: classes("MATCH_epcClass"), InputClasses: classes("MATCH_inputEPCClass"),
		OutputClasses: classes("MATCH_outputEPCClass"), AnyClasses: classes("MATCH_anyEPCClass")}
	for _, step := range pipes("EQ_bizStep") {
		f.BizSteps = append(f.BizSteps, epcis.BizStepOf(step))
	}
	for name, t := range map[string]*time.Time{"GE_eventTime": &f.From, "LT_eventTime": &f.Before} {
		if v := q.Get(name); v != "" {
			parsed, err := time.Parse(time.RFC3339Nano, v)
			if err != nil {
				return &graph.Error{Code: graph.EMALFORMED, Message: "invalid time",
					Fields: []graph.FieldError{{Field: name, Message: "must be an RFC 3339 time, such as 2026-10-01T07:00:00Z"}}}
			}
			*t = parsed.UTC()
		}
	}
	var err error
	if f.Limit, err = perPageParam(c, 100); err != nil {
		return err
	}
	if tok := q.Get("nextPageToken"); tok != "" {
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil {
			return &graph.Error{Code: graph.EMALFORMED, Message: "invalid page token",
				Fields: []graph.FieldError{{Field: "nextPageToken", Message: "is not a token this service gave"}}}
		}
		f.After = string(raw)
	}
	events, next, err := s.epcis().EPCISEvents(c.Request.Context(), f)
	if err != nil {
		return asBadRequest(err)
	}
	if next != "" {
		q.Set("nextPageToken", base64.RawURLEncoding.EncodeToString([]byte(next)))
		c.Header("Link", fmt.Sprintf(`<%s?%s>; rel="next"`, c.Request.URL.Path, q.Encode()))
	}
	var b bytes.Buffer
	ctx, _ := json.Marshal(epcis.ExportContext)
	b.WriteString(`{"@context":` + string(ctx) + `,"type":"EPCISQueryDocument","schemaVersion":"2.0","creationDate":"` +
		time.Now().UTC().Format("2006-01-02T15:04:05.000Z") + `","epcisBody":{"queryResults":{"queryName":"SimpleEventQuery","resultsBody":{"eventList":[`)
	for i, e := range events {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(e)
	}
	b.WriteString(`]}}}}`)
	c.Data(http.StatusOK, mediaLDJSON, b.Bytes())
	return nil
}

// perPageParam reads perPage: 1 to 1000, def when absent.
func perPageParam(c *gin.Context, def int) (int, error) {
	raw, ok := c.GetQuery("perPage")
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < 1 || n > 1000 {
		return 0, &graph.Error{Code: graph.EMALFORMED, Message: "invalid perPage",
			Fields: []graph.FieldError{{Field: "perPage", Message: "must be a whole number from 1 to 1000"}}}
	}
	return n, nil
}

// sendEPCIS answers a trace or recall as an EPCISDocument, streamed from the store's rows.
func (s *Server) sendEPCIS(c *gin.Context, code graph.LotCode, what string, sc graph.KDEScope) error {
	now := time.Now()
	c.Header("Content-Type", mediaLDJSON)
	c.Header("Content-Disposition", `attachment; filename="`+strings.TrimSuffix(downloadName(code, what, "jsonld", now), ".jsonld")+`.jsonld"`)
	c.Status(http.StatusOK)
	ctx := c.Request.Context()
	return epcis.Export(c.Writer, now, s.kdeRows(c, sc), epcis.Sources{
		Captured: func(keys []string) (map[string][2]string, error) { return s.epcis().EPCISEventsFor(ctx, keys) },
		Events:   func(keys []string) (map[string]graph.Event, error) { return s.epcis().CTEEvents(ctx, keys) },
	})
}

// lotParam is the lot a route's :code names: a GS1 lot, by its LGTIN URN or any spelling of
// its Digital Link, is its canonical Digital Link (graph/gs1.Canonical), the one code every
// route stores it under (lots an earlier version stored otherwise are renamed when the schema
// is applied: neo4j.Store.MigrateGS1LotCodes); an own URN (urn:lot-trace:lot:...) is its plain
// code; any other code is itself. It reads no database.
func lotParam(c *gin.Context) graph.LotCode {
	v := c.Param("code")
	if code, kind := epcis.Lot(v); kind != epcis.NotALot {
		return graph.LotCode(code)
	}
	return graph.LotCode(v)
}
