package neo4j

import (
	"fmt"
	"sort"
	"strings"

	"github.com/lot-trace/lot-trace/graph"
)

// storedLot is what planning needs to know about a lot already in the database.
type storedLot struct {
	Unit    string
	Origin  graph.EventKind // KindReceipt or KindProduction
	BatchID graph.BatchID   // the producing batch, for produced lots
	Hash    string          // the fingerprint of the event that created the lot
	HeldBy  []string        // the recall cases holding the lot (enforced holds): it may not be used
}

// stored is the part of the database that a run of events touches: every lot, batch,
// shipment, supplier and customer they name, as found before the run.
type stored struct {
	lots      map[graph.LotCode]storedLot
	batches   map[graph.BatchID]string    // fingerprint by batch id
	shipments map[graph.ShipmentID]string // fingerprint by shipment id
	parties   map[partyKey]graph.PartyDescription
	// refs are the element ids of the stored lots, batches, suppliers and customers, by key:
	// the record statements find them by these, in the same transaction.
	refs map[graph.Key]string
}

// partyKey names a supplier (kind graph.KeySupplier) or a customer (graph.KeyCustomer).
type partyKey struct{ kind, id string }

// party is a supplier or customer as it is to be stored.
type party struct {
	partyKey
	graph.PartyDescription
}

func newStored() stored {
	return stored{lots: map[graph.LotCode]storedLot{}, batches: map[graph.BatchID]string{}, shipments: map[graph.ShipmentID]string{},
		parties: map[partyKey]graph.PartyDescription{}, refs: map[graph.Key]string{}}
}

// writeSet is what a run of events will create, with each event's fingerprint, and the
// suppliers and customers whose stored description is new or changes (each once, as the last
// event leaves it), by kind and id.
type writeSet struct {
	receipts     []*graph.Receipt
	productions  []*graph.Production
	shipments    []*graph.Shipment
	fingerprints map[graph.Event]string
	parties      []party
}

func (w writeSet) empty() bool {
	return len(w.receipts)+len(w.productions)+len(w.shipments) == 0
}

// plan decides, in order, what each event does against what is stored and what the events
// before it will create: so a production may consume a lot received earlier in the same run,
// a resend is "unchanged", and a bad event is refused without touching its neighbours.
// It is pure: the store runs it inside the write transaction, after looking up `have`.
// hashes are the events' fingerprints, computed once by the caller, since a run may be
// planned again when its transaction is retried.
func plan(events []graph.Event, hashes []string, have stored) ([]graph.Outcome, writeSet) {
	outcomes := make([]graph.Outcome, len(events))
	w := writeSet{fingerprints: map[graph.Event]string{}}
	changed := map[partyKey]bool{}
	for i, ev := range events {
		var created bool
		var err error
		hash := hashes[i]
		switch e := ev.(type) {
		case *graph.Receipt:
			if created, err = planReceipt(e, hash, &have); created {
				w.receipts = append(w.receipts, e)
			}
		case *graph.Production:
			if created, err = planProduction(e, hash, &have); created {
				w.productions = append(w.productions, e)
			}
		case *graph.Shipment:
			if created, err = planShipment(e, hash, &have); created {
				w.shipments = append(w.shipments, e)
			}
		default:
			err = graph.Errorf(graph.EINTERNAL, "unknown event type %T", ev)
		}
		if created {
			w.fingerprints[ev] = hash
			if k := ev.Keys(); k.Party != "" {
				p := partyKey{kind: k.Party.Kind(), id: k.Party.ID()}
				if have.describe(p, k.Described) {
					changed[p] = true
				}
			}
		}
		outcomes[i] = graph.Outcome{Created: created, Err: err}
	}
	// Rewriting an unchanged supplier or customer would cost a write and a lock per run for
	// nothing: a bulk load names the same few hundred customers in every run.
	for p := range changed {
		w.parties = append(w.parties, party{partyKey: p, PartyDescription: have.parties[p]})
	}
	sort.Slice(w.parties, func(i, j int) bool {
		a, b := w.parties[i].partyKey, w.parties[j].partyKey
		return a.kind < b.kind || (a.kind == b.kind && a.id < b.id)
	})
	return outcomes, w
}

// describe applies an event's description of a supplier or customer to what is known of it
// (a field the event leaves out keeps the known value) and says whether that is new or a change.
func (have *stored) describe(p partyKey, given graph.PartyDescription) bool {
	known, ok := have.parties[p]
	if !ok {
		have.parties[p] = given
		return true
	}
	merged := graph.PartyDescription{Name: or(given.Name, known.Name), Location: or(given.Location, known.Location),
		Contact: or(given.Contact, known.Contact)}
	have.parties[p] = merged
	return merged != known
}

// or is s, or else fallback when s is empty.
func or(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

func planReceipt(r *graph.Receipt, hash string, have *stored) (bool, error) {
	if lot, ok := have.lots[r.Lot.Code]; ok {
		if lot.Origin == graph.KindReceipt && lot.Hash == hash {
			return false, nil
		}
		return false, &graph.Error{Code: graph.ECONFLICT, Message: "the lot is already recorded with other content",
			Fields: []graph.FieldError{{Field: "lot.code", Message: lotExists(r.Lot.Code, lot)}}}
	}
	have.lots[r.Lot.Code] = storedLot{Unit: r.Lot.Quantity.Unit, Origin: graph.KindReceipt, Hash: hash}
	return true, nil
}

func planProduction(p *graph.Production, hash string, have *stored) (bool, error) {
	if h, ok := have.batches[p.Batch.ID]; ok {
		if h == hash {
			return false, nil
		}
		return false, &graph.Error{Code: graph.ECONFLICT, Message: "the batch is already recorded with other content",
			Fields: []graph.FieldError{{Field: "batch.id", Message: fmt.Sprintf("batch %s was recorded before with different inputs, outputs or details", p.Batch.ID)}}}
	}
	var invalid, conflicts []graph.FieldError
	for i, in := range p.Inputs {
		invalid = append(invalid, checkLotLine(have, fmt.Sprintf("inputs[%d]", i), in)...)
	}
	for i, out := range p.Outputs {
		if lot, ok := have.lots[out.Code]; ok {
			conflicts = append(conflicts, graph.FieldError{Field: fmt.Sprintf("outputs[%d].code", i), Message: lotExists(out.Code, lot)})
		}
	}
	if len(invalid) > 0 {
		return false, graph.Invalid("the production names lots it cannot use", invalid...)
	}
	if err := checkHolds(have, "inputs", p.Inputs, "consumed"); err != nil {
		return false, err
	}
	if len(conflicts) > 0 {
		return false, &graph.Error{Code: graph.ECONFLICT, Message: "an output lot already exists", Fields: conflicts}
	}
	have.batches[p.Batch.ID] = hash
	for _, out := range p.Outputs {
		have.lots[out.Code] = storedLot{Unit: out.Quantity.Unit, Origin: graph.KindProduction, BatchID: p.Batch.ID, Hash: hash}
	}
	return true, nil
}

func planShipment(s *graph.Shipment, hash string, have *stored) (bool, error) {
	if h, ok := have.shipments[s.ID]; ok {
		if h == hash {
			return false, nil
		}
		return false, &graph.Error{Code: graph.ECONFLICT, Message: "the shipment is already recorded with other content",
			Fields: []graph.FieldError{{Field: "id", Message: fmt.Sprintf("shipment %s was recorded before with different lines or details", s.ID)}}}
	}
	var invalid []graph.FieldError
	for i, line := range s.Lines {
		invalid = append(invalid, checkLotLine(have, fmt.Sprintf("lines[%d]", i), line)...)
	}
	if len(invalid) > 0 {
		return false, graph.Invalid("the shipment names lots it cannot ship", invalid...)
	}
	if err := checkHolds(have, "lines", s.Lines, "shipped"); err != nil {
		return false, err
	}
	have.shipments[s.ID] = hash
	return true, nil
}

// checkLotLine checks that a consumed or shipped lot exists and is counted in its own unit.
func checkLotLine(have *stored, field string, line graph.LotQuantity) []graph.FieldError {
	lot, ok := have.lots[line.Lot]
	if !ok {
		return []graph.FieldError{{Field: field + ".lot", Message: fmt.Sprintf("unknown lot %s: record its receipt or production first", line.Lot)}}
	}
	if lot.Unit != line.Quantity.Unit {
		return []graph.FieldError{{Field: field + ".unit", Message: fmt.Sprintf("unit %q differs from lot %s's unit %q (units are not converted yet)", line.Quantity.Unit, line.Lot, lot.Unit)}}
	}
	return nil
}

// checkHolds refuses lines that use a lot on a recall hold (a real recall case's): a conflict
// naming each such lot and the cases holding it. The store checks again under the lots' locks
// (held_lots), so no hold placed meanwhile is missed.
func checkHolds(have *stored, list string, lines []graph.LotQuantity, used string) error {
	var held []graph.FieldError
	for i, line := range lines {
		if cases := have.lots[line.Lot].HeldBy; len(cases) > 0 {
			held = append(held, graph.FieldError{Field: fmt.Sprintf("%s[%d].lot", list, i),
				Message: fmt.Sprintf("lot %s is on hold by recall case %s", line.Lot, strings.Join(cases, ", "))})
		}
	}
	if len(held) == 0 {
		return nil
	}
	return &graph.Error{Code: graph.ECONFLICT, Fields: held,
		Message: held[0].Message + fmt.Sprintf(": it cannot be %s until an admin releases the hold", used)}
}

func lotExists(code graph.LotCode, lot storedLot) string {
	if lot.Origin == graph.KindProduction {
		return fmt.Sprintf("lot %s already exists, produced by batch %s", code, lot.BatchID)
	}
	return fmt.Sprintf("lot %s already exists, received from a supplier with other details", code)
}

// fingerprints are the events' fingerprints, in order.
func fingerprints(events []graph.Event) []string {
	hashes := make([]string, len(events))
	for i, ev := range events {
		hashes[i] = ev.Fingerprint()
	}
	return hashes
}

// lookup is every lot, batch, shipment, supplier and customer a run of events names, by id,
// for the lookup before planning.
type lookup struct {
	lots, batches, shipments, suppliers, customers []string
}

// lookupKeys lists what the events name, each once, from their Keys.
func lookupKeys(events []graph.Event) lookup {
	var k lookup
	lists := map[string]*[]string{graph.KeyLot: &k.lots, graph.KeyBatch: &k.batches, graph.KeyShipment: &k.shipments,
		graph.KeySupplier: &k.suppliers, graph.KeyCustomer: &k.customers}
	seen := map[graph.Key]bool{}
	add := func(key graph.Key) {
		if !seen[key] {
			seen[key] = true
			*lists[key.Kind()] = append(*lists[key.Kind()], key.ID())
		}
	}
	for _, ev := range events {
		ek := ev.Keys()
		// The lots an event uses before those it creates: a production's inputs are looked up
		// first, as they always were.
		for _, key := range ek.Uses {
			add(key)
		}
		for _, key := range ek.Creates {
			add(key)
		}
		if ek.Party != "" {
			add(ek.Party)
		}
	}
	return k
}
