package ingest

import (
	"maps"

	"github.com/lot-trace/lot-trace/graph"
)

// keyTracker names what each event reads and writes that other events may too, so that runs
// stored at once never depend on each other: an event that writes what a run still being
// stored reads or writes, or reads what it writes, waits for it. Reading the same thing is
// no dependency: every batch may consume the salt lot at once.
//
// An event writes the lots it creates and its batch or shipment id, and reads the lots it
// consumes or ships. A supplier or customer it names is read when described as the last
// event before it described it (or first named): runs stored at once then write the same
// description, whichever commits last. A different description is a write, so it lands after
// every run that names the party before it, and before every run that names it after.
type keyTracker struct {
	suppliers map[graph.SupplierID]graph.Supplier
	customers map[graph.CustomerID]graph.Customer
}

func newKeyTracker() *keyTracker {
	return &keyTracker{suppliers: map[graph.SupplierID]graph.Supplier{}, customers: map[graph.CustomerID]graph.Customer{}}
}

// eventKeys are what one event reads and writes, each key prefixed by its kind.
type eventKeys struct{ reads, writes []string }

// keys lists ev's keys; events must be given in line order.
func (t *keyTracker) keys(ev graph.Event) eventKeys {
	var k eventKeys
	switch e := ev.(type) {
	case *graph.Receipt:
		k.writes = append(k.writes, "lot:"+string(e.Lot.Code))
		k.add(party(t.suppliers, e.Supplier.ID, e.Supplier, "supplier:"+string(e.Supplier.ID)))
	case *graph.Production:
		k.writes = append(k.writes, "batch:"+string(e.Batch.ID))
		for _, out := range e.Outputs {
			k.writes = append(k.writes, "lot:"+string(out.Code))
		}
		for _, in := range e.Inputs {
			k.reads = append(k.reads, "lot:"+string(in.Lot))
		}
	case *graph.Shipment:
		k.writes = append(k.writes, "shipment:"+string(e.ID))
		k.add(party(t.customers, e.Customer.ID, e.Customer, "customer:"+string(e.Customer.ID)))
		for _, line := range e.Lines {
			k.reads = append(k.reads, "lot:"+string(line.Lot))
		}
	}
	return k
}

// party keys a supplier or customer an event describes: a read when the description is the
// one last given (or the first), a write when it differs.
func party[K comparable, V comparable](last map[K]V, id K, given V, key string) (read bool, k string) {
	before, seen := last[id]
	last[id] = given
	return !seen || before == given, key
}

func (k *eventKeys) add(read bool, key string) {
	if read {
		k.reads = append(k.reads, key)
	} else {
		k.writes = append(k.writes, key)
	}
}

// keySet is what a group of events (a run being stored, or the events held back) reads and
// writes.
type keySet struct{ reads, writes map[string]bool }

func newKeySet() keySet { return keySet{reads: map[string]bool{}, writes: map[string]bool{}} }

func (s keySet) add(k eventKeys) {
	for _, r := range k.reads {
		s.reads[r] = true
	}
	for _, w := range k.writes {
		s.writes[w] = true
	}
}

func (s keySet) addSet(other keySet) {
	maps.Copy(s.reads, other.reads)
	maps.Copy(s.writes, other.writes)
}

// conflicts reports whether an event with keys k depends on the group: it reads what the
// group writes, or writes what the group reads or writes.
func (s keySet) conflicts(k eventKeys) bool {
	for _, r := range k.reads {
		if s.writes[r] {
			return true
		}
	}
	for _, w := range k.writes {
		if s.writes[w] || s.reads[w] {
			return true
		}
	}
	return false
}
