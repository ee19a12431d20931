package neo4j

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// Recall cases live beside the lots they concern: (:RecallCase)-[:RECALLS]->(:Lot) for the
// lots recalled, -[:HOLDS]->(:Lot) for each hold (kept when released), -[:SCOPED]->
// (:RecallScope) for each scope version and -[:STEP]->(:RecallStep)-[:CONCERNS]->(:Customer)
// for the work recorded.

// CreateRecallCase stores a new case with its first scope and its holds in one transaction.
func (s *Store) CreateRecallCase(ctx context.Context, c *graph.RecallCase) error {
	lots := make([]string, len(c.Lots))
	for i, l := range c.Lots {
		lots[i] = string(l)
	}
	_, err := writeTx(ctx, s, fmt.Sprintf("graph.CreateRecallCase %s", c.ID), func(t txn) (struct{}, error) {
		summary, err := consume(ctx, t, cypher.RecallCaseCreate, map[string]any{"case": map[string]any{
			"id": string(c.ID), "kind": string(c.Kind), "reason": c.Reason, "lots": lots,
			"opened_at": c.OpenedAt, "opened_by": c.OpenedBy}})
		if err != nil {
			return struct{}{}, err
		}
		if got := summary.Counters().RelationshipsCreated(); got != len(lots) {
			// A lot traced a moment ago is gone: nothing of the case is kept.
			return struct{}{}, graph.Errorf(graph.ECONFLICT, "a recalled lot changed while the case was opened: try again")
		}
		return struct{}{}, addScope(ctx, t, c.ID, *c.Scope(), c.Holds)
	})
	return err
}

// AddRecallScope stores a newer scope of a case and places the holds given, in one transaction.
func (s *Store) AddRecallScope(ctx context.Context, id graph.CaseID, scope graph.CaseScope, holds []graph.Hold) error {
	_, err := writeTx(ctx, s, fmt.Sprintf("graph.AddRecallScope %s", id), func(t txn) (struct{}, error) {
		if err := lockOpenCase(ctx, t, id, scope.ComputedAt, "rescoped"); err != nil {
			return struct{}{}, err
		}
		return struct{}{}, addScope(ctx, t, id, scope, holds)
	})
	return err
}

// addScope stores a scope version and places holds.
func addScope(ctx context.Context, t txn, id graph.CaseID, scope graph.CaseScope, holds []graph.Hold) error {
	snapshot, err := snapshotOf(scope)
	if err != nil {
		return err
	}
	customers := make([]string, len(scope.Customers))
	for i, c := range scope.Customers {
		customers[i] = string(c.Customer.ID)
	}
	affected := []string{}
	for _, l := range scope.AffectedLots() {
		affected = append(affected, string(l))
	}
	_, found, err := single(ctx, t, cypher.RecallScopeAdd, map[string]any{"case_id": string(id), "scope": map[string]any{
		"version": scope.Version, "started_at": scope.StartedAt, "computed_at": scope.ComputedAt, "snapshot": snapshot,
		"affected_lots": affected, "customers": customers}}, func(r *row) int64 { return r.Int("version") })
	if err != nil || !found {
		return orNotFound(err, found, id)
	}
	if len(holds) == 0 {
		return nil
	}
	rows := make([]map[string]any, len(holds))
	for i, h := range holds {
		rows[i] = map[string]any{"lot": string(h.Lot), "enforced": h.Enforced, "placed_at": h.PlacedAt}
	}
	slices.SortFunc(rows, func(a, b map[string]any) int { return strings.Compare(str(a["lot"]), str(b["lot"])) })
	placed, err := collect(ctx, t, cypher.RecallHoldsPlace, map[string]any{"case_id": string(id), "holds": rows}, func(r *row) string { return r.Str("lot") })
	if err == nil && len(placed) != len(holds) {
		err = graph.Errorf(graph.ECONFLICT, "a lot to hold changed while the case was scoped: try again")
	}
	return err
}

// orNotFound is err, or a not-found error for the case when there was no row.
func orNotFound(err error, found bool, id graph.CaseID) error {
	if err == nil && !found {
		return graph.Errorf(graph.ENOTFOUND, "recall case %s not found", id)
	}
	return err
}

// lockOpenCase takes the case's lock and refuses a closed case: what would have been done to
// it (doing) is a conflict.
func lockOpenCase(ctx context.Context, t txn, id graph.CaseID, at time.Time, doing string) error {
	state, found, err := single(ctx, t, cypher.RecallCaseLock, map[string]any{"id": string(id), "at": at}, func(r *row) string { return r.Str("state") })
	if err != nil || !found {
		return orNotFound(err, found, id)
	}
	if graph.CaseState(state) != graph.CaseOpen {
		return &graph.Error{Code: graph.ECONFLICT, Message: fmt.Sprintf("recall case %s is closed: it cannot be %s", id, doing)}
	}
	return nil
}

// AddRecallStep records a step of an open case.
func (s *Store) AddRecallStep(ctx context.Context, id graph.CaseID, st graph.Step) error {
	_, err := writeTx(ctx, s, fmt.Sprintf("graph.AddRecallStep %s", id), func(t txn) (struct{}, error) {
		if err := lockOpenCase(ctx, t, id, st.At, "given steps"); err != nil {
			return struct{}{}, err
		}
		step := map[string]any{"id": st.ID, "kind": string(st.Kind), "at": st.At, "by": st.By,
			"customer": optional(string(st.Customer)), "note": optional(st.Note),
			"on_hand": nil, "returned": nil, "destroyed": nil, "unit": nil}
		if st.Kind == graph.StepCustomerConfirmed {
			step["on_hand"], step["returned"], step["destroyed"], step["unit"] = st.OnHand, st.Returned, st.Destroyed, st.Unit
		}
		summary, err := consume(ctx, t, cypher.RecallStepAdd, map[string]any{"case_id": string(id), "step": step})
		if err == nil && summary.Counters().NodesCreated() != 1 {
			err = fmt.Errorf("%s created %d nodes, want 1", cypher.RecallStepAdd.Name, summary.Counters().NodesCreated())
		}
		return struct{}{}, err
	})
	return err
}

// NewStepID returns a fresh step id.
func NewStepID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return hex.EncodeToString(b)
}

// ReleaseHolds releases the case's holds on lots, recording who, when and why. A lot the case
// does not hold (never, or no longer) is an EINVALID error naming it, and nothing is released.
// A closed case's holds may still be released.
func (s *Store) ReleaseHolds(ctx context.Context, id graph.CaseID, lots []graph.LotCode, by, reason string, at time.Time) error {
	codes := make([]string, len(lots))
	for i, l := range lots {
		codes[i] = string(l)
	}
	_, err := writeTx(ctx, s, fmt.Sprintf("graph.ReleaseHolds %s", id), func(t txn) (struct{}, error) {
		if _, found, err := single(ctx, t, cypher.RecallCaseLock, map[string]any{"id": string(id), "at": at}, func(r *row) string { return r.Str("state") }); err != nil || !found {
			return struct{}{}, orNotFound(err, found, id)
		}
		released, err := collect(ctx, t, cypher.RecallHoldsRelease, map[string]any{"case_id": string(id), "lots": codes,
			"released_at": at, "released_by": by, "reason": reason}, func(r *row) string { return r.Str("lot") })
		if err != nil {
			return struct{}{}, err
		}
		var fields []graph.FieldError
		for i, c := range codes {
			if !slices.Contains(released, c) {
				fields = append(fields, graph.FieldError{Field: fmt.Sprintf("lots[%d]", i), Message: fmt.Sprintf("lot %s is not held by recall case %s", c, id)})
			}
		}
		if len(fields) > 0 {
			// Returning the error rolls back the releases this statement made.
			return struct{}{}, graph.Invalid("only lots the case holds can be released", fields...)
		}
		return struct{}{}, nil
	})
	return err
}

// CloseRecallCase closes an open case with its conclusion.
func (s *Store) CloseRecallCase(ctx context.Context, id graph.CaseID, by, conclusion string, at time.Time) error {
	_, err := writeTx(ctx, s, fmt.Sprintf("graph.CloseRecallCase %s", id), func(t txn) (struct{}, error) {
		if err := lockOpenCase(ctx, t, id, at, "closed again"); err != nil {
			return struct{}{}, err
		}
		_, err := consume(ctx, t, cypher.RecallCaseClose, map[string]any{"id": string(id), "closed_at": at, "closed_by": by, "conclusion": conclusion})
		return struct{}{}, err
	})
	return err
}

// RecallCase reads a case with every scope, hold and step.
func (s *Store) RecallCase(ctx context.Context, id graph.CaseID) (*graph.RecallCase, error) {
	return readTx(ctx, s, fmt.Sprintf("graph.RecallCase %s", id), func(t txn) (*graph.RecallCase, error) {
		var decodeErr error
		c, found, err := single(ctx, t, cypher.RecallCaseRead, map[string]any{"id": string(id)}, func(r *row) *graph.RecallCase {
			c := caseOf(r.Node("case").Props)
			for _, m := range r.Maps("scopes") {
				sc, err := scopeOf(int(toInt(m["version"])), timeOf(m["started_at"]), timeOf(m["computed_at"]), str(m["snapshot"]))
				if err != nil && decodeErr == nil {
					decodeErr = err
				}
				c.Scopes = append(c.Scopes, sc)
			}
			for _, m := range r.Maps("holds") {
				c.Holds = append(c.Holds, graph.Hold{Lot: graph.LotCode(str(m["lot"])), Enforced: m["enforced"] == true,
					PlacedAt: timeOf(m["placed_at"]), ReleasedAt: timeOf(m["released_at"]), ReleasedBy: str(m["released_by"]),
					ReleaseReason: str(m["release_reason"])})
			}
			for _, m := range r.Maps("steps") {
				c.Steps = append(c.Steps, graph.Step{ID: str(m["id"]), Kind: graph.StepKind(str(m["kind"])), At: timeOf(m["at"]),
					By: str(m["by"]), Customer: graph.CustomerID(str(m["customer"])), OnHand: toFloat(m["on_hand"]),
					Returned: toFloat(m["returned"]), Destroyed: toFloat(m["destroyed"]), Unit: str(m["unit"]), Note: str(m["note"])})
			}
			return c
		})
		if err != nil || !found {
			return nil, orNotFound(err, found, id)
		}
		return c, decodeErr
	})
}

// caseOf reads a stored RecallCase node.
func caseOf(p map[string]any) *graph.RecallCase {
	c := &graph.RecallCase{ID: graph.CaseID(str(p["id"])), Kind: graph.CaseKind(str(p["kind"])), Reason: str(p["reason"]),
		OpenedAt: timeOf(p["opened_at"]), OpenedBy: str(p["opened_by"]), State: graph.CaseState(str(p["state"])),
		ClosedAt: timeOf(p["closed_at"]), ClosedBy: str(p["closed_by"]), Conclusion: str(p["conclusion"])}
	for _, l := range strs(p["lots"]) {
		c.Lots = append(c.Lots, graph.LotCode(l))
	}
	return c
}

// RecallCases lists cases, newest first.
func (s *Store) RecallCases(ctx context.Context, q graph.CaseQuery) ([]graph.CaseSummary, error) {
	if err := q.Validate(); err != nil {
		return nil, fmt.Errorf("graph.RecallCases: %w", err)
	}
	params := map[string]any{"kind": optional(string(q.Kind)), "state": optional(string(q.State)),
		"from": optionalTime(q.From), "to": optionalTime(q.To), "limit": q.Limit}
	return readTx(ctx, s, "graph.RecallCases", func(t txn) ([]graph.CaseSummary, error) {
		return collect(ctx, t, cypher.RecallCasesList, params, func(r *row) graph.CaseSummary {
			c := caseOf(r.Node("case").Props)
			sum := graph.CaseSummary{ID: c.ID, Kind: c.Kind, State: c.State, Reason: c.Reason, Lots: c.Lots,
				OpenedAt: c.OpenedAt, OpenedBy: c.OpenedBy, ClosedAt: c.ClosedAt,
				ActiveHolds: int(r.Int("active_holds")), Steps: int(r.Int("steps"))}
			if n := r.List("customers"); len(n) > 0 {
				sum.Customers = int(toInt(n[0]))
			}
			return sum
		})
	})
}
