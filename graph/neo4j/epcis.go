package neo4j

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// CaptureRunSize is how many EPCIS events one run plans and writes: a proceed capture's
// transaction, a rollback capture's step inside its one transaction.
const CaptureRunSize = 2000

// CaptureEvents stores captured EPCIS events and records the CTEs they map to through the
// same planning and statements as every other event (lookup_existing, plan, record_*), so
// the genealogy's rules and exactly-once hold alike. An event is all or nothing: stored with
// every CTE, unchanged (its id with the same content), or refused (its id with other
// content, ECONFLICT; a CTE refused) with nothing of it stored. atomic (rollback) stores the
// whole list in one transaction, and nothing at all when any event is refused; otherwise
// (proceed) runs of CaptureRunSize are committed one after the other, and a refused event
// never stops the others. done, if not nil, is told after each committed run how many
// events are dealt with. The error is for the capture as a whole (the database failed).
func (s *Store) CaptureEvents(ctx context.Context, events []graph.CapturedEvent, atomic bool, done func(int)) ([]graph.Outcome, error) {
	outcomes := make([]graph.Outcome, len(events))
	hashes := make([][]string, len(events))
	for i, ev := range events {
		hashes[i] = fingerprints(ev.CTEs)
	}
	runs := func(t txn, from, to int) (refused bool, err error) {
		for start := from; start < to; start += CaptureRunSize {
			end := min(start+CaptureRunSize, to)
			if err := captureRun(ctx, t, events[start:end], hashes[start:end], outcomes[start:end]); err != nil {
				return false, err
			}
			for _, o := range outcomes[start:end] {
				if o.Err != nil && atomic {
					return true, nil
				}
			}
		}
		return false, nil
	}
	op := fmt.Sprintf("graph.CaptureEvents (%d events)", len(events))
	if atomic {
		refused := false
		_, err := retryWrite(ctx, s, op, func(t txn) (bool, error) {
			r, err := runs(t, 0, len(events))
			if refused = r; err == nil && r {
				err = errRefused // rolls the transaction back
			}
			return r, err
		})
		if refused {
			for i := range outcomes {
				outcomes[i].Created = false // rolled back
			}
			return outcomes, nil
		}
		if err == nil && done != nil {
			done(len(events))
		}
		return outcomes, err
	}
	for start := 0; start < len(events); start += CaptureRunSize {
		end := min(start+CaptureRunSize, len(events))
		if _, err := retryWrite(ctx, s, op, func(t txn) (bool, error) { return runs(t, start, end) }); err != nil {
			return outcomes, err
		}
		if done != nil {
			done(end)
		}
	}
	return outcomes, nil
}

// errRefused rolls back an atomic capture one of whose events was refused.
var errRefused = &graph.Error{Code: graph.ECONFLICT, Message: "an event was refused: the capture is rolled back"}

// retryWrite runs a write transaction again when a concurrent writer made a uniqueness
// constraint refuse it, or Neo4j broke a deadlock with it, as RecordEvents does.
func retryWrite[T any](ctx context.Context, s *Store, op string, work func(txn) (T, error)) (T, error) {
	for attempt := 1; ; attempt++ {
		out, err := writeTx(ctx, s, op, work)
		if attempt == recordAttempts || (!isNeo4jCode(err, "Neo.ClientError.Schema.ConstraintValidationFailed") && !isDeadlock(err)) {
			return out, err
		}
	}
}

// captureRun plans and writes one run of captured events in t, filling outcomes. Planning is
// the record path's: a run's CTEs are planned together, and an event one of whose CTEs is
// refused is taken out and the rest planned again, so an event is never half stored.
func captureRun(ctx context.Context, t txn, events []graph.CapturedEvent, hashes [][]string, outcomes []graph.Outcome) error {
	ids := make([]string, len(events))
	for i, ev := range events {
		ids[i] = ev.ID
	}
	stored := map[string]string{}
	err := each(ctx, t, cypher.EpcisLookupEvents, map[string]any{"ids": ids}, func(r *row) error {
		stored[r.Str("id")] = r.Str("hash")
		return r.err
	})
	if err != nil {
		return err
	}
	// Which events are new: the others are unchanged, or a conflict.
	todo := make([]bool, len(events))
	for i, ev := range events {
		outcomes[i] = graph.Outcome{}
		switch h, ok := stored[ev.ID]; {
		case !ok:
			todo[i] = true
			stored[ev.ID] = ev.Hash // a second copy in the same run is the same event
		case h != ev.Hash:
			outcomes[i].Err = &graph.Error{Code: graph.ECONFLICT, Message: "the event id is already stored with other content",
				Fields: []graph.FieldError{{Field: "eventID", Message: fmt.Sprintf("event %s was captured before with different content", ev.ID)}}}
		}
	}
	for {
		var ctes []graph.Event
		var ctHashes []string
		var owner []int
		for i, ev := range events {
			if todo[i] {
				ctes = append(ctes, ev.CTEs...)
				ctHashes = append(ctHashes, hashes[i]...)
				for range ev.CTEs {
					owner = append(owner, i)
				}
			}
		}
		have, err := lookupExisting(ctx, t, lookupKeys(ctes))
		if err != nil {
			return err
		}
		cteOutcomes, w := plan(ctes, ctHashes, have)
		again := false
		for k, o := range cteOutcomes {
			i := owner[k]
			if o.Err != nil && todo[i] {
				todo[i], again = false, true
				outcomes[i].Err = o.Err
			}
		}
		if again {
			continue
		}
		for k, o := range cteOutcomes {
			if o.Created {
				outcomes[owner[k]].Created = true
			}
		}
		if !w.empty() {
			if err := writeEvents(ctx, t, w, have.refs); err != nil {
				return err
			}
		}
		break
	}
	var rows []map[string]any
	for i, ev := range events {
		if !todo[i] {
			continue
		}
		outcomes[i].Created = true
		rows = append(rows, map[string]any{
			"event_id": ev.ID, "type": ev.Type, "event_time": ev.Time, "biz_step": ev.BizStep, "biz_location": ev.BizLocation,
			"classes": orEmpty(ev.Classes), "input_classes": orEmpty(ev.InputClasses), "output_classes": orEmpty(ev.OutputClasses),
			"any_classes": orEmpty(append(append(append([]string{}, ev.Classes...), ev.InputClasses...), ev.OutputClasses...)),
			"hash":        ev.Hash, "json": ev.JSON, "note": optional(ev.NotInGenealogy), "keys": orEmpty(ev.Keys),
		})
	}
	if len(rows) == 0 {
		return nil
	}
	_, err = consume(ctx, t, cypher.EpcisRecordEvents, map[string]any{"events": rows})
	return err
}

// EPCISEvent reads one captured event as captured; false when there is none.
func (s *Store) EPCISEvent(ctx context.Context, id string) (string, bool, error) {
	type result struct {
		json  string
		found bool
	}
	r, err := readTx(ctx, s, "graph.EPCISEvent", func(t txn) (result, error) {
		j, found, err := single(ctx, t, cypher.EpcisEvent, map[string]any{"id": id}, func(r *row) string { return r.Str("json") })
		return result{j, found}, err
	})
	return r.json, r.found, err
}

// EPCISEvents answers an EPCIS query: up to f.Limit events as captured, in (time, id) order,
// and the key of the last one when more may follow ("" when not).
func (s *Store) EPCISEvents(ctx context.Context, f graph.EventFilter) ([]string, string, error) {
	list := func(xs []string) any {
		if len(xs) == 0 {
			return nil
		}
		return xs
	}
	at := func(t time.Time) any {
		if t.IsZero() {
			return nil
		}
		return t
	}
	params := map[string]any{
		"types": list(f.Types), "biz_steps": list(f.BizSteps), "biz_locations": list(f.BizLocations), "ids": list(f.IDs),
		"classes": list(f.Classes), "input_classes": list(f.InputClasses), "output_classes": list(f.OutputClasses),
		"any_classes": list(f.AnyClasses), "from": at(f.From), "before": at(f.Before),
		"after_time": nil, "after_id": nil, "limit": int64(f.Limit + 1),
	}
	if f.After != "" {
		var after struct {
			T  time.Time `json:"t"`
			ID string    `json:"id"`
		}
		if json.Unmarshal([]byte(f.After), &after) != nil {
			return nil, "", graph.Invalid("invalid page token", graph.FieldError{Field: "nextPageToken", Message: "is not a token this service gave"})
		}
		params["after_time"], params["after_id"] = after.T, after.ID
	}
	type found struct {
		id   string
		t    time.Time
		json string
	}
	rows, err := readTx(ctx, s, "graph.EPCISEvents", func(t txn) ([]found, error) {
		return collect(ctx, t, cypher.EpcisEventsQuery, params, func(r *row) found {
			return found{id: r.Str("id"), t: r.Time("event_time"), json: r.Str("json")}
		})
	})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		last := rows[len(rows)-1]
		b, _ := json.Marshal(map[string]any{"t": last.t, "id": last.id})
		next = string(b)
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = r.json
	}
	return out, next, nil
}

// EPCISEventsFor reads, for the CTE keys given ("receipt:LOT", "batch:ID", "shipment:ID"),
// the captured event that recorded each, if any: by key, its id and JSON.
func (s *Store) EPCISEventsFor(ctx context.Context, keys []string) (map[string][2]string, error) {
	return readTx(ctx, s, "graph.EPCISEventsFor", func(t txn) (map[string][2]string, error) {
		out := map[string][2]string{}
		err := each(ctx, t, cypher.EpcisEventsForKeys, map[string]any{"keys": orEmpty(keys)}, func(r *row) error {
			out[r.Str("key")] = [2]string{r.Str("id"), r.Str("json")}
			return r.err
		})
		return out, err
	})
}

// CreateCaptureJob stores a new, running capture job.
func (s *Store) CreateCaptureJob(ctx context.Context, id, behaviour string, events int) error {
	_, err := writeTx(ctx, s, "graph.CreateCaptureJob", func(t txn) (bool, error) {
		_, err := consume(ctx, t, cypher.EpcisCaptureCreate, map[string]any{"id": id, "behaviour": behaviour, "events": int64(events)})
		return err == nil, err
	})
	return err
}

// HeartbeatCaptureJob says the job's worker is alive.
func (s *Store) HeartbeatCaptureJob(ctx context.Context, id string) error {
	_, err := writeTx(ctx, s, "graph.HeartbeatCaptureJob", func(t txn) (bool, error) {
		_, err := consume(ctx, t, cypher.EpcisCaptureBeat, map[string]any{"id": id})
		return err == nil, err
	})
	return err
}

// FinishCaptureJob ends a job with its outcome.
func (s *Store) FinishCaptureJob(ctx context.Context, id string, success bool, errs, notes []graph.CaptureNote) error {
	_, err := writeTx(ctx, s, "graph.FinishCaptureJob", func(t txn) (bool, error) {
		_, err := consume(ctx, t, cypher.EpcisCaptureFinish, map[string]any{"id": id, "success": success,
			"errors": notesJSON(errs), "notes": notesJSON(notes)})
		return err == nil, err
	})
	return err
}

// ExpireCaptureJobs ends, as failed, the running jobs not heard of since stale: their worker
// stopped with the service that ran it.
func (s *Store) ExpireCaptureJobs(ctx context.Context, stale time.Time, reason string) (int, error) {
	n, err := writeTx(ctx, s, "graph.ExpireCaptureJobs", func(t txn) (int64, error) {
		n, _, err := single(ctx, t, cypher.EpcisCaptureExpire, map[string]any{"stale": stale.UTC(),
			"errors": notesJSON([]graph.CaptureNote{{Index: -1, Status: graph.EUNAVAILABLE, Reason: reason}})},
			func(r *row) int64 { return r.Int("expired") })
		return n, err
	})
	return int(n), err
}

// CaptureJobs reads one job (id) or the latest ones (id ""), newest first.
func (s *Store) CaptureJobs(ctx context.Context, id string, limit int) ([]graph.CaptureJob, error) {
	var idParam any
	if id != "" {
		idParam = id
	}
	return readTx(ctx, s, "graph.CaptureJobs", func(t txn) ([]graph.CaptureJob, error) {
		return collect(ctx, t, cypher.EpcisCaptures, map[string]any{"id": idParam, "limit": int64(limit)}, func(r *row) graph.CaptureJob {
			j := graph.CaptureJob{ID: r.Str("id"), CreatedAt: r.Time("created_at"), Running: r.Bool("running"),
				Success: r.Bool("success"), Behaviour: r.Str("behaviour"), Events: int(r.Int("events"))}
			if v, ok := r.rec.Get("finished_at"); ok && v != nil {
				j.FinishedAt = r.Time("finished_at")
			}
			j.Errors, j.Notes = notesOf(r.Str("errors")), notesOf(r.Str("notes"))
			return j
		})
	})
}

// captureNoteJSON is how a job's notes are kept on its node.
type captureNoteJSON struct {
	Index   int    `json:"index"`
	EventID string `json:"eventID,omitempty"`
	Status  string `json:"status,omitempty"`
	Reason  string `json:"reason"`
}

func notesJSON(notes []graph.CaptureNote) string {
	out := make([]captureNoteJSON, len(notes))
	for i, n := range notes {
		out[i] = captureNoteJSON(n)
	}
	b, _ := json.Marshal(out)
	return string(b)
}

func notesOf(s string) []graph.CaptureNote {
	var in []captureNoteJSON
	_ = json.Unmarshal([]byte(s), &in)
	out := make([]graph.CaptureNote, len(in))
	for i, n := range in {
		out[i] = graph.CaptureNote(n)
	}
	return out
}

// CTEEvents reads recorded events whole, as they were recorded, by CTE key ("receipt:LOT",
// "batch:ID", "shipment:ID"): an EPCIS export writes each from them. A TLC source that is the
// default (the supplier's location, the batch's location) reads as not given.
func (s *Store) CTEEvents(ctx context.Context, keys []string) (map[string]graph.Event, error) {
	params := map[string]any{"lots": []string{}, "batches": []string{}, "shipments": []string{}}
	for _, k := range keys {
		kind, id, _ := strings.Cut(k, ":")
		param := map[string]string{"receipt": "lots", "batch": "batches", "shipment": "shipments"}[kind]
		if param != "" {
			params[param] = append(params[param].([]string), id)
		}
	}
	return readTx(ctx, s, "graph.CTEEvents", func(t txn) (map[string]graph.Event, error) {
		out := map[string]graph.Event{}
		err := each(ctx, t, cypher.EpcisCTEEvents, params, func(r *row) error {
			kind, key, node, edge, party := r.Str("kind"), r.Str("key"), r.Map("node"), r.Map("edge"), r.Map("party")
			lines, outputs := r.Maps("lines"), r.Maps("outputs")
			if r.err != nil {
				return r.err
			}
			lq := func(m map[string]any) graph.LotQuantity {
				lot, _ := m["lot"].(map[string]any)
				rel, _ := m["rel"].(map[string]any)
				return graph.LotQuantity{Lot: graph.LotCode(str(lot["code"])), Quantity: quantityOf(rel)}
			}
			notDefault := func(tlc, def string) string {
				if tlc == def {
					return ""
				}
				return tlc
			}
			switch kind {
			case "receipt":
				out["receipt:"+key] = &graph.Receipt{
					Lot: graph.NewLot{Code: graph.LotCode(key), Product: str(node["product"]), Description: str(node["description"]),
						Quantity: quantityOf(node), SupplierLot: str(node["supplier_lot"]), ExpiresAt: dateOf(node["expires_at"])},
					Supplier:   graph.Supplier{ID: graph.SupplierID(str(party["id"])), Name: str(edge["supplier_name"]), Location: str(edge["supplier_location"])},
					ReceivedAt: timeOf(edge["received_at"]), Location: str(edge["location"]),
					TLCSource: notDefault(str(node["tlc_source"]), str(edge["supplier_location"])), Reference: referenceOf(edge),
				}
			case "production":
				p := &graph.Production{Batch: graph.Batch{ID: graph.BatchID(key), Line: str(node["line"])},
					ProducedAt: timeOf(node["produced_at"]), Location: str(node["location"]),
					TLCSource: notDefault(str(node["tlc_source"]), str(node["location"])), Reference: referenceOf(node)}
				for _, l := range lines {
					p.Inputs = append(p.Inputs, lq(l))
				}
				for _, o := range outputs {
					lot, _ := o["lot"].(map[string]any)
					rel, _ := o["rel"].(map[string]any)
					p.Outputs = append(p.Outputs, graph.NewLot{Code: graph.LotCode(str(lot["code"])), Product: str(lot["product"]),
						Description: str(lot["description"]), Quantity: quantityOf(rel), ExpiresAt: dateOf(lot["expires_at"])})
				}
				out["batch:"+key] = p
			case "shipment":
				sh := &graph.Shipment{ID: graph.ShipmentID(key)}
				for i, l := range lines {
					rel, _ := l["rel"].(map[string]any)
					if i == 0 {
						sh.Customer = graph.Customer{ID: graph.CustomerID(str(party["id"])), Name: str(rel["customer_name"]),
							Location: str(rel["customer_location"]), Contact: str(party["contact"])}
						sh.ShippedAt, sh.From, sh.Reference = timeOf(rel["shipped_at"]), str(rel["from"]), referenceOf(rel)
					}
					sh.Lines = append(sh.Lines, lq(l))
				}
				out["shipment:"+key] = sh
			}
			return nil
		})
		return out, err
	})
}
