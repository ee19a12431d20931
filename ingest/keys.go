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
	described map[graph.Key]graph.PartyDescription // each party as last described
}

func newKeyTracker() *keyTracker {
	return &keyTracker{described: map[graph.Key]graph.PartyDescription{}}
}

// eventKeys are what one event reads and writes.
type eventKeys struct{ reads, writes []graph.Key }

// keys lists ev's keys; events must be given in line order.
func (t *keyTracker) keys(ev graph.Event) eventKeys {
	ek := ev.Keys()
	k := eventKeys{writes: ek.Creates}
	if ek.Party != "" {
		before, seen := t.described[ek.Party]
		t.described[ek.Party] = ek.Described
		if !seen || before == ek.Described {
			k.reads = append(k.reads, ek.Party)
		} else {
			k.writes = append(k.writes, ek.Party)
		}
	}
	k.reads = append(k.reads, ek.Uses...)
	return k
}

// keySet is what a group of events (a run being stored, or the events held back) reads and
// writes.
type keySet struct{ reads, writes map[graph.Key]bool }

func newKeySet() keySet { return keySet{reads: map[graph.Key]bool{}, writes: map[graph.Key]bool{}} }

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
