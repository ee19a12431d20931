package ingest

import (
	"slices"
	"testing"

	"github.com/lot-trace/lot-trace/graph"
)

// TestKeysOfPartyDescriptions: naming a customer as last described is a read, so runs naming
// it at once do not wait for each other; a different description is a write, which waits for
// (and is waited for by) every run naming that customer.
func TestKeysOfPartyDescriptions(t *testing.T) {
	ship := func(id, location string) *graph.Shipment {
		return &graph.Shipment{ID: graph.ShipmentID(id), Customer: graph.Customer{ID: "CUST", Location: location}}
	}
	tr := newKeyTracker()
	steps := []struct {
		ev        *graph.Shipment
		wantWrite bool
	}{
		{ship("SH-1", "Main St"), false}, // first named
		{ship("SH-2", "Main St"), false}, // as before
		{ship("SH-3", "Side St"), true},  // moved
		{ship("SH-4", "Side St"), false},
		{ship("SH-5", "Main St"), true}, // moved back
	}
	var keys []eventKeys
	for _, s := range steps {
		k := tr.keys(s.ev)
		keys = append(keys, k)
		if got := slices.Contains(k.writes, "customer:CUST"); got != s.wantWrite {
			t.Errorf("%s: customer written %v, want %v (keys %+v)", s.ev.ID, got, s.wantWrite, k)
		}
	}
	inFlight := func(ks ...eventKeys) keySet {
		set := newKeySet()
		for _, k := range ks {
			set.add(k)
		}
		return set
	}
	if inFlight(keys[0]).conflicts(keys[1]) {
		t.Error("two runs naming the customer alike wait for each other")
	}
	if !inFlight(keys[1]).conflicts(keys[2]) || !inFlight(keys[2]).conflicts(keys[3]) {
		t.Error("a new description does not wait for, or is not waited for by, runs naming the customer")
	}
}
