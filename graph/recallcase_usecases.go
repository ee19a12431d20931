package graph

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"time"
)

// RecallCaseScopeSource is what computing a case's scope reads: each recalled lot's recall
// (the recall route's use case, with properties, for the shipment lines and the customers)
// and its forward trace (for the exposure).
type RecallCaseScopeSource interface {
	Recall(ctx context.Context, code LotCode, bounds Bounds) (*Recall, error)
	ExposureSource
}

// RecallCaseStore is what opening and rescoping a case need of the store.
type RecallCaseStore interface {
	RecallCaseScopeSource
	// CreateRecallCase stores a new case with its first scope and its holds, at once.
	CreateRecallCase(ctx context.Context, c *RecallCase) error
	// RecallCase reads a case with every scope, hold and step.
	RecallCase(ctx context.Context, id CaseID) (*RecallCase, error)
	// AddRecallScope stores a newer scope of an open case and holds the lots given (real
	// cases enforce them), in one transaction.
	AddRecallScope(ctx context.Context, id CaseID, scope CaseScope, holds []Hold) error
}

// Clock tells the time; the use cases take it so that tests can tell it.
type Clock func() time.Time

// NewCaseID returns a fresh case id: RC-, the opening date, and 8 random hex digits.
func NewCaseID(at time.Time) CaseID {
	b := make([]byte, 4)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return CaseID("RC-" + at.UTC().Format("20060102") + "-" + strings.ToUpper(hex.EncodeToString(b)))
}

// OpenRecallCase opens a case: it computes the scope from complete traces of every lot
// (within bounds, which only the service's safety cap should limit), stores the case with its
// scope and the holds (every affected lot; enforced for a real case, recorded only for a mock
// one), and returns it. An unknown lot is an EINVALID error naming each, and nothing is stored.
func OpenRecallCase(ctx context.Context, store RecallCaseStore, open OpenCase, by string, bounds Bounds, clock Clock) (*RecallCase, error) {
	if err := open.Validate(); err != nil {
		return nil, err
	}
	openedAt := clock().UTC()
	scope, err := ComputeCaseScope(ctx, store, open.Lots, 1, bounds, clock)
	if err != nil {
		return nil, err
	}
	c := &RecallCase{ID: NewCaseID(openedAt), Kind: open.Kind, Reason: open.Reason, Lots: open.Lots, OpenedAt: openedAt,
		OpenedBy: by, State: CaseOpen, Scopes: []CaseScope{*scope}, Holds: holdsFor(open.Kind, scope.AffectedLots(), nil, scope.ComputedAt)}
	if err := store.CreateRecallCase(ctx, c); err != nil {
		return nil, err
	}
	if open.Kind != CaseReal {
		return c, nil
	}
	// A shipment or production committed between the traces above and the holds is in no
	// snapshot yet. With the holds in place nothing more ships or consumes the affected lots,
	// so the scope traced again is settled: if it differs it is kept as the next version, and
	// any lot it adds is held too.
	for last := scope; ; {
		again, err := ComputeCaseScope(ctx, store, open.Lots, last.Version+1, bounds, clock)
		if err != nil {
			return nil, err
		}
		if sameScope(last, again) || again.Version > settleAttempts {
			break
		}
		last = again
		if err := store.AddRecallScope(ctx, c.ID, *again, holdsFor(c.Kind, again.AffectedLots(), c.Holds, again.ComputedAt)); err != nil {
			return nil, err
		}
		if c, err = store.RecallCase(ctx, c.ID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// settleAttempts bounds the scope versions a real case's opening keeps while it settles.
const settleAttempts = 3

// sameScope reports whether two scopes name the same genealogy, shipment lines, customers and
// exposure, whatever their versions and times.
func sameScope(a, b *CaseScope) bool {
	return reflect.DeepEqual(a.Recalls, b.Recalls) && reflect.DeepEqual(a.Customers, b.Customers)
}

// RescopeRecallCase computes the case's scope again (later events may have changed it),
// keeps it as a new version beside the older ones, and holds any affected lot the case does
// not hold yet (a lot once released stays released). A closed case is not rescoped.
func RescopeRecallCase(ctx context.Context, store RecallCaseStore, id CaseID, bounds Bounds, clock Clock) (*RecallCase, error) {
	c, err := store.RecallCase(ctx, id)
	if err != nil {
		return nil, err
	}
	if c.State == CaseClosed {
		return nil, Errorf(ECONFLICT, "recall case %s is closed: it cannot be rescoped", id)
	}
	scope, err := ComputeCaseScope(ctx, store, c.Lots, c.Scope().Version+1, bounds, clock)
	if err != nil {
		return nil, err
	}
	holds := holdsFor(c.Kind, scope.AffectedLots(), c.Holds, scope.ComputedAt)
	if err := store.AddRecallScope(ctx, id, *scope, holds); err != nil {
		return nil, err
	}
	return store.RecallCase(ctx, id)
}

// holdsFor is a hold on every lot not held before (by lot code in had).
func holdsFor(kind CaseKind, lots []LotCode, had []Hold, at time.Time) []Hold {
	var holds []Hold
	for _, l := range lots {
		if slices.ContainsFunc(had, func(h Hold) bool { return h.Lot == l }) {
			continue
		}
		holds = append(holds, Hold{Lot: l, Enforced: kind == CaseReal, PlacedAt: at})
	}
	return holds
}

// ComputeCaseScope walks the recall of every lot and the exposure of each customer. Lots that
// do not exist are reported together, each by its place in lots.
func ComputeCaseScope(ctx context.Context, src RecallCaseScopeSource, lots []LotCode, version int, bounds Bounds, clock Clock) (*CaseScope, error) {
	scope := &CaseScope{Version: version, StartedAt: clock().UTC()}
	customers := map[CustomerID]*ScopeCustomer{}
	var unknown []FieldError
	for i, code := range lots {
		recall, err := src.Recall(ctx, code, bounds)
		if ErrorCode(err) == ENOTFOUND {
			unknown = append(unknown, FieldError{Field: fmt.Sprintf("lots[%d]", i), Message: fmt.Sprintf("unknown lot %s", code)})
			continue
		}
		if err != nil {
			return nil, err
		}
		if recall.Truncated() {
			return nil, Errorf(EINVALID, "the recall of lot %s is larger than the service's safety cap (%s): a case needs a complete trace", code, recall.CutBy())
		}
		scope.Recalls = append(scope.Recalls, scopeRecallOf(recall))
		for _, cr := range RecallCustomers(recall) {
			sc, ok := customers[cr.Customer.ID]
			if !ok {
				sc = &ScopeCustomer{Customer: cr.Customer}
				customers[cr.Customer.ID] = sc
			}
			for _, q := range cr.Totals {
				sc.Shipped = addQuantity(sc.Shipped, q)
			}
		}
		// The exposure of each lot the recall's walk forward starts from: the lot and its
		// siblings (a sibling's customers are affected, and hold none of the lot itself).
		for _, start := range recallOutputs(recall) {
			exposure, err := ExposureFor(ctx, src, start, bounds)
			if err != nil {
				return nil, err
			}
			for id, x := range customerExposures(exposure) {
				if sc, ok := customers[id]; ok {
					sc.Exposure = append(sc.Exposure, x)
				}
			}
		}
	}
	if len(unknown) > 0 {
		return nil, Invalid("the recall names lots that are not recorded", unknown...)
	}
	for _, sc := range customers {
		scope.Customers = append(scope.Customers, *sc)
	}
	slices.SortFunc(scope.Customers, func(a, b ScopeCustomer) int { return strings.Compare(string(a.Customer.ID), string(b.Customer.ID)) })
	scope.ComputedAt = clock().UTC()
	return scope, nil
}

// recallOutputs are the lots the recall's affected walk starts from: every lot its source
// batches produced, or the lot itself when it was received.
func recallOutputs(r *Recall) []LotCode {
	if len(r.SourceBatches) == 0 {
		return []LotCode{r.Lot}
	}
	var lots []LotCode
	for _, e := range r.Sources.Edges {
		if e.Type == Produced && slices.Contains(r.SourceBatches, e.From.Key()) {
			lots = append(lots, LotCode(e.To.Key()))
		}
	}
	slices.Sort(lots)
	return slices.Compact(lots)
}

// scopeRecallOf is a recall by key, as the recall route answers it.
func scopeRecallOf(r *Recall) ScopeRecall {
	return ScopeRecall{Lot: r.Lot, SourceBatches: orNone(r.SourceBatches), IngredientLots: r.IngredientLots(),
		IngredientBatches: r.Ingredients.Keys(KindBatch), Suppliers: r.Ingredients.Keys(KindSupplier),
		AffectedLots: r.Affected.Keys(KindLot), AffectedBatches: r.Affected.Keys(KindBatch),
		Customers: r.Affected.Keys(KindCustomer), Shipments: r.Shipments}
}

func orNone(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// customerExposures sums, per customer, the exposure of the shipment lines they received.
// A customer any of whose lines cannot be allocated has no amount, with the reason.
func customerExposures(x *Exposure) map[CustomerID]CustomerExposure {
	out := map[CustomerID]CustomerExposure{}
	for _, s := range x.Shipments {
		ce, ok := out[s.Customer.ID]
		if !ok {
			ce = CustomerExposure{Lot: x.Lot, Unit: x.Quantity.Unit}
		}
		if s.NotAllocatable != "" {
			ce.NotAllocatable = s.NotAllocatable
		}
		ce.Amount = saturate(ce.Amount + s.Amount)
		out[s.Customer.ID] = ce
	}
	for id, ce := range out {
		if ce.NotAllocatable != "" {
			ce.Amount = 0
			out[id] = ce
		}
	}
	return out
}

// RecallCaseFileSource is what a case file reads: the case, and the mass balance of its
// recalled lots.
type RecallCaseFileSource interface {
	RecallCase(ctx context.Context, id CaseID) (*RecallCase, error)
	MassBalanceSource
}

// RecallCaseFile is a case with what an auditor reads of it: the timeline with its times,
// the effectiveness, and the mass balance of each recalled lot (forward, as it is now).
type RecallCaseFile struct {
	Case          *RecallCase
	Timeline      CaseTimeline
	Effectiveness CaseEffectiveness
	Balances      []*MassBalance // one per recalled lot, in the case's order
}

// RecallCaseFileFor reads a case and puts its file together; target is the mock recall's
// time limit, now the time the file is read at.
func RecallCaseFileFor(ctx context.Context, src RecallCaseFileSource, id CaseID, bounds Bounds, rule BalanceRule, target time.Duration, now time.Time) (*RecallCaseFile, error) {
	c, err := src.RecallCase(ctx, id)
	if err != nil {
		return nil, err
	}
	f := &RecallCaseFile{Case: c, Timeline: c.Timeline(target, now), Effectiveness: c.Effectiveness()}
	for _, lot := range c.Lots {
		mb, err := MassBalanceFor(ctx, src, lot, Forward, bounds, rule)
		if err != nil {
			return nil, err
		}
		f.Balances = append(f.Balances, mb)
	}
	return f, nil
}

// UnionKDEScopes is the spreadsheet scope of several recalls at once (a case recalling more
// than one lot): every row any of them holds, once.
func UnionKDEScopes(scopes ...*KDEScope) *KDEScope {
	out := &KDEScope{}
	for _, s := range scopes {
		out.Received = mergeSorted(out.Received, s.Received)
		out.Batches = mergeSorted(out.Batches, s.Batches)
		out.Shipped = mergeSorted(out.Shipped, s.Shipped)
		out.Lots = mergeSorted(out.Lots, s.Lots)
		out.Truncated = out.Truncated || s.Truncated
		out.CutBy = out.CutBy.Worse(s.CutBy)
		out.Size += s.Size
	}
	return out
}
