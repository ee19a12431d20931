package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/lot-trace/lot-trace/audit"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/ingest"
)

// EventRecorder is what the write handlers need of the store.
type EventRecorder interface {
	RecordEvent(ctx context.Context, ev graph.Event) (created bool, err error)
	ingest.Recorder
}

// recordedJSON answers a recorded event.
type recordedJSON struct {
	Created bool   `json:"created"`
	Type    string `json:"type"`
	ID      string `json:"id"` // the lot code, batch id or shipment id that identifies the event
}

// handleReceiptCreate answers POST /api/v1/receipts.
func (s *Server) handleReceiptCreate(c *gin.Context) error {
	return s.recordOne(c, graph.KindReceipt, decodeAs(ingest.DecodeReceipt))
}

// handleProductionCreate answers POST /api/v1/productions.
func (s *Server) handleProductionCreate(c *gin.Context) error {
	return s.recordOne(c, graph.KindProduction, decodeAs(ingest.DecodeProduction))
}

// handleShipmentCreate answers POST /api/v1/shipments.
func (s *Server) handleShipmentCreate(c *gin.Context) error {
	return s.recordOne(c, graph.KindShipment, decodeAs(ingest.DecodeShipment))
}

// decodeAs makes a decoder of one event type a decoder of events (a body that does not
// decode is no event at all, not a typed nil).
func decodeAs[E graph.Event](decode func([]byte) (E, error)) func([]byte) (graph.Event, error) {
	return func(body []byte) (graph.Event, error) {
		ev, err := decode(body)
		if err != nil {
			return nil, err
		}
		return ev, nil
	}
}

// recordOne reads a JSON body, decodes it with decode and records the event in one
// transaction: 201 the first time, 200 with "created": false for an identical resend. kind
// labels the ingest metrics, also for a body that does not decode. The answer's id is the
// event's first key: its lot, batch or shipment.
func (s *Server) recordOne(c *gin.Context, kind graph.EventKind, decode func([]byte) (graph.Event, error)) error {
	body, err := s.readBody(c)
	if err != nil {
		return err
	}
	ev, err := decode(body)
	if err != nil {
		s.metrics.countOutcome(kind, false, err)
		return err
	}
	note := auditNoteOf(c)
	note.event, note.ids = string(ev.Kind()), eventIDs(ev)
	if err := s.auditBegin(c); err != nil {
		return err
	}
	created, err := s.store.RecordEvent(c.Request.Context(), ev)
	s.metrics.countOutcome(kind, created, err)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	c.JSON(status, recordedJSON{Created: created, Type: string(ev.Kind()), ID: ev.Keys().Creates[0].ID()})
	return nil
}

// readBody reads the whole body within the configured limit.
func (s *Server) readBody(c *gin.Context) ([]byte, error) {
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes))
	if err != nil {
		return nil, bodyError(err, s.cfg.MaxBodyBytes)
	}
	return body, nil
}

func bodyError(err error, limit int64) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return graph.Errorf(graph.ETOOLARGE, "the body is larger than the limit of %d bytes", limit)
	}
	return &graph.Error{Code: graph.EMALFORMED, Message: "the body could not be read", Err: err}
}

// MaxRejectionsListed is how many rejected lines a bulk answer lists in full, the first ones
// in line order; the others are only counted. A body of a million bad lines answered 148 MB.
const MaxRejectionsListed = 1000

// bulkJSON answers POST /api/v1/events.
type bulkJSON struct {
	Accepted  int             `json:"accepted"`
	Unchanged int             `json:"unchanged"`
	Rejected  []rejectionJSON `json:"rejected"` // the first MaxRejectionsListed
	// RejectedCount counts every rejected line; RejectedTruncated says it exceeds the list.
	RejectedCount     int  `json:"rejected_count"`
	RejectedTruncated bool `json:"rejected_truncated"`
}

type rejectionJSON struct {
	Line    int              `json:"line"`
	Status  int              `json:"status"`
	Message string           `json:"message"`
	Errors  []fieldErrorJSON `json:"errors,omitempty"`
}

// handleEventsBulk answers POST /api/v1/events: NDJSON, one event a line, applied in order in
// batches. The body is streamed, so memory does not grow with it.
func (s *Server) handleEventsBulk(c *gin.Context) error {
	if c.Request.ContentLength > s.cfg.MaxBodyBytes {
		return graph.Errorf(graph.ETOOLARGE, "the body is larger than the limit of %d bytes", s.cfg.MaxBodyBytes)
	}
	answer := bulkJSON{Rejected: []rejectionJSON{}}
	recorder := &countingRecorder{Recorder: s.store, metrics: s.metrics}
	loader := ingest.Loader{
		Recorder: recorder,
		OnReject: func(r ingest.Rejection) {
			if len(answer.Rejected) == MaxRejectionsListed {
				answer.RejectedTruncated = true
				return
			}
			answer.Rejected = append(answer.Rejected, rejectionJSON{
				Line: r.Line, Status: statusOf[r.Code], Message: r.Message, Errors: fieldErrorsToJSON(r.Errors),
			})
		},
	}
	body := &countingReader{r: http.MaxBytesReader(c.Writer, c.Request.Body, s.cfg.MaxBodyBytes)}
	counts, err := loader.Load(c.Request.Context(), ingest.NewNDJSON(body))
	note := auditNoteOf(c)
	note.event, note.events = "bulk", &audit.EventCounts{Accepted: counts.Accepted, Unchanged: counts.Unchanged, Rejected: counts.Rejected}
	s.metrics.countEvents(unknownKind, outcomeRejected, counts.Rejected-int(recorder.rejected.Load()))
	if err != nil {
		return s.loadStopped(err, counts)
	}
	if body.n == 0 { // as the OpenAPI document says (minLength: 1); a body of blank lines is 200
		return graph.Errorf(graph.EMALFORMED, "empty body: send one JSON event a line")
	}
	answer.Accepted, answer.Unchanged, answer.RejectedCount = counts.Accepted, counts.Unchanged, counts.Rejected
	c.JSON(http.StatusOK, answer)
	return nil
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// loadStopped explains a bulk load that stopped part-way: the lines counted are dealt with
// (stored, found unchanged or rejected), the others not. With two runs stored at once those
// need not be the first lines of the body, so the caller is told what was done and that
// resending the body is safe (resends are idempotent).
func (s *Server) loadStopped(err error, counts ingest.Counts) error {
	var known *graph.Error
	if !errors.As(err, &known) {
		err = bodyError(err, s.cfg.MaxBodyBytes)
	}
	return &graph.Error{
		Code: graph.ErrorCode(err),
		Message: fmt.Sprintf("%s; stopped with %d lines dealt with (accepted %d, unchanged %d, rejected %d) and the others not applied: resending the body is safe",
			graph.ErrorMessage(err), counts.Lines(), counts.Accepted, counts.Unchanged, counts.Rejected),
		Err: err,
	}
}
