package graph

import "fmt"

// storedLot is what planning needs to know about a lot already in the database.
type storedLot struct {
	Unit    string
	Origin  EventKind // KindReceipt or KindProduction
	BatchID BatchID   // the producing batch, for produced lots
	Hash    string    // the fingerprint of the event that created the lot
}

// stored is the part of the database that a run of events touches: every lot, batch and
// shipment they name, as found before the run.
type stored struct {
	lots      map[LotCode]storedLot
	batches   map[BatchID]string    // fingerprint by batch id
	shipments map[ShipmentID]string // fingerprint by shipment id
}

// writeSet is what a run of events will create.
type writeSet struct {
	receipts    []*Receipt
	productions []*Production
	shipments   []*Shipment
}

func (w writeSet) empty() bool {
	return len(w.receipts)+len(w.productions)+len(w.shipments) == 0
}

// plan decides, in order, what each event does against what is stored and what the events
// before it will create: so a production may consume a lot received earlier in the same run,
// a resend is "unchanged", and a bad event is refused without touching its neighbours.
// It is pure: the store runs it inside the write transaction, after looking up `have`.
func plan(events []Event, have stored) ([]Outcome, writeSet) {
	outcomes := make([]Outcome, len(events))
	var w writeSet
	for i, ev := range events {
		var created bool
		var err error
		switch e := ev.(type) {
		case *Receipt:
			created, err = planReceipt(e, &have)
			if created {
				w.receipts = append(w.receipts, e)
			}
		case *Production:
			created, err = planProduction(e, &have)
			if created {
				w.productions = append(w.productions, e)
			}
		case *Shipment:
			created, err = planShipment(e, &have)
			if created {
				w.shipments = append(w.shipments, e)
			}
		default:
			err = Errorf(EINTERNAL, "unknown event type %T", ev)
		}
		outcomes[i] = Outcome{Created: created, Err: err}
	}
	return outcomes, w
}

func planReceipt(r *Receipt, have *stored) (bool, error) {
	hash := r.Fingerprint()
	if lot, ok := have.lots[r.Lot.Code]; ok {
		if lot.Origin == KindReceipt && lot.Hash == hash {
			return false, nil
		}
		return false, &Error{Code: ECONFLICT, Message: "the lot is already recorded with other content",
			Fields: []FieldError{{Field: "lot.code", Message: lotExists(r.Lot.Code, lot)}}}
	}
	have.lots[r.Lot.Code] = storedLot{Unit: r.Lot.Quantity.Unit, Origin: KindReceipt, Hash: hash}
	return true, nil
}

func planProduction(p *Production, have *stored) (bool, error) {
	hash := p.Fingerprint()
	if h, ok := have.batches[p.Batch.ID]; ok {
		if h == hash {
			return false, nil
		}
		return false, &Error{Code: ECONFLICT, Message: "the batch is already recorded with other content",
			Fields: []FieldError{{Field: "batch.id", Message: fmt.Sprintf("batch %s was recorded before with different inputs, outputs or details", p.Batch.ID)}}}
	}
	var invalid, conflicts []FieldError
	for i, in := range p.Inputs {
		invalid = append(invalid, checkLotLine(have, fmt.Sprintf("inputs[%d]", i), in)...)
	}
	for i, out := range p.Outputs {
		if lot, ok := have.lots[out.Code]; ok {
			conflicts = append(conflicts, FieldError{Field: fmt.Sprintf("outputs[%d].code", i), Message: lotExists(out.Code, lot)})
		}
	}
	if len(invalid) > 0 {
		return false, Invalid("the production names lots it cannot use", invalid...)
	}
	if len(conflicts) > 0 {
		return false, &Error{Code: ECONFLICT, Message: "an output lot already exists", Fields: conflicts}
	}
	have.batches[p.Batch.ID] = hash
	for _, out := range p.Outputs {
		have.lots[out.Code] = storedLot{Unit: out.Quantity.Unit, Origin: KindProduction, BatchID: p.Batch.ID, Hash: hash}
	}
	return true, nil
}

func planShipment(s *Shipment, have *stored) (bool, error) {
	hash := s.Fingerprint()
	if h, ok := have.shipments[s.ID]; ok {
		if h == hash {
			return false, nil
		}
		return false, &Error{Code: ECONFLICT, Message: "the shipment is already recorded with other content",
			Fields: []FieldError{{Field: "id", Message: fmt.Sprintf("shipment %s was recorded before with different lines or details", s.ID)}}}
	}
	var invalid []FieldError
	for i, line := range s.Lines {
		invalid = append(invalid, checkLotLine(have, fmt.Sprintf("lines[%d]", i), line)...)
	}
	if len(invalid) > 0 {
		return false, Invalid("the shipment names lots it cannot ship", invalid...)
	}
	have.shipments[s.ID] = hash
	return true, nil
}

// checkLotLine checks that a consumed or shipped lot exists and is counted in its own unit.
func checkLotLine(have *stored, field string, line LotQuantity) []FieldError {
	lot, ok := have.lots[line.Lot]
	if !ok {
		return []FieldError{{Field: field + ".lot", Message: fmt.Sprintf("unknown lot %s: record its receipt or production first", line.Lot)}}
	}
	if lot.Unit != line.Quantity.Unit {
		return []FieldError{{Field: field + ".unit", Message: fmt.Sprintf("unit %q differs from lot %s's unit %q (units are not converted yet)", line.Quantity.Unit, line.Lot, lot.Unit)}}
	}
	return nil
}

func lotExists(code LotCode, lot storedLot) string {
	if lot.Origin == KindProduction {
		return fmt.Sprintf("lot %s already exists, produced by batch %s", code, lot.BatchID)
	}
	return fmt.Sprintf("lot %s already exists, received from a supplier with other details", code)
}

// names lists every lot, batch and shipment the events mention, for the lookup before planning.
func names(events []Event) (lots []string, batches []string, shipments []string) {
	seen := map[LotCode]bool{}
	addLot := func(c LotCode) {
		if !seen[c] {
			seen[c] = true
			lots = append(lots, string(c))
		}
	}
	for _, ev := range events {
		switch e := ev.(type) {
		case *Receipt:
			addLot(e.Lot.Code)
		case *Production:
			batches = append(batches, string(e.Batch.ID))
			for _, in := range e.Inputs {
				addLot(in.Lot)
			}
			for _, out := range e.Outputs {
				addLot(out.Code)
			}
		case *Shipment:
			shipments = append(shipments, string(e.ID))
			for _, l := range e.Lines {
				addLot(l.Lot)
			}
		}
	}
	return lots, batches, shipments
}
