package test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/lot-trace/lot-trace/api"
	"github.com/lot-trace/lot-trace/graph"
	"github.com/lot-trace/lot-trace/graph/neo4j"
	"github.com/lot-trace/lot-trace/ingest"
)

// gapStore is the real store, with a shipment recorded between the opening's traces and the
// case's creation: what a writer racing the opening does.
type gapStore struct {
	*neo4j.Store
	gap func(ctx context.Context) error
}

func (g gapStore) CreateRecallCase(ctx context.Context, c *graph.RecallCase) error {
	if g.gap != nil {
		if err := g.gap(ctx); err != nil {
			return err
		}
	}
	return g.Store.CreateRecallCase(ctx, c)
}

// TestRealCaseOpeningSeesTheGap: a shipment committed after a real case's first traces and
// before its holds is in the case all the same: the opening traces again once the holds are
// placed and keeps the settled scope as version 2. Without a gap a real case has one version.
func TestRealCaseOpeningSeesTheGap(t *testing.T) {
	t.Parallel()
	c := newAPI(t, api.Config{})
	store := sharedStore(t)
	ctx := context.Background()
	clock := func() time.Time { return time.Now() }

	calmLot := graph.LotCode(loadBakery(t, c) + "FG-2")
	calm, err := graph.OpenRecallCase(ctx, gapStore{Store: store}, graph.OpenCase{Lots: []graph.LotCode{calmLot}, Kind: graph.CaseReal, Reason: "no gap"}, "test", graph.Bounds{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	if len(calm.Scopes) != 1 {
		t.Errorf("a real case opened without a gap has %d scope versions, want 1", len(calm.Scopes))
	}

	tg := loadBakery(t, c) // a bakery of its own: the first case holds the other one's lots
	lot := graph.LotCode(tg + "FG-2")
	line := tg + "SH-GAP"
	gap := func(ctx context.Context) error {
		ev, err := ingest.DecodeShipment([]byte(shipmentOf(line, tg+"CUST-GAP", tg+"FG-1", 1, "case")))
		if err != nil {
			return err
		}
		_, err = store.RecordEvents(ctx, []graph.Event{ev})
		return err
	}
	// FG-1 is FG-2's sibling (batch B-1 made both), so its shipment is in FG-2's recall.
	rc, err := graph.OpenRecallCase(ctx, gapStore{Store: store, gap: gap}, graph.OpenCase{Lots: []graph.LotCode{lot}, Kind: graph.CaseReal, Reason: "gap"}, "test", graph.Bounds{}, clock)
	if err != nil {
		t.Fatal(err)
	}
	shipped := func(s graph.CaseScope) bool {
		return slices.ContainsFunc(s.Shipments(), func(l graph.ShipmentLine) bool { return string(l.ID) == line })
	}
	if len(rc.Scopes) != 2 || shipped(rc.Scopes[0]) || !shipped(rc.Scopes[1]) {
		t.Errorf("the case has %d versions; want 2, the second with the shipment made in the gap", len(rc.Scopes))
	}
	if !slices.ContainsFunc(rc.Scopes[len(rc.Scopes)-1].Customers, func(cu graph.ScopeCustomer) bool { return string(cu.Customer.ID) == tg+"CUST-GAP" }) {
		t.Errorf("the settled scope lacks the gap's customer")
	}
}
