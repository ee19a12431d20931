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
		return outcomes, writeEvents(ctx, t, w, have.refs)
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
		have.refs[keyOf(graph.KeyLot, str(m["code"]))] = str(m["ref"])
		have.lots[graph.LotCode(str(m["code"]))] = storedLot{
			Unit: str(m["unit"]), Origin: graph.EventKind(str(m["origin"])),
			BatchID: graph.BatchID(str(m["batch_id"])), Hash: str(m["fingerprint"]), HeldBy: strs(m["held_by"]),
		}
	}
	for _, m := range r.Maps("batches") {
		have.refs[keyOf(graph.KeyBatch, str(m["id"]))] = str(m["ref"])
		have.batches[graph.BatchID(str(m["id"]))] = str(m["fingerprint"])
	}
	for _, m := range r.Maps("shipments") {
		have.shipments[graph.ShipmentID(str(m["id"]))] = str(m["fingerprint"])
	}
	for col, kind := range map[string]string{"suppliers": graph.KeySupplier, "customers": graph.KeyCustomer} {
		for _, m := range r.Maps(col) {
			have.refs[keyOf(kind, str(m["id"]))] = str(m["ref"])
			have.parties[partyKey{kind: kind, id: str(m["id"])}] = graph.PartyDescription{
				Name: str(m["name"]), Location: str(m["location"]), Contact: str(m["contact"])}
		}
	}
	return have
}

// writeEvents runs the record statements in dependency order: suppliers, customers, lots and
// batches first, then the relationships that join them. The statements find the nodes they
// join by element id (refs: what lookup_existing found, and what each statement answers it
// created), never by a seek of a constraint's index, which costs a lock and a fresh index
// reader per row in a writing statement. Each statement's rows or counters are checked, so a
// node that planning believed to exist but did not is an error that rolls the transaction back.
func writeEvents(ctx context.Context, t txn, w writeSet, refs map[graph.Key]string) error {
	p := writeParams(w)
	for _, parties := range []struct {
		st   cypher.Statement
		rows []map[string]any
		kind string
	}{{cypher.RecordSuppliers, p.suppliers, graph.KeySupplier}, {cypher.RecordCustomers, p.customers, graph.KeyCustomer}} {
		if err := recordNodes(ctx, t, parties.st, map[string]any{parties.kind + "s": parties.rows}, len(parties.rows), func(r *row) {
			refs[keyOf(parties.kind, r.Str("id"))] = r.Str("ref")
		}); err != nil {
			return err
		}
	}
	withRefs(p.receipts, refs, "supplier_ref", "supplier_id", graph.KeySupplier)
	if err := recordNodes(ctx, t, cypher.RecordReceipts, map[string]any{"receipts": p.receipts}, len(p.receipts), func(r *row) {
		refs[keyOf(graph.KeyLot, r.Str("code"))] = r.Str("ref")
	}); err != nil {
		return err
	}
	outputs := 0
	if err := recordNodes(ctx, t, cypher.RecordProductions, map[string]any{"productions": p.productions}, len(p.productions), func(r *row) {
		refs[keyOf(graph.KeyBatch, r.Str("id"))] = r.Str("ref")
		for _, lot := range r.Maps("lots") {
			refs[keyOf(graph.KeyLot, str(lot["code"]))] = str(lot["ref"])
			outputs++
		}
	}); err != nil {
		return err
	}
	if outputs != p.outputs {
		return fmt.Errorf("%s created %d lots, want %d", cypher.RecordProductions.Name, outputs, p.outputs)
	}
	withRefs(p.consumptions, refs, "lot_ref", "lot", graph.KeyLot)
	withRefs(p.consumptions, refs, "batch_ref", "batch", graph.KeyBatch)
	withRefs(p.lines, refs, "lot_ref", "lot", graph.KeyLot)
	withRefs(p.lines, refs, "customer_ref", "customer_id", graph.KeyCustomer)
	for _, step := range []struct {
		st    cypher.Statement
		param string
		rows  []map[string]any
	}{{cypher.RecordConsumptions, "consumptions", p.consumptions}, {cypher.RecordShipments, "lines", p.lines}} {
		if len(step.rows) == 0 {
			continue
		}
		summary, err := consume(ctx, t, step.st, map[string]any{step.param: step.rows})
		if err != nil {
			return err
		}
		if got := summary.Counters().RelationshipsCreated(); got != len(step.rows) {
			return fmt.Errorf("%s created %d relationships, want %d", step.st.Name, got, len(step.rows))
		}
	}
	return checkNoHolds(ctx, t, p, refs)
}

// recordNodes runs a record statement that answers a row per node it creates or merges,
// hands each row to keep, and checks that there are want rows.
func recordNodes(ctx context.Context, t txn, st cypher.Statement, params map[string]any, want int, keep func(*row)) error {
	if want == 0 {
		return nil
	}
	got, err := collect(ctx, t, st, params, func(r *row) bool { keep(r); return true })
	if err != nil {
		return err
	}
	if len(got) != want {
		return fmt.Errorf("%s answered %d rows, want %d", st.Name, len(got), want)
	}
	return nil
}

// withRefs sets each row's column refCol to the element id of the node of the given kind
// whose id is in column idCol; an id without one gets none, which matches no node, so the
// statement's check fails rather than writing a relationship to the wrong node.
func withRefs(rows []map[string]any, refs map[graph.Key]string, refCol, idCol, kind string) {
	for _, r := range rows {
		if ref, ok := refs[keyOf(kind, str(r[idCol]))]; ok {
			r[refCol] = ref
		}
	}
}

// keyOf is the key of the lot, batch, supplier or customer of the given kind and id.
func keyOf(kind, id string) graph.Key { return graph.Key(kind + ":" + id) }

// checkNoHolds takes the write locks of the lots the run consumed or shipped and looks for a
// recall hold on any of them (held_lots): planning saw none, so one placed since is
// errHeldSincePlanned, and the run is planned again. Placing a hold takes the same lock
// (recall_holds_place), so a hold either committed before this point, and is seen here, or
// waits until the run has committed: no race ships held stock.
func checkNoHolds(ctx context.Context, t txn, p recordParams, refs map[graph.Key]string) error {
	used := map[string]bool{}
	for _, rows := range [][]map[string]any{p.consumptions, p.lines} {
		for _, r := range rows {
			used[str(r["lot"])] = true
		}
	}
	if len(used) == 0 {
		return nil
	}
	codes := slices.Sorted(maps.Keys(used))
	lotRefs := make([]string, len(codes))
	for i, code := range codes {
		lotRefs[i] = refs[keyOf(graph.KeyLot, code)]
	}
	held, err := collect(ctx, t, cypher.HeldLots, map[string]any{"lots": lotRefs}, func(r *row) string { return r.Str("lot") })
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

// writeParams flattens a write set into statement rows. Rows name their ref columns from the
// start, nil until withRefs fills them: a key added to a full map makes Go grow and rehash it,
// which was 7% of the service's CPU in a bulk load.
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
			"supplier_id": string(r.Supplier.ID), "supplier_ref": nil, "supplier_name": optional(r.Supplier.Name), "supplier_location": r.Supplier.Location,
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
				"batch": string(pr.Batch.ID), "lot": string(in.Lot), "batch_ref": nil, "lot_ref": nil, "line": i + 1,
				"quantity": in.Quantity.Amount, "unit": in.Quantity.Unit,
			})
		}
	}
	for _, s := range w.shipments {
		hash := w.fingerprints[s]
		for i, l := range s.Lines {
			p.lines = append(p.lines, map[string]any{
				"shipment_id": string(s.ID), "line": i + 1, "lot": string(l.Lot), "lot_ref": nil, "customer_ref": nil,
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
