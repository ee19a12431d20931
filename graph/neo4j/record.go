package neo4j

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"

	driver "github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/lot-trace/lot-trace/cypher"
	"github.com/lot-trace/lot-trace/graph"
)

// RecordEvents records a run of events in one transaction and says what happened to each:
// created, already present, or refused (conflict or invalid) without affecting the others.
// Events are applied in order, so a production may consume a lot received earlier in the run.
// The error is for the run as a whole (the database is unavailable); then nothing is stored.
func (s *Store) RecordEvents(ctx context.Context, events []graph.Event) ([]graph.Outcome, error) {
	if len(events) == 0 {
		return nil, nil
	}
	lookup, hashes := lookupKeys(events), fingerprints(events)
	work := func(t txn) ([]graph.Outcome, error) {
		have, err := lookupExisting(ctx, t, lookup)
		if err != nil {
			return nil, err
		}
		outcomes, w := plan(events, hashes, have)
		if w.empty() {
			return outcomes, nil
		}
		return outcomes, writeEvents(ctx, t, w)
	}
	// A concurrent writer may create the same lot, batch or shipment line between our lookup
	// and our write; the uniqueness constraints (lot code, batch id, shipment id and line)
	// then refuse our transaction, which Neo4j makes wait until the other commits, and
	// planning again sees its data. That, not the lookup, is what makes each event
	// exactly-once under any concurrency.
	// Runs stored at once may deadlock on lots both use (ingest.Loader stores two at a time);
	// Neo4j refuses one, and the driver's own retries can run out of time on a large run.
	op := fmt.Sprintf("graph.RecordEvents (%d events)", len(events))
	for attempt := 1; ; attempt++ {
		outcomes, err := writeTx(ctx, s, op, work)
		if attempt == recordAttempts || (!isNeo4jCode(err, "Neo.ClientError.Schema.ConstraintValidationFailed") && !isDeadlock(err) &&
			!errors.Is(err, errHeldSincePlanned)) {
			return outcomes, err
		}
	}
}

// errHeldSincePlanned says a recall hold was placed on a lot the run uses after the run
// looked it up: planning again sees the hold and refuses the lines that use it.
var errHeldSincePlanned = errors.New("a lot the run uses was put on hold while it was planned")

// recordAttempts bounds the tries of a run refused by a constraint or a deadlock.
const recordAttempts = 10

// isDeadlock reports a transaction Neo4j refused to break a deadlock, also when the driver
// gave up retrying it.
func isDeadlock(err error) bool {
	const deadlock = "Neo.TransientError.Transaction.DeadlockDetected"
	var limit *driver.TransactionExecutionLimit
	if errors.As(err, &limit) && len(limit.Errors) > 0 {
		err = limit.Errors[len(limit.Errors)-1]
	}
	return isNeo4jCode(err, deadlock)
}

// RecordEvent records one event: created true the first time, false when it was already there.
func (s *Store) RecordEvent(ctx context.Context, ev graph.Event) (created bool, err error) {
	outcomes, err := s.RecordEvents(ctx, []graph.Event{ev})
	if err != nil {
		return false, err
	}
	return outcomes[0].Created, outcomes[0].Err
}

// lookupExisting reads what is stored of everything the run names (lookup_existing).
func lookupExisting(ctx context.Context, t txn, k lookup) (stored, error) {
	have, found, err := single(ctx, t, cypher.LookupExisting, map[string]any{
		"lots": orEmpty(k.lots), "batches": orEmpty(k.batches), "shipments": orEmpty(k.shipments),
		"suppliers": orEmpty(k.suppliers), "customers": orEmpty(k.customers),
	}, storedOf)
	if err == nil && !found {
		err = fmt.Errorf("%s: no row", cypher.LookupExisting.Name)
	}
	return have, err
}

// storedOf reads lookup_existing's row.
func storedOf(r *row) stored {
	have := newStored()
	for _, m := range r.Maps("lots") {
		have.lots[graph.LotCode(str(m["code"]))] = storedLot{
			Unit: str(m["unit"]), Origin: graph.EventKind(str(m["origin"])),
			BatchID: graph.BatchID(str(m["batch_id"])), Hash: str(m["fingerprint"]), HeldBy: strs(m["held_by"]),
		}
	}
	for _, m := range r.Maps("batches") {
		have.batches[graph.BatchID(str(m["id"]))] = str(m["fingerprint"])
	}
	for _, m := range r.Maps("shipments") {
		have.shipments[graph.ShipmentID(str(m["id"]))] = str(m["fingerprint"])
	}
	for col, kind := range map[string]string{"suppliers": graph.KeySupplier, "customers": graph.KeyCustomer} {
		for _, m := range r.Maps(col) {
			have.parties[partyKey{kind: kind, id: str(m["id"])}] = graph.PartyDescription{
				Name: str(m["name"]), Location: str(m["location"]), Contact: str(m["contact"])}
		}
	}
	return have
}

// writeEvents runs the record statements in dependency order: suppliers, customers, lots and
// batches first, then the relationships that join them. Each statement's counters are checked, so a lot that
// planning believed to exist but did not is an error that rolls the transaction back.
func writeEvents(ctx context.Context, t txn, w writeSet) error {
	p := writeParams(w)
	steps := []struct {
		st       cypher.Statement
		param    string
		rows     []map[string]any
		wantRels int
	}{
		{cypher.RecordSuppliers, "suppliers", p.suppliers, 0},
		{cypher.RecordCustomers, "customers", p.customers, 0},
		{cypher.RecordReceipts, "receipts", p.receipts, len(p.receipts)},
		{cypher.RecordProductions, "productions", p.productions, p.outputs},
		{cypher.RecordConsumptions, "consumptions", p.consumptions, len(p.consumptions)},
		{cypher.RecordShipments, "lines", p.lines, len(p.lines)},
	}
	for _, step := range steps {
		if len(step.rows) == 0 {
			continue
		}
		summary, err := consume(ctx, t, step.st, map[string]any{step.param: step.rows})
		if err != nil {
			return err
		}
		if got := summary.Counters().RelationshipsCreated(); got != step.wantRels {
			return fmt.Errorf("%s created %d relationships, want %d", step.st.Name, got, step.wantRels)
		}
	}
	return checkNoHolds(ctx, t, p)
}

// checkNoHolds takes the write locks of the lots the run consumed or shipped and looks for a
// recall hold on any of them (held_lots): planning saw none, so one placed since is
// errHeldSincePlanned, and the run is planned again. Placing a hold takes the same lock
// (recall_holds_place), so a hold either committed before this point, and is seen here, or
// waits until the run has committed: no race ships held stock.
func checkNoHolds(ctx context.Context, t txn, p recordParams) error {
	used := map[string]bool{}
	for _, rows := range [][]map[string]any{p.consumptions, p.lines} {
		for _, r := range rows {
			used[str(r["lot"])] = true
		}
	}
	if len(used) == 0 {
		return nil
	}
	held, err := collect(ctx, t, cypher.HeldLots, map[string]any{"lots": slices.Sorted(maps.Keys(used))}, func(r *row) string { return r.Str("lot") })
	if err != nil {
		return err
	}
	if len(held) > 0 {
		return fmt.Errorf("%w: %v", errHeldSincePlanned, held)
	}
	return nil
}

// recordParams are the parameter rows of the record statements.
type recordParams struct {
	suppliers, customers, receipts, productions, consumptions, lines []map[string]any
	outputs                                                          int // lots the productions create
}

// writeParams flattens a write set into statement rows.
func writeParams(w writeSet) recordParams {
	var p recordParams
	for _, party := range w.parties {
		row := map[string]any{"id": party.id, "name": optional(party.Name), "location": optional(party.Location)}
		if party.kind == graph.KeySupplier {
			p.suppliers = append(p.suppliers, row)
		} else {
			row["contact"] = optional(party.Contact)
			p.customers = append(p.customers, row)
		}
	}
	for _, r := range w.receipts {
		p.receipts = append(p.receipts, map[string]any{
			"code": string(r.Lot.Code), "product": r.Lot.Product, "description": optional(r.Lot.Description),
			"quantity": r.Lot.Quantity.Amount, "unit": r.Lot.Quantity.Unit,
			"supplier_lot": optional(r.Lot.SupplierLot), "expires_at": date(r.Lot.ExpiresAt),
			"received_at": r.ReceivedAt, "location": r.Location, "tlc_source": r.EffectiveTLCSource(),
			"supplier_id": string(r.Supplier.ID), "supplier_name": optional(r.Supplier.Name), "supplier_location": r.Supplier.Location,
			"ref_type": r.Reference.Type, "ref_number": r.Reference.Number, "fingerprint": w.fingerprints[r],
		})
	}
	for _, pr := range w.productions {
		outs := make([]map[string]any, 0, len(pr.Outputs))
		for i, o := range pr.Outputs {
			outs = append(outs, map[string]any{
				"code": string(o.Code), "product": o.Product, "description": optional(o.Description),
				"quantity": o.Quantity.Amount, "unit": o.Quantity.Unit, "expires_at": date(o.ExpiresAt), "line": i + 1,
			})
		}
		p.outputs += len(outs)
		p.productions = append(p.productions, map[string]any{
			"id": string(pr.Batch.ID), "line": optional(pr.Batch.Line), "produced_at": pr.ProducedAt,
			"location": pr.Location, "tlc_source": pr.EffectiveTLCSource(),
			"ref_type": pr.Reference.Type, "ref_number": pr.Reference.Number, "fingerprint": w.fingerprints[pr],
			"outputs": outs,
		})
		for i, in := range pr.Inputs {
			p.consumptions = append(p.consumptions, map[string]any{
				"batch": string(pr.Batch.ID), "lot": string(in.Lot), "line": i + 1,
				"quantity": in.Quantity.Amount, "unit": in.Quantity.Unit,
			})
		}
	}
	for _, s := range w.shipments {
		hash := w.fingerprints[s]
		for i, l := range s.Lines {
			p.lines = append(p.lines, map[string]any{
				"shipment_id": string(s.ID), "line": i + 1, "lot": string(l.Lot),
				"quantity": l.Quantity.Amount, "unit": l.Quantity.Unit, "shipped_at": s.ShippedAt, "from": s.From,
				"customer_id": string(s.Customer.ID), "customer_name": optional(s.Customer.Name),
				"customer_location": s.Customer.Location,
				"ref_type":          s.Reference.Type, "ref_number": s.Reference.Number, "fingerprint": hash,
			})
		}
	}
	// Every run locks the lots it consumes or ships; in one order, two runs stored at once
	// rarely deadlock.
	sort.SliceStable(p.consumptions, func(i, j int) bool { return str(p.consumptions[i]["lot"]) < str(p.consumptions[j]["lot"]) })
	sort.SliceStable(p.lines, func(i, j int) bool { return str(p.lines[i]["lot"]) < str(p.lines[j]["lot"]) })
	return p
}

// optional stores an empty optional string as an absent property rather than "".
func optional(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// date stores a validated calendar date as a Neo4j DATE, or nothing.
func date(s string) any {
	if s == "" {
		return nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return nil
	}
	return driver.DateOf(t)
}

func orEmpty(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
